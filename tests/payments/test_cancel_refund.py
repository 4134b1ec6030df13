"""Cancel-with-refund (R-PAY-6): the worker gives a cancelled order's online money back, once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellerdesk.core.errors import Conflict
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.outbox import jobs
from sellerdesk.outbox.models import OutboxEvent
from sellerdesk.payments.handlers import refund_cancelled_order
from sellerdesk.payments.models import Payment, PaymentKind, PaymentState
from sellerdesk.payments.online import payment_start
from tests.conftest import actor, place
from tests.outbox.conftest import run_workers

from .stripe_fake import StripeFake

pytestmark = pytest.mark.django_db(transaction=True)


def _paid_and_cancelled(seller, provider: str, source: str) -> Order:  # type: ignore[no-untyped-def]
    order = place(seller)
    payment_start(
        seller_id=seller.pk, number=order.number, actor=actor(seller), provider=provider, source=source
    )
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    with pytest.raises(Conflict):  # a retried cancel is refused: the order is already cancelled
        services.order_cancel(
            seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
        )
    return order


def test_stripe_order_is_refunded_by_the_worker_once(seller, stripe_fake: StripeFake) -> None:
    order = _paid_and_cancelled(seller, "stripe", "pm_card_visa")
    run_workers(2)
    run_workers(1)  # nothing left to do
    order.refresh_from_db()
    assert (order.payment_status, order.refunded_amount) == ("refunded", Decimal("29.00"))
    assert [r["amount"] for r in stripe_fake.refunds.values()] == [2900]
    refund = Payment.objects.get(order=order, kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.SUCCEEDED
    assert OrderEvent.objects.filter(order=order, type="refund_recorded").count() == 1


def test_sandbox_order_is_refunded_and_a_replayed_cancellation_does_nothing(seller) -> None:
    order = _paid_and_cancelled(seller, "sandbox", "4242424242424242")
    run_workers(1)
    order.refresh_from_db()
    assert order.payment_status == "refunded"
    cancelled = OutboxEvent.objects.get(order_id=order.pk, type="order_cancelled")
    refund_cancelled_order(cancelled, "replayed")  # the same event handled again
    assert Payment.objects.filter(order=order, kind=PaymentKind.REFUND).count() == 1


def test_offline_money_is_left_for_staff_as_refund_due(seller) -> None:
    order = place(seller, payment_method="cash_on_delivery")
    services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    run_workers(1)
    assert not Payment.objects.filter(order=order, kind=PaymentKind.REFUND).exists()
    assert jobs.once(f"cancel-refund:{order.pk}") is False  # the handler ran (and found nothing online)


def test_refund_waits_out_a_stripe_outage_and_still_refunds_once(
    seller, stripe_fake: StripeFake, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OUTBOX_BACKOFF_BASE = 0
    order = _paid_and_cancelled(seller, "stripe", "pm_card_visa")
    stripe_fake.fail_next += ["500", "500"]
    for _ in range(4):
        run_workers(1)
    order.refresh_from_db()
    assert order.payment_status == "refunded"
    assert len(stripe_fake.refunds) == 1
    assert stripe_fake.fail_next == []  # both outages were met and waited out
