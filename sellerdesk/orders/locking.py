"""The first step of every order writer, in any app: lock the order row (the global lock order)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sellerdesk.core.errors import Conflict, NotFound

from .models import Order
from .states import Status

if TYPE_CHECKING:
    from sellerdesk.accounts.models import Seller


def lock_order(*, seller_id: int, number: int | str, seller: Seller | None = None) -> Order:
    """The order row, locked for this transaction (first in the global lock order).

    Another seller's order does not exist for this caller: 404, never 403. `seller`, when the
    caller already holds the seller's row (`Actor.seller`), becomes `order.seller` without a read.
    """
    try:
        n = int(number)
    except (TypeError, ValueError):
        raise NotFound("order_not_found", f"There is no order {number!r}.") from None
    order = Order.objects.select_for_update().filter(seller_id=seller_id, number=n).first()
    if order is None:
        raise NotFound("order_not_found", f"There is no order {number}.")
    if seller is not None and seller.pk == order.seller_id:
        order.seller = seller
    return order


def ensure_open(order: Order) -> None:
    """Refuse (409) to change a closed or cancelled order."""
    if order.status in (Status.CLOSED, Status.CANCELLED):
        raise Conflict(
            "order_final",
            f"The order is {order.status}; it can no longer change.",
            current_status=order.status,
        )
