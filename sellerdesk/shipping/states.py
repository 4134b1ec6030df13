"""The shipment's status (docs/requirements.md#order-states) as data, with refusal reasons. Pure.

`awaiting_shipment → shipped → in_transit → out_for_delivery → delivered`, plus
`delivery_failed` (the carrier may still deliver later: it goes on to in_transit,
out_for_delivery or delivered) and `canceled` (void). A status never goes back: tracking
updates that arrive late or twice are ignored, not applied (`advance`).
"""

from __future__ import annotations

from enum import StrEnum


class ShipmentStatus(StrEnum):
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"
    CANCELED = "canceled"


S = ShipmentStatus

# Where each status may go next. Anything absent is refused (or, for carrier updates, ignored).
NEXT: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    S.AWAITING_SHIPMENT: frozenset(
        {S.SHIPPED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.DELIVERY_FAILED, S.CANCELED}
    ),
    S.SHIPPED: frozenset({S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.DELIVERY_FAILED}),
    S.IN_TRANSIT: frozenset({S.OUT_FOR_DELIVERY, S.DELIVERED, S.DELIVERY_FAILED}),
    S.OUT_FOR_DELIVERY: frozenset({S.IN_TRANSIT, S.DELIVERED, S.DELIVERY_FAILED}),
    S.DELIVERY_FAILED: frozenset({S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELED: frozenset(),
}
# out_for_delivery → in_transit is the one step "back" a carrier reports (a second attempt);
# it is not a new stage, so RANK orders it with in_transit.
RANK = {
    S.AWAITING_SHIPMENT: 0,
    S.SHIPPED: 1,
    S.IN_TRANSIT: 2,
    S.OUT_FOR_DELIVERY: 3,
    S.DELIVERY_FAILED: 3,
    S.DELIVERED: 4,
    S.CANCELED: 4,
}

HANDED_OVER = frozenset({S.SHIPPED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.DELIVERY_FAILED})
FINAL = frozenset({S.DELIVERED, S.CANCELED})

LABELS = {
    S.AWAITING_SHIPMENT: "Awaiting shipment",
    S.SHIPPED: "Shipped",
    S.IN_TRANSIT: "In transit",
    S.OUT_FOR_DELIVERY: "Out for delivery",
    S.DELIVERED: "Delivered",
    S.DELIVERY_FAILED: "Delivery failed",
    S.CANCELED: "Canceled",
}


def refusal(current: ShipmentStatus, target: ShipmentStatus) -> str | None:
    """Why `current` cannot become `target`, or None when it can."""
    if target == current:
        return f"The shipment is already {LABELS[current].lower()}."
    if target in NEXT[current]:
        return None
    if current in FINAL:
        return f"The shipment is {LABELS[current].lower()}; its status no longer changes."
    if target == S.CANCELED:
        return "The carrier already has the parcel; a shipment is voided only before it is handed over."
    return f"A shipment that is {LABELS[current].lower()} cannot become {LABELS[target].lower()}."


def is_handed_over(status: str) -> bool:
    return status in HANDED_OVER
