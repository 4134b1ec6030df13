"""Shared pieces of the order writers: the derived fulfillment axis (the row lock is in locking.py)."""

from __future__ import annotations

from ..locking import ensure_open, lock_order
from ..models import Order
from ..states import LineQty, ShipmentQty, Status, derive_fulfillment_status

__all__ = ["ensure_open", "lock_order", "refresh_fulfillment_status"]


def shipment_quantities(order: Order) -> list[ShipmentQty]:
    """The order's shipments as the fulfillment axis sees them (read through the reverse relation)."""
    from sellerdesk.shipping.selectors import shipment_quantities as of_shipments  # shipping builds on orders

    return of_shipments(order)


def refresh_fulfillment_status(order: Order) -> tuple[str, str]:
    before = order.fulfillment_status
    lines = [
        LineQty(line.quantity, line.quantity_fulfilled, line.quantity_cancelled, line.quantity_returned)
        for line in order.lines.all()
    ]
    # No unit fulfilled: no live shipment to read (saves a query per order in bulk confirms).
    shipments = shipment_quantities(order) if any(line.fulfilled for line in lines) else []
    order.fulfillment_status = derive_fulfillment_status(
        Status(order.status), order.shipping_method, lines, shipments
    ).value
    return before, order.fulfillment_status
