"""Properties of the earnings ledger over random sequences of payments, refunds, closing, cancelling and
payouts (R-PAY-8): every order balances to zero, and what a seller can be paid never counts refunded money."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sellerdesk.core.errors import DomainError
from sellerdesk.core.money import ZERO, quantize
from sellerdesk.earnings import services as earnings
from sellerdesk.earnings.ledger import SETTLED, balances, sums_of
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from tests.conftest import actor
from tests.domain.invariants import check_all
from tests.earnings.conftest import drive, pickup_order, record_refund

pytestmark = pytest.mark.django_db
NEXT = {"pending": "confirm", "confirmed": "process", "processing": "deliver", "delivered": "close"}
EXAMPLES = int(os.environ.get("SELLERDESK_PROP_EXAMPLES", "20"))

ops = st.lists(
    st.tuples(
        st.sampled_from(["pay", "refund", "advance", "advance", "advance", "cancel", "payout"]),
        st.integers(min_value=0, max_value=1),  # which order
        st.integers(min_value=1, max_value=100),  # a percentage of the amount at stake
    ),
    min_size=5,
    max_size=40,
)


def _step(seller, operator, order: Order, op: str, pct: int) -> None:  # type: ignore[no-untyped-def]
    kw = {"seller_id": seller.pk, "number": order.number, "actor": actor(seller)}
    order.refresh_from_db()
    if op == "pay":
        outstanding = order.total - order.paid_amount
        part = quantize(outstanding * pct / 100, "EUR") if pct < 50 else None  # None: in full
        services.order_mark_paid(amount=part or None, **kw)
    elif op == "refund":
        amount = quantize((order.paid_amount - order.refunded_amount) * pct / 100, "EUR")
        if amount > 0:
            record_refund(seller, order, amount)
    elif op == "cancel":
        services.order_cancel(reason="out_of_stock", **kw)
    elif op == "payout":
        earnings.payout_create(operator=operator, seller_id=seller.pk, currency="EUR")
    else:  # the next step of the lifecycle
        step = NEXT.get(order.status)
        if step is not None:
            event(f"advance to {step}")
            getattr(services, f"order_{step}")(**kw)
    if op == "payout":
        event("payout made")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=ops,
    percent=st.integers(min_value=0, max_value=30),
    test_order=st.booleans(),
    start=st.sampled_from(["confirmed", "paid", "delivered"]),
)
def test_every_order_balances_and_available_never_counts_refunds(
    seller, operator, steps, percent, test_order, start
) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        plan = earnings.plan_save(operator=operator, name="P", percent=str(percent), fixed_fee="0.50")
        earnings.plan_assign(operator=operator, seller_id=seller.pk, plan_id=plan.pk)
        orders = [pickup_order(seller, is_test=(test_order and i == 0)) for i in range(2)]
        orders[1] = drive(seller, orders[1], to=start)
        for op, which, pct in steps:
            try:
                with transaction.atomic():
                    _step(seller, operator, orders[which], op, pct)
            except DomainError:
                pass
            check_all([seller.pk])
            # What the seller has been and can be paid is exactly the settled orders' money kept
            # after refunds and commission: a refunded cent is never available.
            settled = Order.objects.filter(seller=seller, is_test=False, status__in=list(SETTLED))
            kept = ZERO
            for o in settled:
                sums = sums_of(o)
                kept += o.paid_amount - o.refunded_amount - sums["commission"]
            figures = balances(seller_id=seller.pk)
            payable = sum((b.available + b.paid_out for b in figures), ZERO)
            assert payable == kept
        transaction.set_rollback(True)


def test_the_property_sees_a_broken_ledger(seller, operator) -> None:
    """The invariant check is not vacuous: a stray seller row makes it fail."""
    from sellerdesk.earnings.models import EarningsEntry

    order = pickup_order(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))
    check_all([seller.pk])
    EarningsEntry.objects.create(
        seller=seller, order=order, kind="seller", amount=Decimal("1"), currency="EUR"
    )
    with pytest.raises(AssertionError, match="does not balance"):
        check_all([seller.pk])
