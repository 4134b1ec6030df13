"""Reads of deliveries and alerts, always within the caller's seller (and user, for alerts)."""

from __future__ import annotations

from django.db.models import QuerySet

from sellerdesk.core.errors import NotFound
from sellerdesk.orders.models import Order

from .models import Alert, Delivery


def order_of(*, seller_id: int, number: int | str) -> Order:
    """The seller's order `number`; another seller's is NotFound, like an unknown one."""
    try:
        n = int(number)
    except (TypeError, ValueError):
        raise NotFound("order_not_found", f"There is no order {number!r}.") from None
    order = Order.objects.filter(seller_id=seller_id, number=n).first()
    if order is None:
        raise NotFound("order_not_found", f"There is no order {number!r}.")
    return order


def order_deliveries(*, seller_id: int, number: int | str) -> list[Delivery]:
    """Every delivery about the order, newest first (its delivery log)."""
    order = order_of(seller_id=seller_id, number=number)
    return list(order_deliveries_of(order))


def order_deliveries_of(order: Order) -> QuerySet[Delivery]:
    return Delivery.objects.filter(seller_id=order.seller_id, order=order).select_related("user")


def delivery_of(*, seller_id: int, number: int | str, delivery_id: int) -> Delivery:
    order = order_of(seller_id=seller_id, number=number)
    found = Delivery.objects.filter(seller_id=seller_id, order=order, pk=delivery_id).first()
    if found is None:
        raise NotFound("delivery_not_found", f"There is no delivery {delivery_id} of this order.")
    return found


def alerts_of(user_id: int, *, unread_only: bool = False, limit: int = 50) -> list[Alert]:
    q = Alert.objects.filter(user_id=user_id).select_related("order")
    if unread_only:
        q = q.filter(read_at__isnull=True)
    return list(q[:limit])


def unread_count(user_id: int) -> int:
    return Alert.objects.filter(user_id=user_id, read_at__isnull=True).count()
