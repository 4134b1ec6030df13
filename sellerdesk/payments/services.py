"""The payment writers (R-PAY-3): money recorded on an order's ledger, in the order's lock."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from sellerdesk.accounts.actors import Actor
from sellerdesk.core.errors import Conflict, InvalidInput
from sellerdesk.core.events import Change
from sellerdesk.core.money import fmt, quantize
from sellerdesk.orders.events import record_event
from sellerdesk.orders.locking import ensure_open, lock_order
from sellerdesk.orders.models import Order

from .events import PaymentRecorded
from .ledger import refresh_payment_status
from .providers import provider_for


def order_mark_paid(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    amount: Decimal | None = None,
    reference: str = "",
) -> Order:
    """Record an offline payment; `amount` None pays the outstanding balance."""
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        outstanding = order.total - order.paid_amount
        if outstanding <= 0:
            raise Conflict(
                "already_paid",
                "The order is already paid in full.",
                payment_status=order.payment_status,
            )
        pay = outstanding if amount is None else quantize(amount, order.currency)
        if pay <= 0:
            raise InvalidInput("invalid_amount", "The amount must be more than zero.", field="amount")
        if pay > outstanding:
            raise Conflict(
                "overpayment",
                f"{fmt(pay, order.currency)} is more than the outstanding {fmt(outstanding, order.currency)}.",
                outstanding=fmt(outstanding, order.currency),
            )
        provider = provider_for(order.payment_method)
        provider.record(order, amount=pay, reference=reference, actor=actor)
        before, after = refresh_payment_status(order)
        order.save()
        record_event(
            actor,
            order,
            PaymentRecorded(
                amount=fmt(pay, order.currency),
                currency=order.currency,
                payment_status=Change(before, after),
                provider=provider.name,
            ),
        )
    return order
