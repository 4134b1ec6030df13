"""The deadline engine at chosen instants (R-SLA-1..4): missed confirm-by and ship-by cancel (or
flag), stock comes back, delivered orders close, warnings go out once, and a retried sweep
changes nothing. Its statement count does not grow with the number of due orders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sellerdesk.accounts.models import Seller, User
from sellerdesk.catalog.models import Product
from sellerdesk.core.errors import InvalidInput
from sellerdesk.earnings.ledger import sums_of
from sellerdesk.earnings.models import CategoryRate, EntryKind, SellerPlan, TariffPlan
from sellerdesk.orders import services, sweeps
from sellerdesk.orders.deadlines import overdue_q
from sellerdesk.orders.models import DeadlineNotice, Order, OrderEvent, OrderLine
from sellerdesk.orders.sweeps import sweep
from sellerdesk.outbox.periodic import PERIODIC
from tests.conftest import actor, place
from tests.earnings.conftest import drive, pickup_order

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


def _fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


def _events(order: Order, type_: str) -> list[OrderEvent]:
    return list(OrderEvent.objects.filter(order=order, type=type_))


def _confirmed(seller: Seller, **kw: Any) -> Order:
    order = place(seller, **kw)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return _fresh(order)


def _delivered(seller: Seller) -> Order:
    order = _confirmed(seller, shipping_method="digital", payment_method="cash_on_delivery")
    services.order_deliver(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return _fresh(order)


def _mug(seller: Seller) -> Product:
    return Product.objects.get(seller=seller, sku="MUG-01")


def test_placement_sets_confirm_by_and_close_by_from_the_policy(make_seller) -> None:  # type: ignore[no-untyped-def]
    seller = make_seller(confirm_within_hours=6, auto_close_days=10)
    order = place(seller)
    assert order.confirm_by - order.created_at == dt.timedelta(hours=6)
    assert order.close_by - order.created_at == dt.timedelta(days=10)


def test_missed_confirm_by_cancels_releases_stock_and_a_retry_changes_nothing(seller: Seller) -> None:
    order = place(seller)
    assert _mug(seller).reserved == 2
    assert order.confirm_by is not None
    report = sweep(order.confirm_by - SECOND)
    assert "confirm_cancelled" not in report.done and _fresh(order).status == "pending"

    report = sweep(order.confirm_by + SECOND)
    assert report.done["confirm_cancelled"] == [(seller.pk, order.number)]
    after = _fresh(order)
    assert (after.status, after.cancel_reason) == ("cancelled", "confirm_deadline_missed")
    assert after.cancelled_at == order.confirm_by + SECOND  # the instant of the sweep
    assert _mug(seller).reserved == 0 and _mug(seller).stock == 100
    [event] = _events(order, "order_cancelled")
    assert event.actor_kind == "system" and event.data["reason"] == "confirm_deadline_missed"

    events_before = OrderEvent.objects.count()
    again = sweep(order.confirm_by + 2 * SECOND)
    assert not again.done and OrderEvent.objects.count() == events_before
    assert _mug(seller).reserved == 0


def test_missed_ship_by_cancels_with_its_reason(seller: Seller) -> None:
    order = _confirmed(seller)
    assert order.ship_by is not None
    sweep(order.ship_by + SECOND)
    after = _fresh(order)
    assert (after.status, after.cancel_reason) == ("cancelled", "ship_deadline_missed")
    assert _mug(seller).reserved == 0


def test_units_already_in_a_shipment_are_flagged_not_cancelled_and_flagged_once(seller: Seller) -> None:
    order = _confirmed(seller)
    OrderLine.objects.filter(order=order).update(quantity_fulfilled=1)  # part of it left in a parcel
    report = sweep(order.ship_by + SECOND)  # type: ignore[operator]
    assert report.done["ship_flagged"] == [(seller.pk, order.number)]
    assert _fresh(order).status == "confirmed"
    [missed] = _events(order, "deadline_missed")
    assert missed.data == {"kind": "ship", "due": order.ship_by.isoformat(), "why": "in_shipments"}  # type: ignore[union-attr]
    assert _mug(seller).reserved == 2
    later = order.ship_by + 2 * SECOND  # type: ignore[operator]
    assert Order.objects.filter(overdue_q(later), pk=order.pk).exists()  # the list's overdue filter
    assert not sweep(order.ship_by + 2 * SECOND).done  # type: ignore[operator]
    assert len(_events(order, "deadline_missed")) == 1


def test_a_seller_who_only_flags_keeps_the_order(make_seller) -> None:  # type: ignore[no-untyped-def]
    seller = make_seller(confirm_miss_action="flag")
    order = place(seller)
    report = sweep(order.confirm_by + SECOND)
    assert report.done["confirm_flagged"] == [(seller.pk, order.number)]
    assert _fresh(order).status == "pending" and _mug(seller).reserved == 2
    assert _events(order, "deadline_missed")[0].data["why"] == "policy"
    sweep(order.confirm_by + 2 * SECOND)
    assert len(_events(order, "deadline_missed")) == 1
    assert DeadlineNotice.objects.filter(order=order, stage="missed").count() == 1


def test_warning_goes_once_to_the_admins_or_the_assigned_manager(seller: Seller) -> None:
    unassigned, assigned = place(seller), place(seller)
    manager = User.objects.get(seller=seller, role="manager")
    services.order_assign_manager(
        seller_id=seller.pk, number=assigned.number, actor=actor(seller), manager_id=manager.pk
    )
    at = unassigned.confirm_by - dt.timedelta(hours=3)  # default lead time: 4 hours
    assert not sweep(unassigned.confirm_by - dt.timedelta(hours=5)).done
    report = sweep(at)
    assert sorted(report.done["confirm_warned"]) == sorted(
        [(seller.pk, unassigned.number), (seller.pk, assigned.number)]
    )
    admins = set(
        User.objects.filter(seller=seller, role__in=["owner", "administrator"]).values_list("id", flat=True)
    )
    assert set(_events(unassigned, "deadline_warning")[0].data["recipient_ids"]) == admins
    assert _events(assigned, "deadline_warning")[0].data["recipient_ids"] == [manager.pk]
    assert not sweep(at + dt.timedelta(hours=1)).done  # once per deadline
    assert len(_events(unassigned, "deadline_warning")) == 1


def test_auto_close_is_warned_once_before_it_with_the_sellers_lead_time(make_seller) -> None:  # type: ignore[no-untyped-def]
    """R-SLA-4 "before each deadline": the automatic close of a delivered order (R-SLA-3) too."""
    seller = make_seller(close_warn_hours=48)
    order = _delivered(seller)
    assert order.close_by is not None
    assert not sweep(order.close_by - dt.timedelta(hours=49)).done  # not yet within 48 h
    at = order.close_by - dt.timedelta(hours=47)
    report = sweep(at)
    assert report.done["close_warned"] == [(seller.pk, order.number)]
    [warning] = _events(order, "deadline_warning")
    assert warning.data["kind"] == "close" and warning.data["due"] == order.close_by.isoformat()
    admins = set(
        User.objects.filter(seller=seller, role__in=["owner", "administrator"]).values_list("id", flat=True)
    )
    assert set(warning.data["recipient_ids"]) == admins
    assert not sweep(at + dt.timedelta(hours=1)).done  # once per deadline
    assert sweep(order.close_by + SECOND).done["closed"] == [(seller.pk, order.number)]
    assert len(_events(order, "deadline_warning")) == 1


def test_delivered_orders_close_after_close_by_unless_a_delay_was_agreed(seller: Seller) -> None:
    closing, delayed = _delivered(seller), _delivered(seller)
    services.order_agree_delay(
        seller_id=seller.pk,
        number=delayed.number,
        actor=actor(seller),
        until=timezone.now().date() + dt.timedelta(days=30),
        note="customer is away; agreed by phone",
    )
    delayed = _fresh(delayed)
    assert delayed.close_by > closing.close_by + dt.timedelta(days=25)  # type: ignore[operator]
    assert _events(delayed, "delay_agreed")[0].data["until"] == delayed.agreed_until.isoformat()  # type: ignore[union-attr]
    report = sweep(closing.close_by + SECOND)  # type: ignore[operator]
    assert report.done["closed"] == [(seller.pk, closing.number)]
    assert _fresh(closing).status == "closed" and _fresh(delayed).status == "delivered"
    sweep(delayed.close_by + SECOND)  # type: ignore[operator]
    assert _fresh(delayed).status == "closed"


def test_an_agreed_delay_moves_ship_by_and_needs_a_note(seller: Seller) -> None:
    order = _confirmed(seller)
    until = timezone.now().date() + dt.timedelta(days=20)
    with pytest.raises(InvalidInput):
        services.order_agree_delay(
            seller_id=seller.pk, number=order.number, actor=actor(seller), until=until, note=" "
        )
    services.order_agree_delay(
        seller_id=seller.pk, number=order.number, actor=actor(seller), until=until, note="ok"
    )
    moved = _fresh(order)
    assert moved.ship_by is not None and moved.ship_by > order.ship_by  # type: ignore[operator]
    assert not sweep(order.ship_by + SECOND).done.get("ship_cancelled")  # type: ignore[operator]
    assert _fresh(order).status == "confirmed"


def test_dry_run_changes_nothing(seller: Seller) -> None:
    order = place(seller)
    report = sweep(order.confirm_by + SECOND, dry_run=True)
    assert report.done["confirm_cancelled"] == [(seller.pk, order.number)]
    assert _fresh(order).status == "pending" and _mug(seller).reserved == 2
    assert not _events(order, "order_cancelled")


def _sweep_queries(seller: Seller, n: int) -> int:
    orders = [place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)]) for _ in range(n)]
    at = max(o.confirm_by for o in orders) + SECOND
    with CaptureQueriesContext(connection) as ctx:
        report = sweep(at)
    assert len(report.done["confirm_cancelled"]) == n
    # The outbox queues each handler job of an event with its own INSERT into the task queue (its
    # cost, per outbox job, not the sweep's); the sweep's own statements are the rest.
    return sum(1 for q in ctx.captured_queries if DBTaskResult._meta.db_table not in q["sql"])


def test_the_statement_count_of_a_sweep_does_not_grow_with_the_due_orders(make_seller) -> None:  # type: ignore[no-untyped-def]
    few = _sweep_queries(make_seller(), 2)
    many = _sweep_queries(make_seller(), 15)
    assert many == few, (few, many)


def _close_queries(seller: Seller, n: int) -> int:
    """A seller on a plan with a category rate: closing charges each order's commission (R-PAY-8)."""
    plan = TariffPlan.objects.create(
        marketplace=seller.marketplace,
        name=f"Plan {seller.pk}",
        percent=Decimal("10"),
        fixed_fee=Decimal("1"),
    )
    CategoryRate.objects.create(plan=plan, category="Kitchen", percent=Decimal("20"))
    SellerPlan.objects.create(seller=seller, plan=plan)
    Product.objects.filter(seller=seller, sku="MUG-01").update(category="Kitchen")
    orders = [drive(seller, pickup_order(seller), to="delivered") for _ in range(n)]
    at = max(o.close_by for o in orders if o.close_by) + SECOND
    with CaptureQueriesContext(connection) as ctx:
        report = sweep(at)
    assert len(report.done["closed"]) == n
    for order in orders:
        # 20 % of 2 × 12.50 plus the fixed fee, as the single-order path charges it
        assert sums_of(order)[EntryKind.COMMISSION] == Decimal("6.00")
        assert _events(order, "order_closed")[0].data["commission"] == "6.00"
    return sum(1 for q in ctx.captured_queries if DBTaskResult._meta.db_table not in q["sql"])


