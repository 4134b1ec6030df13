"""Fixtures of the earnings tests: a marketplace operator, a tariff plan, orders driven to a state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from sellerdesk.accounts.models import Marketplace, Seller, User
from sellerdesk.orders import services
from sellerdesk.orders.locking import lock_order
from sellerdesk.orders.models import Order
from sellerdesk.payments.ledger import refresh_payment_status
from sellerdesk.payments.models import Payment, PaymentKind
from tests.conftest import actor, place


@pytest.fixture
def operator(marketplace: Marketplace) -> User:
    return User.objects.create_user(email="operator@market.test", password="pw", operator_of=marketplace)


def pickup_order(seller: Seller, **kw: Any) -> Order:
    """A pickup order of 2 × MUG-01 at 12.50: total 25.00, closed by hand without a carrier."""
    kw.setdefault("shipping_method", "pickup")
    kw.setdefault("shipping_price", Decimal("0"))
    kw.setdefault("payment_method", "bank_transfer")
    return Order.objects.get(pk=place(seller, **kw).pk)


def drive(seller: Seller, order: Order, *, to: str, paid: Decimal | None = None) -> Order:
    """Confirm, pay (`paid`; None: in full), process, deliver and close, as far as `to`."""
    kw: dict[str, Any] = {"seller_id": seller.pk, "number": order.number, "actor": actor(seller)}
    steps = ["confirmed", "paid", "processing", "delivered", "closed"]
    do = {
        "confirmed": lambda: services.order_confirm(**kw),
        "paid": lambda: services.order_mark_paid(amount=paid, **kw),
        "processing": lambda: services.order_process(**kw),
        "delivered": lambda: services.order_deliver(**kw),
        "closed": lambda: services.order_close(**kw),
    }
    for step in steps[: steps.index(to) + 1]:
        do[step]()
    return Order.objects.get(pk=order.pk)


def record_refund(seller: Seller, order: Order, amount: Decimal) -> Order:
    """A refund as the refund writer records it: a ledger row, then the one refresh, in the order's lock."""
    with transaction.atomic():
        locked = lock_order(seller_id=seller.pk, number=order.number)
        Payment.objects.create(order=locked, kind=PaymentKind.REFUND, amount=amount, currency=locked.currency)
        refresh_payment_status(locked)
        locked.save()
    return locked
