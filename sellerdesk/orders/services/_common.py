"""Shared pieces of the order writers: the row lock and the derived axes."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from sellerdesk.core.errors import NotFound
from sellerdesk.core.money import ZERO
from sellerdesk.payments.models import Payment, PaymentKind, PaymentState

from ..models import Order
from ..states import Ledger, LineQty, Status, derive_fulfillment_status, derive_payment_status


def lock_order(*, seller_id: int, number: int | str) -> Order:
    """The order row, locked for this transaction (first in the global lock order).

    Another seller's order does not exist for this caller: 404, never 403.
    """
    try:
        n = int(number)
    except (TypeError, ValueError):
        raise NotFound("order_not_found", f"There is no order {number!r}.") from None
    order = Order.objects.select_for_update().filter(seller_id=seller_id, number=n).first()
    if order is None:
        raise NotFound("order_not_found", f"There is no order {number}.")
    return order


def ledger_of(order: Order) -> Ledger:
    rows = Payment.objects.filter(order=order).values("kind", "state").annotate(s=Sum("amount")).order_by()
    paid = refunded = ZERO
    pending = False
    for row in rows:
        amount: Decimal = row["s"] or ZERO
        if row["state"] == PaymentState.PENDING:
            pending = True
        elif row["state"] == PaymentState.SUCCEEDED:
            if row["kind"] in (PaymentKind.CAPTURE, PaymentKind.OFFLINE):
                paid += amount
            elif row["kind"] == PaymentKind.REFUND:
                refunded += amount
    return Ledger(total=order.total, paid=paid, refunded=refunded, pending=pending)


def refresh_payment_status(order: Order) -> tuple[str, str]:
    """Recompute paid/refunded and payment_status from the ledger. Returns (before, after)."""
    before = order.payment_status
    ledger = ledger_of(order)
    order.paid_amount = ledger.paid
    order.refunded_amount = ledger.refunded
    order.payment_status = derive_payment_status(ledger).value
    return before, order.payment_status


def refresh_fulfillment_status(order: Order) -> tuple[str, str]:
    before = order.fulfillment_status
    lines = [
        LineQty(line.quantity, line.quantity_fulfilled, line.quantity_cancelled, line.quantity_returned)
        for line in order.lines.all()
    ]
    order.fulfillment_status = derive_fulfillment_status(
        Status(order.status), order.shipping_method, lines
    ).value
    return before, order.fulfillment_status
