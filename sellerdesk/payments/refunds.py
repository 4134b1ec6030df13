"""Refunds (R-PAY-4, R-PAY-6): the one writer of refund rows on an order's ledger.

A refund is computed from what is given back (returned quantities per line, shipping, an
adjustment refund, minus an adjustment fee), checked against the money held, and split over
the payments it came from, newest first. Money never goes out without a row:

1. In one transaction, with the order row locked: the refund rows are written. Manual (offline)
   refunds are recorded as succeeded at once, with who and when; online ones as *pending*,
   which already counts against what can still be refunded, so two concurrent refunds cannot
   give back more than was paid.
2. After that commits, each pending row is settled (`refund_settle`): the provider is called
   with the row's idempotency key and the row marked succeeded or failed. Settling locks the
   order row and calls the provider inside that lock, so one row is never being sent twice at
   once; if our transaction is lost after the provider refunded, the row is still pending and
   the next attempt (the `refund_requested` outbox job, retried with backoff) sends the same
   key again, which the provider answers with the same refund instead of a second one.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.core.events import Change, Event
from sellerdesk.core.money import ZERO, fmt, quantize
from sellerdesk.orders.events import record_events
from sellerdesk.orders.locking import lock_order
from sellerdesk.orders.models import Order, OrderLine
from sellerdesk.orders.selectors import order_get
from sellerdesk.orders.states import Status
from sellerdesk.shipping.services import record_return

from .events import RefundFailed, RefundRecorded, RefundRequested
from .ledger import balance_of, refresh_payment_status, refundable_payments
from .models import Payment, PaymentKind, PaymentState
from .providers import ProviderUnavailable, provider_named


@dataclass(frozen=True)
class RefundIn:
    """What staff give back. `lines`: line id → quantity returned. `everything`: all money held."""

    lines: dict[int, int] = field(default_factory=dict)
    restock: bool = False
    shipping: Decimal = ZERO
    adjustment_refund: Decimal = ZERO
    adjustment_fee: Decimal = ZERO
    reason: str = ""
    everything: bool = False


@dataclass(frozen=True)
class LineRefund:
    line: OrderLine
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class RefundQuote:
    """The computed refund, shown before it is committed (the form's preview) and then written."""

    currency: str
    lines: list[LineRefund]
    shipping: Decimal
    adjustment_refund: Decimal
    adjustment_fee: Decimal
    amount: Decimal
    refundable: Decimal  # the most that can be refunded now

    def json(self) -> dict[str, Any]:
        c = self.currency
        return {
            "currency": c,
            "lines": [
                {"line_id": r.line.pk, "sku": r.line.sku, "quantity": r.quantity, "amount": fmt(r.amount, c)}
                for r in self.lines
            ],
            "shipping": fmt(self.shipping, c),
            "adjustment_refund": fmt(self.adjustment_refund, c),
            "adjustment_fee": fmt(self.adjustment_fee, c),
            "amount": fmt(self.amount, c),
            "refundable": fmt(self.refundable, c),
        }


def _refunded_so_far(order: Order) -> tuple[dict[int, int], Decimal]:
    """Quantities per line and shipping already refunded (or being refunded) by earlier refunds."""
    quantities: dict[int, int] = defaultdict(int)
    shipping = ZERO
    for p in Payment.objects.filter(order=order, kind=PaymentKind.REFUND).exclude(state=PaymentState.FAILED):
        for line_id, qty in (p.details.get("lines") or {}).items():
            quantities[int(line_id)] += int(qty)
        shipping += Decimal(p.details.get("shipping") or "0")
    return quantities, shipping


def _money(value: Decimal, currency: str, name: str) -> Decimal:
    amount = quantize(Decimal(value), currency)
    if amount < 0:
        raise InvalidInput("invalid_amount", f"The {name.replace('_', ' ')} cannot be negative.", field=name)
    return amount


def refund_quote(order: Order, data: RefundIn) -> RefundQuote:
    """Compute the refund `data` describes, or say what is wrong with it. Reads, never writes."""
    c = order.currency
    balance = balance_of(order)
    if data.everything:
        return RefundQuote(c, [], ZERO, balance.refundable, ZERO, balance.refundable, balance.refundable)
    lines = {line.pk: line for line in order.lines.all()}
    done_qty, done_shipping = _refunded_so_far(order)
    # The order discount is shared by its goods: a returned unit gives back its price less its share.
    goods = order.subtotal
    keep = (goods - min(order.discount, goods)) / goods if goods > 0 else Decimal(1)
    line_refunds = []
    for line_id, qty in sorted(data.lines.items()):
        line = lines.get(line_id)
        if line is None:
            raise NotFound("line_not_found", f"Order {order.number} has no line {line_id}.", field="lines")
        if qty < 0:
            raise InvalidInput("invalid_quantity", "A returned quantity cannot be negative.", field="lines")
        if qty == 0:
            continue
        left = line.quantity - line.quantity_cancelled - done_qty[line.pk]
        if qty > left:
            raise InvalidInput(
                "quantity_too_large",
                f"Line {line.sku}: {qty} is more than the {left} that can still be refunded.",
                field="lines",
            )
        line_refunds.append(LineRefund(line, qty, quantize(line.unit_price * qty * keep, c)))
    shipping = _money(data.shipping, c, "shipping")
    if shipping > order.shipping_price - done_shipping:
        raise InvalidInput(
            "shipping_too_large",
            f"At most {fmt(order.shipping_price - done_shipping, c)} of shipping can still be refunded.",
            field="shipping",
        )
    adjustment = _money(data.adjustment_refund, c, "adjustment_refund")
    fee = _money(data.adjustment_fee, c, "adjustment_fee")
    amount = sum((r.amount for r in line_refunds), ZERO) + shipping + adjustment - fee
    return RefundQuote(c, line_refunds, shipping, adjustment, fee, amount, balance.refundable)


def _check(quote: RefundQuote) -> None:
    c = quote.currency
    if quote.amount <= 0:
        raise InvalidInput(
            "nothing_to_refund", "The refund comes to nothing: choose lines, shipping or an adjustment."
        )
    if quote.amount > quote.refundable:
        raise Conflict(
            "refund_exceeds_paid",
            f"{fmt(quote.amount, c)} is more than the {fmt(quote.refundable, c)} that can be refunded.",
            refundable=fmt(quote.refundable, c),
        )


def _returns_to_record(order: Order, quote: RefundQuote) -> dict[int, int]:
    """The refunded units that came back and are not yet recorded as returned.

    Only a shipped or delivered order has goods with the customer; before that a line refund
    (e.g. a unit that could not be sent) returns nothing. Units already recorded as returned
    (through the shipping app's returns) are not recorded twice.
    """
    if order.status not in (Status.SHIPPED, Status.DELIVERED):
        return {}
    done, _ = _refunded_so_far(order)
    out = {}
    for r in quote.lines:
        refunded_after = done[r.line.pk] + r.quantity
        new = min(r.quantity, max(0, refunded_after - r.line.quantity_returned))
        if new:
            out[r.line.pk] = new
    return out


def _write(order: Order, quote: RefundQuote, data: RefundIn, actor: Actor) -> list[Payment]:
    """Phase 1, in the caller's transaction with the order locked: the refund rows and their events."""
    _check(quote)
    c = order.currency
    now = timezone.now()
    details: dict[str, Any] = {
        "lines": {str(r.line.pk): r.quantity for r in quote.lines},
        "restock": data.restock,
        "shipping": fmt(quote.shipping, c),
        "adjustment_refund": fmt(quote.adjustment_refund, c),
        "adjustment_fee": fmt(quote.adjustment_fee, c),
        "reason": data.reason[:500],
        "by": actor.label,
    }
    returned = _returns_to_record(order, quote)  # before this refund's rows count as refunded
    rows: list[Payment] = []
    remaining = quote.amount
    for parent, left in refundable_payments(order):
        if remaining <= 0:
            break
        take = min(left, remaining)
        remaining -= take
        provider = provider_named(parent.provider)
        rows.append(
            Payment.objects.create(
                order=order,
                kind=PaymentKind.REFUND,
                state=PaymentState.PENDING if provider.online else PaymentState.SUCCEEDED,
                amount=take,
                currency=c,
                provider=parent.provider,
                parent=parent,
                # The first row carries what was refunded; the others point at it.
                details=details if not rows else {"part_of": rows[0].pk, "by": actor.label},
                created_by=actor.user,
                settled_at=None if provider.online else now,
            )
        )
    events: list[Event] = []
    before, after = refresh_payment_status(order)
    fields = ["paid_amount", "refunded_amount", "payment_status", "updated_at"]
    if returned:  # the shipping app's one writer of returns (R-FUL-10) restocks too
        events += record_return(order, returned, data.restock, actor, data.reason)
        fields.append("fulfillment_status")
    order.save(update_fields=fields)
    manual = [r for r in rows if r.state == PaymentState.SUCCEEDED]
    if manual:
        events.append(
            RefundRecorded(
                amount=fmt(sum((r.amount for r in manual), ZERO), c),
                currency=c,
                payment_status=Change(before, after),
                provider="manual",
            )
        )
    by_provider: dict[str, list[Payment]] = defaultdict(list)
    for r in rows:
        if r.state == PaymentState.PENDING:
            by_provider[r.provider].append(r)
    for name, pending in by_provider.items():
        events.append(
            RefundRequested(
                amount=fmt(sum((r.amount for r in pending), ZERO), c),
                currency=c,
                provider=name,
                payments=[r.pk for r in pending],
            )
        )
    record_events(actor, [(order, e) for e in events])
    return rows


def refund_create(*, seller_id: int, number: int | str, actor: Actor, data: RefundIn) -> Order:
    """Refund money of an order (R-PAY-4); online parts go through their provider right away.

    A provider that cannot be reached leaves its part pending (shown on the ledger); the
    worker sends it again with the same key until the provider answers.
    """
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        rows = _write(order, refund_quote(order, data), data, actor)
    for row in rows:
        if row.state == PaymentState.PENDING:
            with contextlib.suppress(ProviderUnavailable):  # stays pending; the worker retries it
                refund_settle(row.pk, actor)
    return Order.objects.get(pk=order.pk)


def refund_preview(*, seller_id: int, number: int | str, data: RefundIn) -> RefundQuote:
    """The quote for the form's preview (no lock, no write)."""
    return refund_quote(order_get(seller_id=seller_id, number=number), data)


def refund_settle(payment_id: int, actor: Actor) -> Payment:
    """Phase 2: send one pending refund row to its provider and record the answer.

    Idempotent: a row that is no longer pending is left alone. Raises ProviderUnavailable when the
    provider could not be asked (the row stays pending and nothing is written).
    """
    row = Payment.objects.select_related("order").get(pk=payment_id, kind=PaymentKind.REFUND)
    with transaction.atomic():
        order = lock_order(seller_id=row.order.seller_id, number=row.order.number)
        row = Payment.objects.select_related("parent").get(pk=payment_id)
        if row.state != PaymentState.PENDING:
            return row
        assert row.parent is not None  # a refund row always has its payment (a DB constraint)
        outcome = provider_named(row.provider).refund(row, parent=row.parent)
        if outcome.state == PaymentState.PENDING:  # the provider answers later by webhook
            if outcome.reference and not row.reference:
                row.reference = outcome.reference[:200]
                row.save(update_fields=["reference"])
            return row
        settle_refund_row(
            order, row, outcome.state, reference=outcome.reference, error=outcome.error, actor=actor
        )
    return row


def settle_refund_row(
    order: Order, row: Payment, state: PaymentState, *, reference: str, error: str, actor: Actor
) -> None:
    """Mark a pending refund row succeeded or failed and record it (caller holds the order lock)."""
    row.state = state
    row.reference = (reference or row.reference)[:200]
    row.settled_at = timezone.now()
    if error:
        row.details = {**row.details, "error": error[:500]}
    row.save(update_fields=["state", "reference", "settled_at", "details"])
    before, after = refresh_payment_status(order)
    order.save(update_fields=["paid_amount", "refunded_amount", "payment_status", "updated_at"])
    c = order.currency
    event: Event
    if state == PaymentState.SUCCEEDED:
        event = RefundRecorded(
            amount=fmt(row.amount, c),
            currency=c,
            payment_status=Change(before, after),
            provider=row.provider,
            reference=row.reference or None,
        )
    else:
        event = RefundFailed(amount=fmt(row.amount, c), currency=c, provider=row.provider, error=error)
    record_events(actor, [(order, event)])


def refund_online_money(order_id: int, actor: Actor) -> list[Payment]:
    """Cancel-with-refund (R-PAY-6): give back all money still held from online payments.

    Writes the pending rows (phase 1) in the caller's transaction; their `refund_requested`
    event makes the worker settle them. Money taken offline is left for staff to give back
    by hand (the order page shows it as refund due).
    """
    head = Order.objects.only("seller_id", "number").get(pk=order_id)
    order = lock_order(seller_id=head.seller_id, number=head.number)
    online = [(p, left) for p, left in refundable_payments(order) if provider_named(p.provider).online]
    rows = [_write_from(order, parent, left, actor, reason="order cancelled") for parent, left in online]
    return rows


def _write_from(order: Order, parent: Payment, amount: Decimal, actor: Actor, *, reason: str) -> Payment:
    """A pending refund of `amount` from the online payment `parent`, with its event."""
    row = Payment.objects.create(
        order=order,
        kind=PaymentKind.REFUND,
        state=PaymentState.PENDING,
        amount=amount,
        currency=order.currency,
        provider=parent.provider,
        parent=parent,
        details={"reason": reason, "by": actor.label},
        created_by=actor.user,
    )
    event = RefundRequested(
        amount=fmt(amount, order.currency), currency=order.currency, provider=row.provider, payments=[row.pk]
    )
    record_events(actor, [(order, event)])
    return row
