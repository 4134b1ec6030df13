"""Refunds (R-PAY-4) through the service, with manual (offline) and sandbox payments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderEvent, OrderLine
from sellerdesk.payments.ledger import balance_of
from sellerdesk.payments.models import Payment, PaymentKind, PaymentState
from sellerdesk.payments.online import payment_start
from sellerdesk.payments.refunds import RefundIn, refund_create, refund_preview
from tests.conftest import actor, place

pytestmark = pytest.mark.django_db

CARD_OK = "4242424242424242"


def _paid_offline(seller, **kw):  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer", **kw)
    return services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))


def _paid_sandbox(seller, **kw):  # type: ignore[no-untyped-def]
    order = place(seller, **kw)
    row = payment_start(
        seller_id=seller.pk, number=order.number, actor=actor(seller), provider="sandbox", source=CARD_OK
    )
    assert row.state == PaymentState.SUCCEEDED
    return Order.objects.get(pk=order.pk)


def _refund(seller, order, **kw):  # type: ignore[no-untyped-def]
    return refund_create(seller_id=seller.pk, number=order.number, actor=actor(seller), data=RefundIn(**kw))


def test_one_line_unit_plus_shipping_gives_partially_refunded_with_who_and_when(seller) -> None:
    order = _paid_offline(seller)  # 2 × 12.50 + 4.00 shipping = 29.00
    line = order.lines.get()
    order = _refund(seller, order, lines={line.pk: 1}, shipping=Decimal("4.00"), reason="broken")
    assert order.payment_status == "partially_refunded"
    assert order.refunded_amount == Decimal("16.50")
    refund = Payment.objects.get(order=order, kind=PaymentKind.REFUND)
    assert (refund.state, refund.provider, refund.amount) == (
        PaymentState.SUCCEEDED,
        "manual",
        Decimal("16.50"),
    )
    assert refund.created_by is not None and refund.created_by.email.startswith("manager@")
    assert refund.settled_at is not None
    assert refund.details["lines"] == {str(line.pk): 1}
    assert OrderEvent.objects.filter(order=order, type="refund_recorded").count() == 1


def test_the_rest_refunds_fully_and_nothing_more_can_be_refunded(seller) -> None:
    order = _paid_offline(seller)
    line = order.lines.get()
    _refund(seller, order, lines={line.pk: 1})
    order = _refund(seller, order, lines={line.pk: 1}, shipping=Decimal("4.00"))
    assert order.payment_status == "refunded"
    assert order.refunded_amount == order.paid_amount == Decimal("29.00")
    with pytest.raises(Conflict) as refused:
        _refund(seller, order, adjustment_refund=Decimal("0.01"))
    assert refused.value.code == "refund_exceeds_paid"
    with pytest.raises(InvalidInput) as too_many:
        _refund(seller, order, lines={line.pk: 1})
    assert too_many.value.code == "quantity_too_large"


def test_adjustment_fee_is_taken_off_and_preview_matches_what_is_written(seller) -> None:
    order = _paid_offline(seller)
    line = order.lines.get()
    data = {"lines": {line.pk: 2}, "adjustment_refund": Decimal("1.005"), "adjustment_fee": Decimal("3")}
    quote = refund_preview(seller_id=seller.pk, number=order.number, data=RefundIn(**data))
    assert quote.amount == Decimal("23.01")  # 25.00 + 1.01 (rounded half up) − 3.00
    order = _refund(seller, order, **data)
    assert order.refunded_amount == quote.amount


def test_order_discount_is_shared_by_the_returned_units(seller) -> None:
    order = _paid_offline(seller, discount=Decimal("5.00"))  # goods 25.00 − 5.00, shipping 4.00
    line = order.lines.get()
    quote = refund_preview(seller_id=seller.pk, number=order.number, data=RefundIn(lines={line.pk: 1}))
    assert quote.amount == Decimal("10.00")


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        ({"lines": {999999: 1}}, NotFound, "line_not_found"),
        ({"shipping": Decimal("4.01")}, InvalidInput, "shipping_too_large"),
        ({"adjustment_fee": Decimal("-1")}, InvalidInput, "invalid_amount"),
        ({}, InvalidInput, "nothing_to_refund"),
        ({"adjustment_refund": Decimal("29.01")}, Conflict, "refund_exceeds_paid"),
    ],
)
def test_bad_refunds_are_refused_and_write_nothing(seller, data, error, code) -> None:  # type: ignore[no-untyped-def]
    order = _paid_offline(seller)
    with pytest.raises(error) as refused:
        _refund(seller, order, **data)
    assert refused.value.code == code
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()


def test_another_sellers_line_is_not_found(seller, other_seller) -> None:
    order = _paid_offline(seller)
    foreign = OrderLine.objects.get(order=place(other_seller))
    with pytest.raises(NotFound):
        _refund(seller, order, lines={foreign.pk: 1})


def test_unpaid_order_has_nothing_to_refund(seller) -> None:
    order = place(seller, payment_method="bank_transfer")
    with pytest.raises(Conflict) as refused:
        _refund(seller, order, shipping=Decimal("1"))
    assert refused.value.code == "refund_exceeds_paid"


def test_sandbox_refund_goes_through_the_provider_with_its_reference(seller) -> None:
    order = _paid_sandbox(seller)
    order = _refund(seller, order, shipping=Decimal("4.00"))
    refund = Payment.objects.get(order=order, kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.SUCCEEDED
    assert refund.reference == f"sbx_re_sellerdesk-refund-{refund.pk}"
    assert order.payment_status == "partially_refunded"
    types = list(OrderEvent.objects.filter(order=order).values_list("type", flat=True))
    assert types[-2:] == ["refund_requested", "refund_recorded"]


def test_sandbox_declined_refund_is_recorded_as_failed_and_the_money_is_refundable_again(seller) -> None:
    order = _paid_sandbox(seller)
    order = _refund(seller, order, adjustment_refund=Decimal("1.13"))  # ends in 13: declined
    refund = Payment.objects.get(order=order, kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.FAILED
    assert order.payment_status == "paid" and order.refunded_amount == 0
    assert OrderEvent.objects.filter(order=order, type="refund_failed").exists()
    assert balance_of(order).refundable == Decimal("29.00")


def test_unreachable_provider_leaves_the_refund_pending_and_reserved(seller) -> None:
    order = _paid_sandbox(seller)
    order = _refund(seller, order, adjustment_refund=Decimal("20.14"))  # ends in 14: unavailable
    refund = Payment.objects.get(order=order, kind=PaymentKind.REFUND)
    assert refund.state == PaymentState.PENDING
    assert order.payment_status == "paid"
    balance = balance_of(order)
    assert (balance.refund_pending, balance.refundable) == (Decimal("20.14"), Decimal("8.86"))
    with pytest.raises(Conflict):
        _refund(seller, order, adjustment_refund=Decimal("9.00"))


def test_cancelled_paid_order_shows_the_refund_due_not_outstanding(seller) -> None:
    order = _paid_offline(seller)
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    order.refresh_from_db()
    balance = balance_of(order)
    assert (balance.outstanding, balance.refund_due) == (0, Decimal("29.00"))
    order = _refund(seller, order, everything=True)
    balance = balance_of(order)
    assert (balance.refund_due, order.payment_status) == (0, "refunded")


def test_mixed_payments_refund_newest_first(seller) -> None:
    order = place(seller)
    services.order_mark_paid(
        seller_id=seller.pk, number=order.number, actor=actor(seller), amount=Decimal("9")
    )
    payment_start(
        seller_id=seller.pk, number=order.number, actor=actor(seller), provider="sandbox", source=CARD_OK
    )
    order = _refund(seller, order, adjustment_refund=Decimal("25"))
    parts = {r.provider: r.amount for r in Payment.objects.filter(kind=PaymentKind.REFUND)}
    assert parts == {"sandbox": Decimal("20.00"), "manual": Decimal("5.00")}
    assert order.refunded_amount == Decimal("25.00")


def _delivered_digital(seller):  # type: ignore[no-untyped-def]
    order = place(seller, shipping_method="digital", payment_method="bank_transfer", shipping_address={})
    services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return services.order_deliver(seller_id=seller.pk, number=order.number, actor=actor(seller))


def test_refund_of_delivered_units_records_the_return_and_restocks(seller) -> None:
    from sellerdesk.catalog.models import Product

    order = _delivered_digital(seller)
    line = OrderLine.objects.get(order=order)
    stock = Product.objects.get(seller=seller, sku="MUG-01").stock
    order = _refund(seller, order, lines={line.pk: 1}, restock=True)
    line.refresh_from_db()
    assert line.quantity_returned == 1
    assert Product.objects.get(seller=seller, sku="MUG-01").stock == stock + 1
    assert order.fulfillment_status == "partially_returned"
    assert OrderEvent.objects.filter(order=order, type="return_recorded").count() == 1


def test_units_already_recorded_as_returned_are_not_returned_twice(seller) -> None:
    from sellerdesk.shipping.services import order_return

    order = _delivered_digital(seller)
    line = OrderLine.objects.get(order=order)
    order_return(
        seller_id=seller.pk, number=order.number, actor=actor(seller), quantities={line.pk: 2}, restock=False
    )
    _refund(seller, order, lines={line.pk: 2})
    line.refresh_from_db()
    assert line.quantity_returned == 2
    assert OrderEvent.objects.filter(order=order, type="return_recorded").count() == 1


def test_line_refund_before_shipping_returns_nothing(seller) -> None:
    order = _paid_offline(seller)
    line = OrderLine.objects.get(order=order)
    _refund(seller, order, lines={line.pk: 1})
    line.refresh_from_db()
    assert line.quantity_returned == 0
