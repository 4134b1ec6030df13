"""One deadline policy (R-SLA-1, R-SLA-2, R-LIST-5): one table says which deadline is live in each
status; the list's overdue filter, the API, the home page, the order page and the export agree with it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sellerdesk.dashboard.selectors import due_orders
from sellerdesk.orders import deadlines, services
from sellerdesk.orders.deadlines import DeadlineKind, due_within_q, is_overdue, live_deadline, overdue_q
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import Status
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def _order_in(seller: Any, status: Status) -> Order:
    order = place(seller)
    a = actor(seller)
    n = order.number
    if status == Status.CANCELLED:
        services.order_cancel(seller_id=seller.pk, number=n, actor=a, reason="customer_request")
    if status in (Status.CONFIRMED, Status.PROCESSING):
        services.order_confirm(seller_id=seller.pk, number=n, actor=a)
    if status == Status.PROCESSING:
        services.order_process(seller_id=seller.pk, number=n, actor=a)
    return Order.objects.get(pk=order.pk)


def test_every_status_has_at_most_one_live_deadline_and_only_open_ones_have_one() -> None:
    assert deadlines.LIVE_DEADLINE[Status.PENDING] == DeadlineKind.CONFIRM
    assert deadlines.LIVE_DEADLINE[Status.CONFIRMED] == DeadlineKind.SHIP
    assert deadlines.LIVE_DEADLINE[Status.PROCESSING] == DeadlineKind.SHIP
    for final in (Status.CLOSED, Status.CANCELLED, Status.SHIPPED, Status.DELIVERED):
        assert final not in deadlines.LIVE_DEADLINE
    assert set(deadlines.DEADLINE_FIELDS) == set(DeadlineKind)


def test_list_api_home_order_page_and_export_agree_with_the_policy(seller) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    orders = {
        s: _order_in(seller, s)
        for s in (Status.PENDING, Status.CONFIRMED, Status.PROCESSING, Status.CANCELLED)
    }
    # Every deadline field in the past, whatever the status: only the live one may count.
    Order.objects.filter(seller=seller).update(confirm_by=now - HOUR, ship_by=now - 2 * HOUR)
    fresh = {s: Order.objects.get(pk=o.pk) for s, o in orders.items()}
    expected = {str(o.number) for o in fresh.values() if is_overdue(o, now)}
    assert expected == {str(fresh[s].number) for s in (Status.PENDING, Status.CONFIRMED, Status.PROCESSING)}
    assert live_deadline(fresh[Status.PENDING]).kind == DeadlineKind.CONFIRM  # type: ignore[union-attr]
    assert live_deadline(fresh[Status.CONFIRMED]).kind == DeadlineKind.SHIP  # type: ignore[union-attr]
    assert live_deadline(fresh[Status.CANCELLED]) is None

    by_q = {str(n) for n in Order.objects.filter(overdue_q(now)).values_list("number", flat=True)}
    assert by_q == expected

    client = Client()
    client.force_login(staff(seller, "manager"))
    html = client.get("/orders/", {"overdue": "true"}).content.decode()
    listed = {n for n in (str(o.number) for o in fresh.values()) if f"/orders/{n}/" in html}
    assert listed == expected

    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get("/orders/export.csv", {"overdue": "true"}).streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )  # type: ignore[attr-defined]
    assert {r[0] for r in rows[1:]} == expected

    due = due_orders(seller_id=seller.pk, now=now)
    assert {str(o.number) for o in due} == expected
    kinds = {str(o.number): o.deadline_kind for o in due}  # type: ignore[attr-defined]
    assert kinds[str(fresh[Status.PENDING].number)] == "confirm"
    assert kinds[str(fresh[Status.PROCESSING].number)] == "ship"

    for status, order in fresh.items():
        page = client.get(f"/orders/{order.number}/").content.decode()
        assert ("badge-overdue" in page) == (str(order.number) in expected), status


def test_due_within_includes_soon_and_overdue_but_overdue_only_the_past(seller) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    soon, late, later = place(seller), place(seller), place(seller)
    Order.objects.filter(pk=soon.pk).update(confirm_by=now + 2 * HOUR)
    Order.objects.filter(pk=late.pk).update(confirm_by=now - HOUR)
    Order.objects.filter(pk=later.pk).update(confirm_by=now + 10 * HOUR)
    within = set(Order.objects.filter(due_within_q(now, 4 * HOUR)).values_list("pk", flat=True))
    overdue = set(Order.objects.filter(overdue_q(now)).values_list("pk", flat=True))
    assert within == {soon.pk, late.pk}
    assert overdue == {late.pk}
    only_ship = set(
        Order.objects.filter(overdue_q(now, kinds=[DeadlineKind.SHIP])).values_list("pk", flat=True)
    )
    assert only_ship == set()
