"""Online payments (R-PAY-2): taking a payment through a provider, and its webhooks.

A payment is written as a pending capture row before the provider is asked (the order is then
`in_progress`), so an answer that arrives later, by webhook, always finds its row. The provider's
answer — right away or by webhook — settles the row once: succeeded marks the order paid
(`payment_recorded`), failed returns it to unpaid (`payment_failed`, on the timeline for staff).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.errors import Conflict, InvalidInput
from sellerdesk.core.events import Change
from sellerdesk.core.money import fmt, quantize
from sellerdesk.orders.events import record_event
from sellerdesk.orders.locking import ensure_open, lock_order
from sellerdesk.orders.models import Order

from .events import PaymentFailed, PaymentRecorded
from .ledger import refresh_payment_status
from .models import Payment, PaymentKind, PaymentState, ProviderEvent
from .providers import BY_NAME, ProviderUnavailable, WebhookEvent, provider_named
from .refunds import settle_refund_row

SAVE_FIELDS = ["paid_amount", "refunded_amount", "payment_status", "updated_at"]


def payment_start(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    source: str,
    provider: str | None = None,
    amount: Decimal | None = None,
) -> Payment:
    """Charge the customer through `provider` (`source`: a card number for the sandbox, a payment
    method id for Stripe); `provider` None is the configured one (PAYMENT_ONLINE_PROVIDER).
    Returns the ledger row: succeeded, failed, or pending (a webhook settles it)."""
    actor.require("order.act")
    if provider is not None and provider not in BY_NAME:
        raise InvalidInput(
            "unknown_provider", f"provider must be one of: {', '.join(sorted(BY_NAME))}.", field="provider"
        )
    adapter = provider_named(provider or settings.PAYMENT_ONLINE_PROVIDER)
    if not adapter.online:
        raise InvalidInput("not_online", f"{provider!r} takes no online payments.", field="provider")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        outstanding = order.total - order.paid_amount
        pay = outstanding if amount is None else quantize(amount, order.currency)
        if pay <= 0 or pay > outstanding:
            raise Conflict(
                "invalid_payment_amount",
                f"The amount must be more than zero and at most {fmt(outstanding, order.currency)}.",
            )
        row = Payment.objects.create(
            order=order,
            kind=PaymentKind.CAPTURE,
            state=PaymentState.PENDING,
            amount=pay,
            currency=order.currency,
            provider=adapter.name,
            created_by=actor.user,
        )
        refresh_payment_status(order)
        order.save(update_fields=SAVE_FIELDS)
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        try:
            outcome = adapter.charge(order, row, source=source)
        except ProviderUnavailable:
            return row  # pending: the provider's webhook (or a retry) settles it
        if outcome.reference:
            row.reference = outcome.reference[:200]
            row.save(update_fields=["reference"])
        if outcome.state != PaymentState.PENDING:
            settle_payment_row(order, row, outcome.state, error=outcome.error, actor=actor)
    return row


def settle_payment_row(order: Order, row: Payment, state: PaymentState, *, error: str, actor: Actor) -> None:
    """Mark a pending payment succeeded or failed and record it (caller holds the order lock)."""
    row.state = state
    row.settled_at = timezone.now()
    if error:
        row.details = {**row.details, "error": error[:500]}
    row.save(update_fields=["state", "settled_at", "details"])
    before, after = refresh_payment_status(order)
    order.save(update_fields=SAVE_FIELDS)
    c = order.currency
    if state == PaymentState.SUCCEEDED:
        record_event(
            actor,
            order,
            PaymentRecorded(
                amount=fmt(row.amount, c),
                currency=c,
                payment_status=Change(before, after),
                provider=row.provider,
            ),
        )
    else:
        record_event(
            actor,
            order,
            PaymentFailed(
                amount=fmt(row.amount, c),
                currency=c,
                provider=row.provider,
                reference=row.reference,
                error=error,
                payment_status=Change(before, after),
            ),
        )


def webhook_receive(provider: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Apply one provider webhook. Returns what happened ("applied", "duplicate", "ignored").

    Raises WebhookRefused (answered 400) when the signature or timestamp is wrong. Replay-safe:
    the event id is stored in the same transaction as its effect, so an event seen twice does
    nothing the second time.
    """
    adapter = provider_named(provider)
    event = adapter.parse_webhook(body, headers)
    actor = Actor.system(label=f"{adapter.name} webhook")
    try:
        with transaction.atomic():
            ProviderEvent.objects.create(
                provider=adapter.name, event_id=event.id[:255], type=event.type[:100]
            )
            return _apply(adapter.name, event, actor)
    except IntegrityError:
        return "duplicate"


def _apply(provider: str, event: WebhookEvent, actor: Actor) -> str:
    if not event.kind or event.state is None:
        return "ignored"
    kind = PaymentKind.REFUND if event.kind == "refund" else PaymentKind.CAPTURE
    row = (
        Payment.objects.filter(provider=provider, kind=kind, reference=event.reference).first()
        if event.reference
        else None
    )
    order_id = row.order_id if row else event.order_id
    head = Order.objects.filter(pk=order_id).only("seller_id", "number").first() if order_id else None
    if head is None:
        return "ignored"  # not one of ours (another system on the same account)
    order = lock_order(seller_id=head.seller_id, number=head.number)
    if row is not None:
        row = Payment.objects.get(pk=row.pk)  # re-read under the lock
    if kind == PaymentKind.REFUND:
        if row is None or row.state != PaymentState.PENDING:
            return "ignored"
        settle_refund_row(order, row, event.state, reference=event.reference, error=event.error, actor=actor)
        return "applied"
    if row is None:
        # A payment we did not start (e.g. a checkout outside SellerDesk) that names our order.
        if event.amount is None or event.amount <= 0 or event.currency != order.currency:
            return "ignored"
        row = Payment.objects.create(
            order=order,
            kind=PaymentKind.CAPTURE,
            state=PaymentState.PENDING,
            amount=event.amount,
            currency=order.currency,
            provider=provider,
            reference=event.reference[:200],
        )
    if row.state != PaymentState.PENDING:
        return "ignored"  # already settled (its answer came back right away)
    settle_payment_row(order, row, event.state, error=event.error, actor=actor)
    return "applied"
