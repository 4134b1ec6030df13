"""The earnings ledger (R-PAY-8): balanced per order, commission charged once on close, test orders never count."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellerdesk.catalog.models import Product
from sellerdesk.core.errors import Conflict, Forbidden, NotFound
from sellerdesk.earnings import services as earnings
from sellerdesk.earnings.ledger import balance_of, balances, sums_of
from sellerdesk.earnings.models import EarningsEntry, EntryKind, Payout
from sellerdesk.orders import services
from sellerdesk.orders.models import OrderEvent
from tests.conftest import actor
from tests.earnings.conftest import drive, pickup_order, record_refund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plan(operator, seller):  # type: ignore[no-untyped-def]
    plan = earnings.plan_save(
        operator=operator, name="Standard", percent="10", fixed_fee="1.00", currency="EUR"
    )
    earnings.plan_assign(operator=operator, seller_id=seller.pk, plan_id=plan.pk)
    return plan


def balance(seller):  # type: ignore[no-untyped-def]
    found = balances(seller_id=seller.pk)
    return found[0] if found else None


def test_paid_open_order_is_pending_then_available_after_delivery(seller, plan) -> None:
    order = drive(seller, pickup_order(seller), to="paid")
    assert sums_of(order)[EntryKind.SELLER] == D("25.00")
    assert balance(seller).pending == D("25.00") and balance(seller).available == 0
    drive_rest = services.order_process(seller_id=seller.pk, number=order.number, actor=actor(seller))
    services.order_deliver(seller_id=seller.pk, number=drive_rest.number, actor=actor(seller))
    assert balance(seller).pending == 0 and balance(seller).available == D("25.00")


def test_close_charges_the_plans_commission_once_and_the_ledger_balances(seller, plan) -> None:
    order = drive(seller, pickup_order(seller), to="closed")
    sums = sums_of(order)
    # 10 % of 25.00 plus the fixed 1.00
    assert sums[EntryKind.COMMISSION] == D("3.50")
    assert sums[EntryKind.SELLER] == D("21.50")
    assert balance_of(sums) == 0
    assert balance(seller).available == D("21.50")
    event = OrderEvent.objects.get(order=order, type="order_closed")
    assert {k: event.data[k] for k in ("commission", "plan", "seller_amount")} == {
        "commission": "3.50",
        "plan": "Standard",
        "seller_amount": "21.50",
    }
    with pytest.raises(Conflict):
        services.order_close(seller_id=seller.pk, number=order.number, actor=actor(seller))
    assert EarningsEntry.objects.filter(order=order, kind=EntryKind.COMMISSION).count() == 1


def test_category_rate_replaces_the_plan_percentage(operator, seller, plan) -> None:
    Product.objects.filter(seller=seller, sku="MUG-01").update(category="ceramics")
    earnings.plan_save(
        operator=operator,
        plan_id=plan.pk,
        name="Standard",
        percent="10",
        fixed_fee="0",
        currency="EUR",
        category_rates={"ceramics": D("4")},
    )
    order = drive(seller, pickup_order(seller), to="closed")
    assert sums_of(order)[EntryKind.COMMISSION] == D("1.00")  # 4 % of 25.00


def test_fixed_fee_in_another_currency_is_not_converted(operator, seller, plan) -> None:
    from sellerdesk.orders.services import LineIn

    usd = [LineIn(sku="MUG-01", quantity=2, unit_price=D("12.50"))]
    order = drive(seller, pickup_order(seller, currency="USD", lines=usd), to="closed")
    assert sums_of(order)[EntryKind.COMMISSION] == D("2.50")  # the percentage only
    assert [b.currency for b in balances(seller_id=seller.pk)] == ["USD"]


def test_commission_never_exceeds_the_money_kept(seller, plan) -> None:
    order = drive(seller, pickup_order(seller), to="delivered")
    record_refund(seller, order, D("23.00"))
    services.order_close(seller_id=seller.pk, number=order.number, actor=actor(seller))
    sums = sums_of(order)
    assert sums[EntryKind.COMMISSION] == D("2.00") and sums[EntryKind.SELLER] == 0


def test_without_a_plan_no_commission(seller) -> None:
    order = drive(seller, pickup_order(seller), to="closed")
    assert sums_of(order)[EntryKind.COMMISSION] == 0
    assert sums_of(order)[EntryKind.SELLER] == D("25.00")
    data = OrderEvent.objects.get(order=order, type="order_closed").data
    assert data["commission"] == "0.00" and "plan" not in data


def test_test_orders_never_count(seller, plan) -> None:
    order = drive(seller, pickup_order(seller, is_test=True), to="closed")
    assert not EarningsEntry.objects.filter(order=order).exists()
    assert balances(seller_id=seller.pk) == []
    assert "commission" not in OrderEvent.objects.get(order=order, type="order_closed").data


def test_refund_after_delivery_leaves_available(seller, plan) -> None:
    order = drive(seller, pickup_order(seller), to="delivered")
    record_refund(seller, order, D("12.50"))
    sums = sums_of(order)
    assert sums[EntryKind.REFUND] == D("12.50") and sums[EntryKind.SELLER] == D("12.50")
    assert balance(seller).available == D("12.50")
    assert balance_of(sums) == 0


def test_a_cancelled_paid_order_is_held_until_refunded(seller) -> None:
    order = drive(seller, pickup_order(seller), to="paid")
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    assert balance(seller).held == D("25.00") and balance(seller).available == 0
    record_refund(seller, order, D("25.00"))
    assert balance(seller).held == 0 and balance(seller).pending == 0


def test_payout_includes_each_available_entry_once(operator, seller, plan) -> None:
    first = drive(seller, pickup_order(seller), to="closed")
    drive(seller, pickup_order(seller), to="paid")  # pending: not paid out
    payout = earnings.payout_create(
        operator=operator, seller_id=seller.pk, currency="EUR", reference="SEPA 1"
    )
    assert payout.amount == D("21.50")
    assert balance(seller).available == 0 and balance(seller).paid_out == D("21.50")
    assert balance(seller).pending == D("25.00")
    assert OrderEvent.objects.get(order=first, type="earnings_paid_out").data["payout_id"] == payout.pk
    with pytest.raises(Conflict) as refused:
        earnings.payout_create(operator=operator, seller_id=seller.pk, currency="EUR")
    assert refused.value.code == "nothing_to_pay_out"
    # A refund after the payout is owed back: it lowers the next payout, never shows as available money.
    record_refund(seller, first, D("5.00"))
    assert balance(seller).available == D("-5.00")


def test_operator_tenancy(operator, seller, make_seller) -> None:
    from sellerdesk.accounts.models import Marketplace, Seller, User

    other_market = Marketplace.objects.create(name="Other", slug="other-market")
    stranger = Seller.objects.create(marketplace=other_market, name="Stranger", slug="stranger")
    with pytest.raises(NotFound):
        earnings.payout_create(operator=operator, seller_id=stranger.pk, currency="EUR")
    with pytest.raises(NotFound):
        earnings.plan_assign(operator=operator, seller_id=stranger.pk, plan_id=None)
    owner = User.objects.get(seller=seller, role="owner")
    with pytest.raises(Forbidden):
        earnings.payout_create(operator=owner, seller_id=seller.pk, currency="EUR")
    assert not Payout.objects.exists()
