"""Reads of shipments for the order axes, the pages and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sellerdesk.core.errors import NotFound
from sellerdesk.orders.states import ShipmentQty

from .carriers.registry import CARRIERS
from .models import Shipment, ShipmentKind, ShippingPoint
from .states import FINAL, HANDED_OVER, LABELS, ShipmentStatus

if TYPE_CHECKING:
    from sellerdesk.orders.models import Order, OrderLine


def shipment_quantities(order: Order) -> list[ShipmentQty]:
    out = []
    prefetched = "shipments" in getattr(order, "_prefetched_objects_cache", {})  # a set-based writer's
    shipments = order.shipments.all() if prefetched else order.shipments.prefetch_related("lines")
    for shipment in shipments:
        out.append(
            ShipmentQty(
                units=sum(line.quantity for line in shipment.lines.all()),
                handed_over=shipment.status in HANDED_OVER,
                delivered=shipment.status == ShipmentStatus.DELIVERED,
                voided=shipment.status == ShipmentStatus.CANCELED,
                picked_up=shipment.shipping_point == ShippingPoint.PICKUP,
            )
        )
    return out


def carrier_name(code: str) -> str:
    entry = CARRIERS.get(code)
    return entry[1] if entry else code


def tracking_carrier(order: Order) -> str:
    """The name of a carrier that still tracks one of the order's shipments, or "". From the
    shipments a writer holds (prefetched) when it holds them."""
    prefetched = "shipments" in getattr(order, "_prefetched_objects_cache", {})
    shipments = order.shipments.all() if prefetched else order.shipments.only("kind", "status", "carrier")
    open_shipment = next(
        (s for s in shipments if s.kind == ShipmentKind.CARRIER and s.status not in FINAL), None
    )
    return carrier_name(open_shipment.carrier) if open_shipment else ""


def left_to_ship(line: OrderLine) -> int:
    """Units of an order line that no live shipment holds yet (R-FUL-1)."""
    return line.quantity - line.quantity_cancelled - line.quantity_fulfilled


def charged_left(order: Order) -> Decimal:
    """What the customer paid for shipping that no live shipment has used yet (R-FUL-5)."""
    used = sum(
        (s.charged for s in order.shipments.exclude(status=ShipmentStatus.CANCELED)),
        Decimal("0"),
    )
    return max(order.shipping_price - used, Decimal("0"))


def shipments_of(order: Order) -> list[Shipment]:
    return list(order.shipments.prefetch_related("lines__line", "tracking").select_related("account"))


def customer_view(order: Order) -> dict[str, Any]:
    """What the customer may see of the order (R-FUL-11): built field by field from an allow-list,
    so nothing internal (notes, staff, costs, the seller's own fields) can slip in."""
    from sellerdesk.dashboard.templatetags.dashboard import status_label

    shipments = []
    for s in order.shipments.exclude(status=ShipmentStatus.CANCELED).prefetch_related(
        "lines__line", "tracking"
    ):
        shipments.append(
            {
                "number": s.number,
                "carrier": carrier_name(s.carrier),
                "service": s.service_name,
                "tracking_number": s.tracking_number,
                "status": s.status,
                "status_label": LABELS[ShipmentStatus(s.status)],
                "expected_delivery": s.expected_delivery,
                "delivered_at": s.delivered_at,
                "waiting_for_carrier": s.registration == "waiting",
                "items": [{"name": sl.line.name, "quantity": sl.quantity} for sl in s.lines.all()],
                "history": [
                    {
                        "at": t.occurred_at,
                        "what": t.description or LABELS.get(ShipmentStatus(t.status), t.raw_code)
                        if t.status
                        else (t.description or t.raw_code),
                        "where": t.location,
                    }
                    for t in s.tracking.all()
                ],
            }
        )
    return {
        "seller": order.seller.name,
        "number": order.number,
        "placed": order.created_at,
        "status": order.status,
        "status_label": status_label("status", order.status),
        "shipping_method": order.shipping_method,
        "items": [
            {"name": line.name, "quantity": line.quantity - line.quantity_cancelled}
            for line in order.lines.all()
            if line.quantity > line.quantity_cancelled
        ],
        "shipments": shipments,
    }


def shipment_get(*, seller_id: int, number: int | str, shipment_no: int | str) -> Shipment:
    """One shipment of one of the seller's orders; 404 order_not_found / shipment_not_found."""
    from sellerdesk.orders.selectors import order_get

    order = order_get(seller_id=seller_id, number=number)
    try:
        n = int(shipment_no)
    except (TypeError, ValueError):
        n = -1
    shipment = (
        Shipment.objects.filter(order=order, number=n)
        .select_related("order", "order__seller", "account")
        .prefetch_related("lines__line", "tracking")
        .first()
    )
    if shipment is None:
        raise NotFound("shipment_not_found", f"Order {order.number} has no shipment {shipment_no}.")
    return shipment


# --- a selection's documents (R-FUL-8) ----------------------------------------------------------


def orders_to_print(*, seller_id: int, numbers: list[int]) -> list[Order]:
    """The seller's orders among `numbers` (in that order) with what their packing slips read,
    in a fixed number of queries whatever the selection's size."""
    from sellerdesk.orders.models import Order

    found = {
        o.number: o
        for o in Order.objects.filter(seller_id=seller_id, number__in=numbers)
        .select_related("seller")
        .prefetch_related("lines")
    }
    return [found[n] for n in numbers if n in found]


def shipments_to_print(*, seller_id: int, numbers: list[int]) -> list[Shipment]:
    """The labels of a selection: every shipment of the chosen orders that is not voided, by order
    (as chosen) then shipment number."""
    position = {n: i for i, n in enumerate(numbers)}
    rows = list(
        Shipment.objects.filter(seller_id=seller_id, order__number__in=numbers)
        .exclude(status=ShipmentStatus.CANCELED)
        .select_related("order__seller", "account")
    )
    rows.sort(key=lambda s: (position.get(s.order.number, 0), s.number))
    return rows
