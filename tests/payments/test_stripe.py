"""The Stripe adapter against a local fake of Stripe's API (R-PAY-5), and Stripe webhooks (R-PAY-2)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.test import Client

from sellerdesk.orders.models import Order, OrderEvent, OrderLine
from sellerdesk.payments.ledger import refresh_payment_status
from sellerdesk.payments.models import Payment, PaymentKind, PaymentState, ProviderEvent
from sellerdesk.payments.online import payment_start
from sellerdesk.payments.refunds import RefundIn, refund_create, refund_settle
from tests.conftest import actor, place, table_counts

from .conftest import STRIPE_WEBHOOK_SECRET, hmac_header, stripe_event
from .stripe_fake import DECLINED_PM, StripeFake

pytestmark = pytest.mark.django_db


def _charge(seller, order, pm: str = "pm_card_visa") -> Payment:  # type: ignore[no-untyped-def]
    return payment_start(
        seller_id=seller.pk, number=order.number, actor=actor(seller), provider="stripe", source=pm
    )


def test_payment_intent_is_created_in_minor_units_and_marks_the_order_paid(
    seller, stripe_fake: StripeFake
) -> None:
    order = place(seller, currency="EUR")
    row = _charge(seller, order)
    assert row.state == PaymentState.SUCCEEDED and row.reference.startswith("pi_fake")
    method, path, form, headers = stripe_fake.requests[0]
    assert (method, path) == ("POST", "/v1/payment_intents")
    assert form["amount"] == ["2900"] and form["currency"] == ["eur"]
    assert form["metadata[order_id]"] == [str(order.pk)]
    assert headers["Idempotency-Key"] == row.idempotency_key
    order.refresh_from_db()
    assert (order.payment_status, order.paid_amount) == ("paid", Decimal("29.00"))


def test_declined_card_leaves_the_order_unpaid_and_tells_the_seller(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    row = _charge(seller, order, DECLINED_PM)
    assert row.state == PaymentState.FAILED
    order.refresh_from_db()
    assert order.payment_status == "unpaid"
    failed = OrderEvent.objects.get(order=order, type="payment_failed")
    assert failed.data["error"] == "Your card was declined."


def test_refund_sends_the_amount_and_an_idempotency_key_from_our_row(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    _charge(seller, order)
    line = OrderLine.objects.filter(order=order).first()
    assert line is not None
    order = refund_create(
        seller_id=seller.pk, number=order.number, actor=actor(seller), data=RefundIn(lines={line.pk: 1})
    )
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    _, path, form, headers = stripe_fake.requests[-1]
    assert path == "/v1/refunds"
    assert form["amount"] == ["1250"] and headers["Idempotency-Key"] == f"sellerdesk-refund-{refund.pk}"
    assert refund.state == PaymentState.SUCCEEDED and refund.reference in stripe_fake.refunds
    assert order.payment_status == "partially_refunded"


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_outage_leaves_the_refund_pending_and_a_retry_refunds_once(
    seller, stripe_fake: StripeFake, failure
) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    _charge(seller, order)
    stripe_fake.fail_next.append(failure)
    order = refund_create(
        seller_id=seller.pk, number=order.number, actor=actor(seller), data=RefundIn(shipping=Decimal("4"))
    )
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.PENDING and order.refunded_amount == 0
    assert stripe_fake.refunds == {}
    if failure == "timeout":
        time.sleep(1.2)  # the fake answers one request at a time: let the slow one finish
    refund_settle(refund.pk, actor(seller))
    refund_settle(refund.pk, actor(seller))  # a second settle is a no-op
    refund.refresh_from_db()
    assert refund.state == PaymentState.SUCCEEDED
    assert len(stripe_fake.refunds) == 1


def test_provider_answering_again_with_the_same_key_refunds_once(seller, stripe_fake: StripeFake) -> None:
    """Our transaction lost after Stripe refunded: the row is still pending; the retry gets the same refund."""
    order = place(seller)
    _charge(seller, order)
    stripe_fake.fail_next.append("500")
    refund_create(
        seller_id=seller.pk, number=order.number, actor=actor(seller), data=RefundIn(shipping=Decimal("4"))
    )
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    # Stripe received and answered a first attempt that we never recorded:
    from sellerdesk.payments.providers import STRIPE

    first = STRIPE.refund(refund, parent=refund.parent)  # type: ignore[arg-type]  # a refund row has its parent
    refund_settle(refund.pk, actor(seller))
    refund.refresh_from_db()
    assert refund.reference == first.reference
    assert len(stripe_fake.refunds) == 1


def test_declined_refund_is_failed_and_recorded(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    _charge(seller, order)
    stripe_fake.fail_next.append("decline_refund")
    order = refund_create(
        seller_id=seller.pk, number=order.number, actor=actor(seller), data=RefundIn(shipping=Decimal("4"))
    )
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.FAILED and "disputed" in refund.details["error"]
    assert order.payment_status == "paid"


# --- webhooks ----------------------------------------------------------------------------------


def _post(body: bytes, signature: str):  # type: ignore[no-untyped-def]
    return Client().post(
        "/webhooks/payments/stripe",
        body,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )


def _succeeded(order: Order, event_id: str = "evt_1", pid: str = "pi_web1") -> bytes:
    return stripe_event(
        event_id,
        "payment_intent.succeeded",
        {
            "id": pid,
            "object": "payment_intent",
            "amount": 2900,
            "amount_received": 2900,
            "currency": "eur",
            "metadata": {"order_id": str(order.pk)},
            "status": "succeeded",
        },
    )


def test_signed_webhook_marks_paid_once_even_when_sent_twice(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    body = _succeeded(order)
    first = _post(body, hmac_header(body, STRIPE_WEBHOOK_SECRET))
    assert first.status_code == 200 and first.json() == {"result": "applied"}
    counts = table_counts()
    again = _post(body, hmac_header(body, STRIPE_WEBHOOK_SECRET))
    assert again.json() == {"result": "duplicate"}
    assert table_counts() == counts
    order.refresh_from_db()
    assert (order.payment_status, order.paid_amount) == ("paid", Decimal("29.00"))
    row = Payment.objects.get(order=order)
    assert (row.kind, row.provider, row.reference) == (PaymentKind.CAPTURE, "stripe", "pi_web1")
    assert OrderEvent.objects.filter(order=order, type="payment_recorded").count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        hmac_header(b"{}", "whsec_wrong"),
        "t=1,v1=deadbeef",
        "",
    ],
)
def test_bad_signature_is_refused_and_writes_nothing(seller, stripe_fake: StripeFake, signature: str) -> None:
    order = place(seller)
    counts = table_counts()
    answer = _post(_succeeded(order), signature)
    assert answer.status_code == 400
    assert table_counts() == counts


def test_stale_timestamp_is_refused(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    body = _succeeded(order)
    answer = _post(body, hmac_header(body, STRIPE_WEBHOOK_SECRET, at=int(time.time()) - 3600))
    assert answer.status_code == 400
    assert not ProviderEvent.objects.exists()
    order.refresh_from_db()
    assert order.payment_status == "unpaid"


def test_failed_payment_webhook_settles_our_pending_intent_as_failed(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    row = Payment.objects.create(
        order=order,
        kind=PaymentKind.CAPTURE,
        state=PaymentState.PENDING,
        amount=Decimal("29"),
        currency="EUR",
        provider="stripe",
        reference="pi_pending1",
    )
    refresh_payment_status(order)  # as payment_start leaves it: in progress
    order.save()
    body = stripe_event(
        "evt_f",
        "payment_intent.payment_failed",
        {
            "id": "pi_pending1",
            "object": "payment_intent",
            "amount": 2900,
            "currency": "eur",
            "metadata": {"order_id": str(order.pk)},
            "last_payment_error": {"message": "Insufficient funds."},
            "status": "requires_payment_method",
        },
    )
    assert _post(body, hmac_header(body, STRIPE_WEBHOOK_SECRET)).json() == {"result": "applied"}
    row.refresh_from_db()
    order.refresh_from_db()
    assert row.state == PaymentState.FAILED and order.payment_status == "unpaid"
    event = OrderEvent.objects.get(order=order, type="payment_failed")
    assert event.data["error"] == "Insufficient funds."
    assert event.data["payment_status"] == {"from": "in_progress", "to": "unpaid"}


def test_pending_stripe_refund_is_settled_by_its_webhook(seller, stripe_fake: StripeFake) -> None:
    order = place(seller)
    _charge(seller, order)
    stripe_fake.refund_status = "pending"
    refund_create(
        seller_id=seller.pk, number=order.number, actor=actor(seller), data=RefundIn(shipping=Decimal("4"))
    )
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.PENDING and refund.reference.startswith("re_fake")
    body = stripe_event(
        "evt_r",
        "refund.updated",
        {"id": refund.reference, "object": "refund", "amount": 400, "currency": "eur", "status": "succeeded"},
    )
    assert _post(body, hmac_header(body, STRIPE_WEBHOOK_SECRET)).json() == {"result": "applied"}
    refund.refresh_from_db()
    order.refresh_from_db()
    assert refund.state == PaymentState.SUCCEEDED
    assert (order.payment_status, order.refunded_amount) == ("partially_refunded", Decimal("4.00"))
