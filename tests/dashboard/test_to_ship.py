"""The "To ship" view (R-SLA-2, R-FUL-1) and printing a selection as one PDF (R-FUL-8)."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from sellerdesk.catalog.models import Product
from sellerdesk.orders import deadlines, filters, services
from sellerdesk.orders.models import Order
from sellerdesk.shipping.services import ManualFulfillment, fulfill_manual
from tests.conftest import actor, place, staff
from tests.shipping.conftest import ready_to_ship

pytestmark = pytest.mark.django_db


def login(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def _set_ship_by(order: Order, when: dt.datetime) -> None:
    Order.objects.filter(pk=order.pk).update(ship_by=when)


def test_to_ship_lists_orders_not_handed_over_soonest_first_with_the_time_left(seller):  # type: ignore[no-untyped-def]
    now = timezone.now()
    later, overdue, soon = ready_to_ship(seller), ready_to_ship(seller), ready_to_ship(seller)
    _set_ship_by(later, now + dt.timedelta(days=2, hours=3))
    _set_ship_by(overdue, now - dt.timedelta(hours=5, minutes=10))
    _set_ship_by(soon, now + dt.timedelta(hours=3, minutes=30))
    pending = place(seller)  # not confirmed yet: nothing to ship
    shipped = ready_to_ship(seller)
    fulfill_manual(seller_id=seller.pk, number=shipped.number, actor=actor(seller), data=ManualFulfillment())
    shipped.refresh_from_db()
    assert shipped.status == "shipped"

    html = login(seller).get("/orders/?view=to_ship").content.decode()
    rows = re.findall(r'data-row data-number="(\d+)"', html)
    assert rows == [str(overdue.number), str(soon.number), str(later.number)]
    assert str(pending.number) not in rows and str(shipped.number) not in rows
    assert 'aria-current="page">To ship<' in html
    assert '<span class="due-left due-overdue">overdue by 5 h</span>' in html
    assert '<span class="due-left">3 h left</span>' in html
    assert '<span class="due-left">2 days left</span>' in html


def test_a_partly_shipped_order_stays_to_ship(seller):  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    mug = order.lines.get(sku="MUG-01")
    fulfill_manual(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        data=ManualFulfillment(lines={mug.pk: 2}),
    )
    html = login(seller).get("/orders/?view=to_ship").content.decode()
    assert re.findall(r'data-row data-number="(\d+)"', html) == [str(order.number)]


def test_the_view_is_declared_once_and_the_api_takes_its_parameters(seller, api):  # type: ignore[no-untyped-def]
    view = filters.VIEWS_BY_KEY["to_ship"]
    a, b = ready_to_ship(seller), ready_to_ship(seller)
    _set_ship_by(a, timezone.now() + dt.timedelta(days=1))
    _set_ship_by(b, timezone.now() + dt.timedelta(hours=1))
    body = api.get("/orders", **view.params).json()
    assert [o["number"] for o in body["items"]] == [str(b.number), str(a.number)]


def test_time_left_words_the_largest_whole_unit() -> None:
    now = timezone.now()
    assert deadlines.time_left(now + dt.timedelta(minutes=59, seconds=59), now) == (False, 59, "minute")
    assert deadlines.time_left(now + dt.timedelta(seconds=10), now) == (False, 1, "minute")
    assert deadlines.time_left(now - dt.timedelta(hours=25), now) == (True, 1, "day")
    assert deadlines.time_left(now + dt.timedelta(hours=23, minutes=59), now) == (False, 23, "hour")


# --- printing a selection -----------------------------------------------------------------------


def _pages(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return len(PdfReader(io.BytesIO(response.content)).pages)


def test_print_packing_slips_of_a_selection_is_one_pdf(seller):  # type: ignore[no-untyped-def]
    orders = [ready_to_ship(seller) for _ in range(3)]
    response = login(seller).post(
        "/orders/bulk/", {"action": "print_slips", "numbers": [o.number for o in orders]}
    )
    assert _pages(response) == 3
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for order in orders:
        assert str(order.number) in text


def test_print_labels_of_a_selection_skips_orders_without_shipments(seller):  # type: ignore[no-untyped-def]
    shipped = [ready_to_ship(seller) for _ in range(2)]
    for order in shipped:
        fulfill_manual(
            seller_id=seller.pk,
            number=order.number,
            actor=actor(seller),
            data=ManualFulfillment(carrier="DHL", tracking_number=f"TRK{order.number}"),
        )
    bare = ready_to_ship(seller)
    client = login(seller)
    response = client.post(
        "/orders/bulk/", {"action": "print_labels", "numbers": [o.number for o in [*shipped, bare]]}
    )
    assert _pages(response) == 2
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert f"TRK{shipped[0].number}" in text and f"TRK{shipped[1].number}" in text

    nothing = client.post("/orders/bulk/", {"action": "print_labels", "numbers": [bare.number]})
    assert nothing.status_code == 409
    assert "None of the chosen orders has a label to print yet." in nothing.content.decode()


def test_print_refuses_another_sellers_order(seller, other_seller):  # type: ignore[no-untyped-def]
    theirs = ready_to_ship(other_seller)
    response = login(seller).post("/orders/bulk/", {"action": "print_slips", "numbers": [theirs.number]})
    assert response.status_code == 404


def test_packing_slips_for_500_orders_in_a_few_queries_and_seconds(seller, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    Product.objects.filter(seller=seller).update(stock=100_000)
    numbers = [place(seller).number for _ in range(500)]
    services.order_confirm(seller_id=seller.pk, number=numbers[0], actor=actor(seller))
    client = login(seller)
    started = time.perf_counter()
    with django_assert_max_num_queries(25):
        response = client.post("/orders/bulk/", {"action": "print_slips", "numbers": numbers})
    elapsed = time.perf_counter() - started
    assert _pages(response) == 500
    assert elapsed < 30, f"500 packing slips took {elapsed:.1f} s"
