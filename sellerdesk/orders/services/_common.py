"""Shared pieces of the order writers: the derived fulfillment axis (the row lock is in locking.py)."""

from __future__ import annotations

from ..locking import ensure_open, lock_order
from ..models import Order
from ..states import LineQty, Status, derive_fulfillment_status

__all__ = ["ensure_open", "lock_order", "refresh_fulfillment_status"]


def refresh_fulfillment_status(order: Order) -> tuple[str, str]:
    before = order.fulfillment_status
    lines = [
        LineQty(line.quantity, line.quantity_fulfilled, line.quantity_cancelled, line.quantity_returned)
        for line in order.lines.all()
    ]
    order.fulfillment_status = derive_fulfillment_status(
        Status(order.status), order.shipping_method, lines
    ).value
    return before, order.fulfillment_status
