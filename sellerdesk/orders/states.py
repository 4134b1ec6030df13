"""The order's three status axes (docs/requirements.md#order-states) as data, with guards. Pure: no ORM import.

`status` changes only through `transition()` here, called by the one writer in
`services`. `payment_status` and `fulfillment_status` are derived by the functions at
the bottom from the ledger and line quantities; no caller assigns them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .methods import HAND_DELIVERED, PAY_ON_DELIVERY, CancelReason, is_picked_up


class Status(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    IN_PROGRESS = "in_progress"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class FulfillmentStatus(StrEnum):
    UNFULFILLED = "unfulfilled"
    DISPATCHED = "dispatched"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    DELIVERED = "delivered"
    PICKED_UP = "picked_up"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    CANCELED = "canceled"


class Action(StrEnum):
    CONFIRM = "confirm"
    PROCESS = "process"
    SHIP = "ship"
    DELIVER = "deliver"
    CLOSE = "close"
    CANCEL = "cancel"


FINAL = frozenset({Status.CLOSED, Status.CANCELLED})
# The behaviour of each method lives with the method (methods.py).
CANCEL_REASONS = tuple(r.value for r in CancelReason)


@dataclass(frozen=True)
class OrderFacts:
    """What the guards need to know about an order, read before the transition."""

    status: Status
    shipping_method: str
    payment_method: str
    payment_status: PaymentStatus
    ship_unpaid_allowed: bool = False  # the seller's policy overrides R-PAY-7
    # The carrier still tracking one of the order's shipments ("" when none): staff cannot mark
    # the order delivered by hand while a carrier will report it (R-FUL-9).
    tracked_by: str = ""
    # Units of the order sit in live shipments: it cannot be cancelled before they are voided.
    in_shipments: bool = False


Guard = Callable[[OrderFacts], str | None]  # returns the reason for refusing, or None


def _hand_delivered(facts: OrderFacts) -> str | None:
    if facts.shipping_method not in HAND_DELIVERED:
        return (
            f"Only {' and '.join(sorted(HAND_DELIVERED))} orders are marked delivered by hand; "
            f"this one ships by {facts.shipping_method!r} and is delivered through its shipments."
        )
    return _paid_unless_on_delivery(facts)


def _paid_unless_on_delivery(facts: OrderFacts) -> str | None:
    # R-PAY-7: an order cannot leave before it is paid, unless it is paid on delivery.
    if facts.payment_method in PAY_ON_DELIVERY or facts.ship_unpaid_allowed:
        return None
    if facts.payment_status in (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED):
        return None
    return (
        f"The order is {facts.payment_status.value.replace('_', ' ')}; it must be paid before it leaves "
        "(only pay-on-delivery orders ship unpaid, unless the seller's policy allows it)."
    )


def _not_tracked(facts: OrderFacts) -> str | None:
    if facts.tracked_by:
        return (
            f"{facts.tracked_by} still tracks this order's parcel; it becomes delivered when "
            f"{facts.tracked_by} reports the delivery."
        )
    return None


def _nothing_shipped(facts: OrderFacts) -> str | None:
    if facts.in_shipments:
        return "Units of this order are in a shipment; void the shipment first, then cancel the order."
    return None


def ship_refusal(facts: OrderFacts) -> str | None:
    """Why the order may not leave now (R-PAY-7), or None: checked when a shipment is created."""
    return _paid_unless_on_delivery(facts)


def _always(_: OrderFacts) -> str | None:
    return None


# (from, action) -> (to, guard). The whole lifecycle; anything absent is refused.
TRANSITIONS: dict[tuple[Status, Action], tuple[Status, Guard]] = {
    (Status.PENDING, Action.CONFIRM): (Status.CONFIRMED, _always),
    (Status.PENDING, Action.CANCEL): (Status.CANCELLED, _always),
    (Status.CONFIRMED, Action.PROCESS): (Status.PROCESSING, _always),
    (Status.CONFIRMED, Action.CANCEL): (Status.CANCELLED, _nothing_shipped),
    (Status.PROCESSING, Action.CANCEL): (Status.CANCELLED, _nothing_shipped),
    (Status.CONFIRMED, Action.SHIP): (Status.SHIPPED, _paid_unless_on_delivery),
    (Status.PROCESSING, Action.SHIP): (Status.SHIPPED, _paid_unless_on_delivery),
    (Status.CONFIRMED, Action.DELIVER): (Status.DELIVERED, _hand_delivered),
    (Status.PROCESSING, Action.DELIVER): (Status.DELIVERED, _hand_delivered),
    (Status.SHIPPED, Action.DELIVER): (Status.DELIVERED, _not_tracked),
    (Status.DELIVERED, Action.CLOSE): (Status.CLOSED, _always),
}

# The order in which statuses are reached; used to prove no transition is undone.
RANK = {
    Status.PENDING: 0,
    Status.CONFIRMED: 1,
    Status.PROCESSING: 2,
    Status.SHIPPED: 3,
    Status.DELIVERED: 4,
    Status.CLOSED: 5,
    Status.CANCELLED: 5,
}


class TransitionRefused(Exception):
    def __init__(self, status: Status, action: Action, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.action = action
        self.reason = reason


def transition(facts: OrderFacts, action: Action) -> Status:
    """The status `action` leads to from `facts.status`, or TransitionRefused saying why."""
    entry = TRANSITIONS.get((facts.status, action))
    if entry is None:
        allowed = ", ".join(a.value for a in allowed_actions(facts.status)) or "none (final)"
        raise TransitionRefused(
            facts.status,
            action,
            f"An order that is {facts.status.value} cannot {action.value}; allowed: {allowed}.",
        )
    target, guard = entry
    reason = guard(facts)
    if reason:
        raise TransitionRefused(facts.status, action, reason)
    return target


def allowed_actions(status: Status) -> list[Action]:
    return [action for (src, action) in TRANSITIONS if src == status]


def available_actions(facts: OrderFacts) -> list[Action]:
    """Actions whose transition and guard both pass now (for showing buttons)."""
    out = []
    for (src, action), (_, guard) in TRANSITIONS.items():
        if src == facts.status and guard(facts) is None and action not in out:
            out.append(action)
    return out


# --- derived axes ------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    total: Decimal
    paid: Decimal  # captured + offline payments that succeeded
    refunded: Decimal
    pending: bool  # an online authorization is in flight


def derive_payment_status(ledger: Ledger) -> PaymentStatus:
    if ledger.refunded > 0:
        return PaymentStatus.REFUNDED if ledger.refunded >= ledger.paid else PaymentStatus.PARTIALLY_REFUNDED
    if ledger.paid > 0:
        return PaymentStatus.PAID if ledger.paid >= ledger.total else PaymentStatus.PARTIALLY_PAID
    if ledger.total <= 0:
        return PaymentStatus.PAID
    return PaymentStatus.IN_PROGRESS if ledger.pending else PaymentStatus.UNPAID


@dataclass(frozen=True)
class LineQty:
    quantity: int
    fulfilled: int  # units in shipments that are not voided
    cancelled: int
    returned: int


@dataclass(frozen=True)
class ShipmentQty:
    """A shipment as the fulfillment axis sees it: its units and where it stands."""

    units: int
    handed_over: bool  # the carrier (or courier) has it
    delivered: bool
    voided: bool = False
    picked_up: bool = False  # collected by the customer (in-store pickup)


def derive_fulfillment_status(
    status: Status,
    shipping_method: str,
    lines: Iterable[LineQty],
    shipments: Iterable[ShipmentQty] = (),
) -> FulfillmentStatus:
    """The fulfillment axis from line quantities and shipments (docs/requirements.md#order-states).

    Hand-delivered orders (digital, pickup) have no shipments: they are fulfilled and delivered
    when staff mark them delivered (R-FUL-9).
    """
    lines = list(lines)
    live_shipments = [s for s in shipments if not s.voided]
    ordered = sum(line.quantity for line in lines)
    cancelled = sum(line.cancelled for line in lines)
    fulfilled = sum(line.fulfilled for line in lines)
    returned = sum(line.returned for line in lines)
    live = ordered - cancelled
    if live <= 0 or (status == Status.CANCELLED and fulfilled == 0):
        return FulfillmentStatus.CANCELED
    if returned:
        return FulfillmentStatus.RETURNED if returned >= fulfilled else FulfillmentStatus.PARTIALLY_RETURNED
    if not live_shipments:
        if status in (Status.DELIVERED, Status.CLOSED) and fulfilled >= live:
            return (
                FulfillmentStatus.PICKED_UP if is_picked_up(shipping_method) else FulfillmentStatus.DELIVERED
            )
        if fulfilled == 0:
            return FulfillmentStatus.UNFULFILLED
        return FulfillmentStatus.PARTIALLY_FULFILLED if fulfilled < live else FulfillmentStatus.FULFILLED
    if fulfilled < live:
        return FulfillmentStatus.PARTIALLY_FULFILLED
    if all(s.delivered for s in live_shipments):
        if is_picked_up(shipping_method) or all(s.picked_up for s in live_shipments):
            return FulfillmentStatus.PICKED_UP
        return FulfillmentStatus.DELIVERED
    if all(s.handed_over for s in live_shipments):
        return FulfillmentStatus.FULFILLED
    return FulfillmentStatus.DISPATCHED
