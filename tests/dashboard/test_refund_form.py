"""The order page's money (R-PAY-1, R-PAY-4): the ledger, refund due, the refund form and its preview."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderLine
from sellerdesk.payments.models import Payment, PaymentKind
from tests.conftest import actor, place

from .test_order_page import client_for

pytestmark = pytest.mark.django_db


def _paid(seller) -> Order:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    return services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))


def test_cancelled_paid_order_shows_refund_due_not_outstanding(seller) -> None:  # type: ignore[no-untyped-def]
    order = _paid(seller)
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert 'data-money="refund-due"' in html and "29.00" in html
    assert 'data-money="outstanding"' not in html
    assert "data-refund-submit" in html


def test_preview_shows_the_amount_before_anything_is_written(seller) -> None:  # type: ignore[no-untyped-def]
    order = _paid(seller)
    line = OrderLine.objects.get(order=order)
    answer = client_for(seller).post(
        f"/orders/{order.number}/refund/preview/",
        {f"refund-qty_{line.pk}": "1", "refund-shipping": "4"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert 'data-refund-amount="16.50"' in answer.content.decode()
    too_much = client_for(seller).post(
        f"/orders/{order.number}/refund/preview/",
        {"refund-adjustment_refund": "30"},
        headers={"HX-Request": "true"},
    )
    assert "can be refunded" in too_much.content.decode()
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()


def test_refund_one_line_and_shipping_gives_partially_refunded(seller) -> None:  # type: ignore[no-untyped-def]
    order = _paid(seller)
    line = OrderLine.objects.get(order=order)
    answer = client_for(seller).post(
        f"/orders/{order.number}/refund/",
        {f"refund-qty_{line.pk}": "1", "refund-shipping": "4", "refund-reason": "broken"},
    )
    assert answer.status_code == 302
    order.refresh_from_db()
    assert (order.payment_status, order.refunded_amount) == ("partially_refunded", Decimal("16.50"))
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert "−" in html and "16.50" in html and "manager@" in html.lower() or "Manager" in html


def test_refund_too_large_is_a_form_error_and_writes_nothing(seller) -> None:  # type: ignore[no-untyped-def]
    order = _paid(seller)
    answer = client_for(seller).post(f"/orders/{order.number}/refund/", {"refund-adjustment_refund": "29.01"})
    assert answer.status_code == 422
    assert "can be refunded" in answer.content.decode()
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()


def test_viewer_cannot_refund(seller) -> None:  # type: ignore[no-untyped-def]
    order = _paid(seller)
    assert client_for(seller, "viewer").post(f"/orders/{order.number}/refund/", {}).status_code == 403
    html = client_for(seller, "viewer").get(f"/orders/{order.number}/").content.decode()
    assert "data-refund-submit" not in html
