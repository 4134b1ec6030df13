"""The payment ledger of an order (R-PAY-1): sums of its payments and the derived payment status.

Every figure the order page, the API and the refund service show about money is computed here
from the ledger rows; `Order.paid_amount` and `Order.refunded_amount` are kept equal to these
sums by `refresh_payment_status` (earnings read them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from sellerdesk.core.money import ZERO
from sellerdesk.earnings.ledger import post_order
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import Ledger, Status, derive_payment_status

from .models import Payment, PaymentKind, PaymentState

# Which succeeded payment kinds add to "paid" and which to "refunded"; others (authorisations)
# move no money yet.
PAID_KINDS = (PaymentKind.CAPTURE, PaymentKind.OFFLINE)
REFUND_KINDS = (PaymentKind.REFUND,)


def ledger_of(order: Order) -> Ledger:
    """The order's ledger sums, read from its payment rows (one query).

    A pending refund does not count as refunded (no money has moved yet) and does not make the
    order "in progress" either: only a pending payment does.
    """
    rows = Payment.objects.filter(order=order).values("kind", "state").annotate(s=Sum("amount")).order_by()
    paid = refunded = ZERO
    pending = False
    for row in rows:
        amount: Decimal = row["s"] or ZERO
        if row["state"] == PaymentState.PENDING:
            pending = pending or row["kind"] in (*PAID_KINDS, PaymentKind.AUTHORIZE)
        elif row["state"] == PaymentState.SUCCEEDED:
            if row["kind"] in PAID_KINDS:
                paid += amount
            elif row["kind"] in REFUND_KINDS:
                refunded += amount
    return Ledger(total=order.total, paid=paid, refunded=refunded, pending=pending)


def refresh_payment_status(order: Order) -> tuple[str, str]:
    """Recompute paid/refunded and payment_status from the ledger (in memory). Returns (before, after)."""
    before = order.payment_status
    ledger = ledger_of(order)
    order.paid_amount = ledger.paid
    order.refunded_amount = ledger.refunded
    order.payment_status = derive_payment_status(ledger).value
    # Every money movement reaches the seller's earnings ledger here, in the same transaction (R-PAY-8).
    post_order(order)
    return before, order.payment_status


@dataclass(frozen=True)
class Balance:
    """What the order page says about money: what the customer still owes, what we owe back."""

    paid: Decimal
    refunded: Decimal
    refund_pending: Decimal  # sent to a provider, not answered yet
    outstanding: Decimal  # the customer still has to pay this
    refund_due: Decimal  # received money that has to go back (cancelled or overpaid), not yet refunded
    refundable: Decimal  # the most a new refund may be


def balance_of(order: Order, payments: list[Payment] | None = None) -> Balance:
    """The order's balance from its ledger rows (`payments`: already loaded rows, to save a query)."""
    rows = list(order.payments.all()) if payments is None else payments
    paid = sum((p.amount for p in rows if p.kind in PAID_KINDS and p.state == PaymentState.SUCCEEDED), ZERO)
    refunded = sum(
        (p.amount for p in rows if p.kind in REFUND_KINDS and p.state == PaymentState.SUCCEEDED), ZERO
    )
    pending = sum(
        (p.amount for p in rows if p.kind in REFUND_KINDS and p.state == PaymentState.PENDING), ZERO
    )
    held = paid - refunded - pending  # money we still hold and have not promised back
    if order.status == Status.CANCELLED:
        outstanding, due = ZERO, held
    else:
        outstanding = max(order.total - paid, ZERO)
        due = max(paid - refunded - pending - order.total, ZERO)
    return Balance(
        paid=paid,
        refunded=refunded,
        refund_pending=pending,
        outstanding=outstanding,
        refund_due=max(due, ZERO),
        refundable=max(held, ZERO),
    )


def refundable_payments(order: Order) -> list[tuple[Payment, Decimal]]:
    """Each succeeded payment with what can still be refunded from it (its amount minus its
    refunds that succeeded or are pending), newest first: refunds give back the latest money first."""
    rows = list(Payment.objects.filter(order=order).order_by("-id"))
    taken: dict[int, Decimal] = defaultdict(lambda: ZERO)
    unassigned = ZERO  # refunds recorded without their payment: taken from the newest ones
    for p in rows:
        if p.kind in REFUND_KINDS and p.state != PaymentState.FAILED:
            if p.parent_id:
                taken[p.parent_id] += p.amount
            else:
                unassigned += p.amount
    out = []
    for p in rows:
        if p.kind in PAID_KINDS and p.state == PaymentState.SUCCEEDED:
            left = p.amount - taken[p.pk]
            share = min(left, unassigned)
            left, unassigned = left - share, unassigned - share
            if left > 0:
                out.append((p, left))
    return out


def refund_due(order: Order) -> Decimal:
    """The money the customer should get back now (cancelled or overpaid, not yet refunded)."""
    return balance_of(order).refund_due
