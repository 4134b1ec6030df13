"""The payment ledger of an order (R-PAY-1): sums of its payments and the derived payment status."""

from __future__ import annotations

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
    """The order's ledger sums, read from its payment rows (one query)."""
    rows = Payment.objects.filter(order=order).values("kind", "state").annotate(s=Sum("amount")).order_by()
    paid = refunded = ZERO
    pending = False
    for row in rows:
        amount: Decimal = row["s"] or ZERO
        if row["state"] == PaymentState.PENDING:
            pending = True
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


def refund_due(order: Order) -> Decimal:
    """The money the customer should get back now: what the order holds beyond its total (a cancelled
    order: all it holds). The refund writer gives it back; until then the order shows it."""
    kept = order.paid_amount - order.refunded_amount
    owed = ZERO if order.status == Status.CANCELLED else order.total
    return max(ZERO, kept - owed)