def test_closing_posts_the_earnings_of_a_chunk_with_a_constant_number_of_statements(make_seller) -> None:  # type: ignore[no-untyped-def]
    """The commission of every closed order (R-PAY-8) is charged, yet the statements of a closing
    sweep do not grow with the orders: one plan lookup and one INSERT of earnings per chunk."""
    few = _close_queries(make_seller(), 2)
    many = _close_queries(make_seller(), 12)
    assert many == few, (few, many)


def test_the_command_and_the_worker_run_the_same_engine(seller: Seller) -> None:
    assert PERIODIC["deadlines"].function == "sellerdesk.orders.sweeps.run_deadlines"
    order = place(seller)
    out = StringIO()
    at = (order.confirm_by + SECOND).isoformat()
    call_command("deadlines", "--at", at, "--dry-run", stdout=out)
    assert f"confirm_cancelled: 1 (#{order.number})" in out.getvalue() and "would do" in out.getvalue()
    assert _fresh(order).status == "pending"
    out = StringIO()
    call_command("deadlines", "--at", at, stdout=out)
    assert f"confirm_cancelled: 1 (#{order.number})" in out.getvalue()
    assert _fresh(order).status == "cancelled"


def test_the_command_says_whose_order_a_number_is_when_several_sellers_had_changes(
    seller: Seller, other_seller: Seller
) -> None:
    """Order numbers are per seller, so with two sellers in one run each number carries its seller."""
    mine, theirs = place(seller), place(other_seller)
    out = StringIO()
    call_command(
        "deadlines", "--at", (max(mine.confirm_by, theirs.confirm_by) + SECOND).isoformat(), stdout=out
    )
    assert f"{seller.slug} #{mine.number}" in out.getvalue()
    assert f"{other_seller.slug} #{theirs.number}" in out.getvalue()


def test_every_chunk_is_handled(seller: Seller, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweeps, "CHUNK", 3)
    orders = [place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)]) for _ in range(8)]
    report = sweep(max(o.confirm_by for o in orders) + SECOND)
    assert len(report.done["confirm_cancelled"]) == 8
    assert Order.objects.filter(seller=seller, status="cancelled").count() == 8
    assert _mug(seller).reserved == 0


def test_a_cancel_by_the_sweep_queues_the_refund_handler_of_order_cancelled(seller: Seller) -> None:
    """R-PAY-6: the refund is the outbox handler's; the sweep's cancel event reaches it."""
    from sellerdesk.outbox.models import OutboxJob

    order = _confirmed(seller)
    sweep(order.ship_by + SECOND)  # type: ignore[operator]
    jobs = OutboxJob.objects.filter(event__order_id=order.pk, event__type="order_cancelled")
    assert "refund_cancelled_order" in [j.handler.rsplit(".", 1)[-1] for j in jobs]
    assert jobs[0].event.payload["reason"] == "ship_deadline_missed"
