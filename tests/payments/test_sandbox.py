"""The sandbox provider's magic values and its signed webhooks (R-PAY-2, R-PAY-5)."""

from __future__ import annotations

import pytest
from django.test import Client

from sellerdesk.orders.models import Order, OrderEvent
from sellerdesk.payments.models import PaymentState
from sellerdesk.payments.online import payment_start
from sellerdesk.payments.providers import SANDBOX_CARDS
from tests.conftest import actor, place

from .conftest import SANDBOX_SECRET, hmac_header, sandbox_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("card", "outcome"), [(card, state) for card, (state, _) in SANDBOX_CARDS.items()])
def test_each_magic_card_gives_its_outcome(seller, card: str, outcome: PaymentState) -> None:
    order = place(seller)
    row = payment_start(
        seller_id=seller.pk, number=order.number, actor=actor(seller), provider="sandbox", source=card
    )
    assert row.state == outcome
    order.refresh_from_db()
    expected = {"succeeded": "paid", "failed": "unpaid", "pending": "in_progress"}[outcome]
    assert order.payment_status == expected


def _hook(body: bytes, secret: str = SANDBOX_SECRET):  # type: ignore[no-untyped-def]
    return Client().post(
        "/webhooks/payments/sandbox",
        body,
        content_type="application/json",
        headers={"Sandbox-Signature": hmac_header(body, secret)},
    )


def _delayed(seller) -> tuple[Order, str]:  # type: ignore[no-untyped-def]
    order = place(seller)
    row = payment_start(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        provider="sandbox",
        source="4000000000003220",
    )
    return order, row.reference


def test_delayed_payment_is_settled_by_its_webhook_once(seller) -> None:
    order, reference = _delayed(seller)
    body = sandbox_event("sbx_evt_1", "payment.succeeded", reference=reference, order_id=order.pk)
    assert _hook(body).json() == {"result": "applied"}
    assert _hook(body).json() == {"result": "duplicate"}
    order.refresh_from_db()
    assert order.payment_status == "paid"
    assert OrderEvent.objects.filter(order=order, type="payment_recorded").count() == 1


def test_delayed_payment_that_fails_returns_the_order_to_unpaid(seller) -> None:
    order, reference = _delayed(seller)
    body = sandbox_event("sbx_evt_2", "payment.failed", reference=reference, error="Card expired.")
    assert _hook(body).status_code == 200
    order.refresh_from_db()
    assert order.payment_status == "unpaid"
    assert OrderEvent.objects.get(order=order, type="payment_failed").data["error"] == "Card expired."


def test_wrong_secret_and_unknown_provider_are_refused(seller) -> None:
    order, reference = _delayed(seller)
    body = sandbox_event("sbx_evt_3", "payment.succeeded", reference=reference)
    assert _hook(body, "not-the-secret").status_code == 400
    assert (
        Client().post("/webhooks/payments/nobody", body, content_type="application/json").status_code == 404
    )
    order.refresh_from_db()
    assert order.payment_status == "in_progress"
