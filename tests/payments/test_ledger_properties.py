"""Properties of the ledger (R-PAY-1, R-PAY-9) over random payment/refund sequences.

Whatever staff, the provider and the customer do, in any order: refunded never exceeds paid, the
stored sums equal the ledger's, payment_status is the one derived from the ledger, and amounts
are whole minor units.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerdesk.core.errors import DomainError
from sellerdesk.core.money import minor_units, quantize
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import derive_payment_status
from sellerdesk.payments.ledger import balance_of, ledger_of
from sellerdesk.payments.online import payment_start
from sellerdesk.payments.refunds import RefundIn, refund_create
from tests.conftest import actor, place

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=1, max_value=3500).map(lambda c: Decimal(c) / 100)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("offline"), cents),
        st.tuples(st.just("sandbox"), st.sampled_from(["4242424242424242", "4000000000000002"])),
        st.tuples(st.just("refund"), cents),
        st.tuples(st.just("refund_fee"), cents),
        st.tuples(st.just("cancel"), st.none()),
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_keeps_the_ledger_consistent(seller, steps) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    who = actor(seller)
    for what, value in steps:
        try:
            if what == "offline":
                services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=who, amount=value)
            elif what == "sandbox":
                payment_start(
                    seller_id=seller.pk, number=order.number, actor=who, provider="sandbox", source=value
                )
            elif what == "refund":
                refund_create(
                    seller_id=seller.pk,
                    number=order.number,
                    actor=who,
                    data=RefundIn(adjustment_refund=value),
                )
            elif what == "refund_fee":
                refund_create(
                    seller_id=seller.pk,
                    number=order.number,
                    actor=who,
                    data=RefundIn(shipping=Decimal("4.00"), adjustment_fee=value),
                )
            else:
                services.order_cancel(
                    seller_id=seller.pk, number=order.number, actor=who, reason="out_of_stock"
                )
        except DomainError:
            pass  # a refused step writes nothing; the properties below must still hold
        current = Order.objects.get(pk=order.pk)
        ledger = ledger_of(current)
        assert current.refunded_amount <= current.paid_amount
        assert (current.paid_amount, current.refunded_amount) == (ledger.paid, ledger.refunded)
        assert current.payment_status == derive_payment_status(ledger).value
        balance = balance_of(current)
        assert balance.refundable == current.paid_amount - current.refunded_amount - balance.refund_pending
        for p in current.payments.all():
            assert quantize(p.amount, p.currency) == p.amount  # whole minor units only
            assert Decimal(minor_units(p.amount, p.currency)) / 100 == p.amount
