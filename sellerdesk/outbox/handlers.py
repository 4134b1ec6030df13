"""Event handlers: ONE explicit table, event type → the handlers the worker runs for it.

A handler is a function `handler(event: OutboxEvent, key: str) -> None`. It runs in a
transaction that also marks its job done, so its database effects happen once; for an effect
outside the database, guard it with `jobs.once(key)`. A handler that raises is retried with
backoff (settings OUTBOX_MAX_ATTEMPTS, OUTBOX_BACKOFF_BASE, OUTBOX_BACKOFF_CAP).

Adding one: write the function in the app that owns the effect, add it to the tuple of its
event type below. Jobs name handlers by dotted path, so keep the function importable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sellerdesk.core.events import EVENT_TYPES
from sellerdesk.payments import handlers as payment_handlers
from sellerdesk.webhooks import handlers as webhook_handlers

if TYPE_CHECKING:
    from .models import OutboxEvent

Handler = Callable[["OutboxEvent", str], None]

HANDLERS: dict[str, tuple[Handler, ...]] = {
    "order_cancelled": (payment_handlers.refund_cancelled_order,),
    "refund_requested": (payment_handlers.settle_requested_refunds,),
    # "order_placed": (notifications.handlers.send_confirmation,),  ← later issues add rows here
    # "*": every type of the event registry (core.events.EVENT_TYPES), after the type's own rows.
    # R-NOTE-7: outgoing webhooks — one delivery per matching active subscription.
    "*": (webhook_handlers.fan_out,),
}
WILDCARD = "*"


def handlers_for(event_type: str) -> tuple[Handler, ...]:
    own = HANDLERS.get(event_type, ())
    if event_type in EVENT_TYPES and event_type != WILDCARD:
        return own + HANDLERS.get(WILDCARD, ())
    return own


def handler_path(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"
