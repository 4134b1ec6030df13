"""Reads of shipments for the order axes, the pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sellerdesk.orders.states import ShipmentQty

from .carriers.registry import CARRIERS
from .models import Shipment, ShipmentKind, ShippingPoint
from .states import FINAL, HANDED_OVER, ShipmentStatus

if TYPE_CHECKING:
    from sellerdesk.orders.models import Order


def shipment_quantities(order: Order) -> list[ShipmentQty]:
    out = []
    for shipment in order.shipments.prefetch_related("lines"):
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
    """The name of a carrier that still tracks one of the order's shipments, or ""."""
    open_shipment = (
        order.shipments.filter(kind=ShipmentKind.CARRIER)
        .exclude(status__in=[s.value for s in FINAL])
        .only("carrier")
        .first()
    )
    return carrier_name(open_shipment.carrier) if open_shipment else ""


def shipments_of(order: Order) -> list[Shipment]:
    return list(order.shipments.prefetch_related("lines__line", "tracking").select_related("account"))
