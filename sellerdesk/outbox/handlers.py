"""Event handlers: ONE explicit table, event type → the handlers the worker runs for it.

A handler is a function `handler(event: OutboxEvent, key: str) -> None`. It runs in a
transaction that also marks its job done, so its database effects happen once; for an effect
outside the database, guard it with `jobs.once(key)`. A handler that raises is retried with
backoff (settings OUTBOX_MAX_ATTEMPTS, OUTBOX_BACKOFF_BASE, OUTBOX_BACKOFF_CAP).

Adding one: write the function in the app that owns the effect, add it to the tuple of its
event type below. Jobs name handlers by dotted path, so keep the function importable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sellerdesk.conversations import handlers as conversation_handlers
from sellerdesk.core.events import EVENT_TYPES
from sellerdesk.custnotify import handlers as customer_handlers
from sellerdesk.custnotify.catalogue import EVENT_TYPES as CUSTOMER_EVENT_TYPES
from sellerdesk.notifications import handlers as notify
from sellerdesk.payments import handlers as payment_handlers
from sellerdesk.webhooks import handlers as webhook_handlers

if TYPE_CHECKING:
    from .models import OutboxEvent

Handler = Callable[["OutboxEvent", str], None]

HANDLERS: dict[str, tuple[Handler, ...]] = {
    "order_cancelled": (payment_handlers.refund_cancelled_order, notify.deadline_missed),
    "deadline_missed": (notify.deadline_missed,),
    "refund_requested": (payment_handlers.settle_requested_refunds,),
    "order_message_sent": (conversation_handlers.email_staff_message,),
    "feedback_reminder_sent": (conversation_handlers.email_feedback_reminder,),
    # Staff notifications (R-NOTE-1, R-PROC-2): each queues deliveries (sellerdesk.notifications).
    "order_placed": (notify.new_order,),
    "manager_assigned": (notify.manager_assigned,),
    "deadline_warning": (notify.deadline_warning,),
    "shipment_status_changed": (notify.delivery_failed,),
    "amount_change_decided": (notify.amount_change_decided,),
    "payment_failed": (notify.payment_failed,),
    "customer_message_received": (notify.customer_message,),
    # "*": every type of the event registry (core.events.EVENT_TYPES), after the type's own rows.
    # R-NOTE-7: outgoing webhooks — one delivery per matching active subscription.
    "*": (webhook_handlers.fan_out,),
}
WILDCARD = "*"

# A handler listed here gets a job only for the events its selector picks out of a write: the
# selector takes the write's events and returns the event ids of those that need the handler, with
# a query or two for the whole write (never one per event). Without a selector, every event gets it.
# Webhooks: most sellers subscribe to nothing, so most events need no fan-out job at all.
Selector = Callable[[Sequence["OutboxEvent"]], set[int]]
SELECTORS: dict[Handler, Selector] = {
    webhook_handlers.fan_out: webhook_handlers.events_with_subscribers,
}

# R-NOTE-2: the customer hears about every event of the customer-notification catalogue
# (placed, confirmed, shipped, out for delivery, delivered, cancelled, refunded, amount changed).
for _type in CUSTOMER_EVENT_TYPES:
    HANDLERS[_type] = (*HANDLERS.get(_type, ()), customer_handlers.notify_customer)


def handlers_for(event_type: str) -> tuple[Handler, ...]:
    own = HANDLERS.get(event_type, ())
    if event_type in EVENT_TYPES and event_type != WILDCARD:
        return own + HANDLERS.get(WILDCARD, ())
    return own


def handlers_of(events: Sequence[OutboxEvent]) -> list[tuple[OutboxEvent, Handler]]:
    """(event, handler) pairs a write needs jobs for: the table's rows, less what a selector drops."""
    pairs = [(e, h) for e in events for h in handlers_for(e.type)]
    for handler, selector in SELECTORS.items():
        mine = [e for e, h in pairs if h is handler]
        if mine:
            wanted = selector(mine)
            pairs = [(e, h) for e, h in pairs if h is not handler or e.event_id in wanted]
    return pairs


def handler_path(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"
