"""The outbox handler of every event type: one delivery per matching active subscription (R-NOTE-7).

It runs in the transaction that marks its outbox job done, so the deliveries are written once;
the unique (subscription, message id) pair makes a second run write nothing either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import timezone

from sellerdesk.orders.models import Order

from .models import WebhookDelivery, WebhookSubscription
from .services import envelope

if TYPE_CHECKING:
    from sellerdesk.outbox.models import OutboxEvent


def message_id(event_id: int) -> str:
    """The `webhook-id` of an event's deliveries: stable across retries and replays."""
    return f"evt_{event_id}"


def events_with_subscribers(events: Sequence[OutboxEvent]) -> set[int]:
    """The events of a write that an active subscription of their order's seller asks for.

    The outbox asks this before queueing `fan_out` jobs, so an event nobody subscribed to costs no
    job: one query when none of the write's sellers has an active subscription (the usual case), a
    second to map orders to sellers when some has. A subscription created after the event does not
    receive it, as if the fan-out had run at once.
    """
    order_ids = {e.order_id for e in events if e.order_id is not None}
    if not order_ids:
        return set()
    types: dict[int, set[str]] = {}
    for seller_id, event_types in WebhookSubscription.objects.filter(
        is_active=True, seller_id__in=Order.objects.filter(pk__in=order_ids).values("seller_id")
    ).values_list("seller_id", "event_types"):
        types.setdefault(seller_id, set()).update(event_types)
    if not types:
        return set()
    seller_of = dict(
        Order.objects.filter(pk__in=order_ids, seller_id__in=types).values_list("pk", "seller_id")
    )
    return {e.event_id for e in events if e.order_id in seller_of and e.type in types[seller_of[e.order_id]]}


def fan_out(event: OutboxEvent, key: str) -> None:
    if event.order_id is None:
        return
    order = Order.objects.filter(pk=event.order_id).values("seller_id", "number").first()
    if order is None:
        return
    subs = [
        s
        for s in WebhookSubscription.objects.filter(seller_id=order["seller_id"], is_active=True)
        if event.type in s.event_types
    ]
    if not subs:
        return
    now = timezone.now()
    mid = message_id(event.event_id)
    body = envelope(
        type_=event.type,
        version=event.version,
        message_id=mid,
        timestamp=event.created_at,
        seller_id=order["seller_id"],
        data={"order_number": order["number"], **event.payload},
    )
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=s,
                seller_id=order["seller_id"],
                message_id=mid,
                event_type=event.type,
                order_number=order["number"],
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            for s in subs
        ],
        ignore_conflicts=True,
    )
