"""Outbox handlers of the payments app (rows in sellerdesk/outbox/handlers.py HANDLERS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sellerdesk.accounts.actors import Actor

if TYPE_CHECKING:
    from sellerdesk.outbox.models import OutboxEvent


def refund_cancelled_order(event: OutboxEvent, key: str) -> None:
    """R-PAY-6: a cancelled order's online money goes back by itself, once per order.

    `jobs.once` makes a second cancellation event of the same order (a retried or replayed
    cancel) do nothing; the pending rows and their `refund_requested` event commit with it.
    """
    from sellerdesk.outbox import jobs  # the outbox's handler table imports this module

    from .refunds import refund_online_money

    if event.order_id is None or not jobs.once(f"cancel-refund:{event.order_id}"):
        return
    refund_online_money(event.order_id, Actor.system(label="SellerDesk (refund on cancel)"))


def settle_requested_refunds(event: OutboxEvent, key: str) -> None:
    """Send each pending refund of a `refund_requested` event to its provider.

    A provider that cannot be reached raises ProviderUnavailable: the job is retried with
    backoff, with the same idempotency key, so the customer is refunded once.
    """
    from .refunds import refund_settle  # imported late: the outbox's handler table imports this module

    actor = Actor.system(label="SellerDesk (refund)")
    for payment_id in event.payload.get("payments", []):
        refund_settle(int(payment_id), actor)
