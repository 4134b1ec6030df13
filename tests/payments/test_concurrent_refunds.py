"""Two refunds at the same moment never give back more than was paid (R-PAY-4, PostgreSQL)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from sellerdesk.core.errors import DomainError
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from sellerdesk.payments.models import Payment, PaymentKind
from sellerdesk.payments.online import payment_start
from sellerdesk.payments.refunds import RefundIn, refund_create
from tests.conftest import actor, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("provider", ["manual", "sandbox"])
def test_two_concurrent_full_refunds_refund_once(seller, provider: str) -> None:
    order = place(seller, payment_method="bank_transfer" if provider == "manual" else "online")
    if provider == "manual":
        services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))
    else:
        payment_start(
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            provider="sandbox",
            source="4242424242424242",
        )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def refund() -> None:
        try:
            start.wait()
            refund_create(
                seller_id=seller.pk,
                number=order.number,
                actor=actor(seller),
                data=RefundIn(adjustment_refund=Decimal("20.00")),
            )
            outcomes.append("refunded")
        except DomainError as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=refund) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refund_exceeds_paid", "refunded"]
    order = Order.objects.get(pk=order.pk)
    assert order.refunded_amount == Decimal("20.00") <= order.paid_amount
    assert Payment.objects.filter(order=order, kind=PaymentKind.REFUND).count() == 1
