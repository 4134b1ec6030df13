"""Bulk actions (R-LIST-6): each order through its service; refusals reported per order, others go on."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from tests.conftest import actor, place, staff, table_counts

pytestmark = pytest.mark.django_db


def login(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def test_bulk_confirm_selected(seller):  # type: ignore[no-untyped-def]
    a, b, c = place(seller), place(seller), place(seller)
    response = login(seller).post("/orders/bulk/", {"action": "confirm", "numbers": [a.number, b.number]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 orders done" in html and "0 refused" in html
    assert f'href="/orders/{a.number}/"' in html
    statuses = dict(Order.objects.values_list("number", "status"))
    assert statuses == {a.number: "confirmed", b.number: "confirmed", c.number: "pending"}


def test_bulk_confirm_all_matching_reports_the_refused_one(seller, monkeypatch):  # type: ignore[no-untyped-def]
    from sellerdesk.dashboard.views import orders_list

    monkeypatch.setattr(orders_list, "PAGE_SIZE", 2)  # "all matching" reaches beyond the page
    made = [place(seller, name=f"Bulk {i}") for i in range(4)]
    services.order_confirm(seller_id=seller.pk, number=made[0].number, actor=actor(seller))
    client = login(seller)
    page = client.get("/orders/?q=bulk").content.decode()
    assert 'data-total="4"' in page and "Select all 4 matching" in page
    response = client.post("/orders/bulk/", {"action": "confirm", "all_matching": "1", "query": "q=bulk"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 orders done" in html and "1 refused" in html
    assert f'href="/orders/{made[0].number}/"' in html and "cannot confirm" in html
    assert set(Order.objects.values_list("status", flat=True)) == {"confirmed"}


def test_bulk_mark_paid_and_assign_manager(seller):  # type: ignore[no-untyped-def]
    a, b = place(seller), place(seller)
    client = login(seller)
    client.post("/orders/bulk/", {"action": "mark_paid", "numbers": [a.number]})
    html = client.post(
        "/orders/bulk/", {"action": "mark_paid", "numbers": [a.number, b.number]}
    ).content.decode()
    assert "1 order done" in html and "already paid" in html
    assert set(Order.objects.values_list("payment_status", flat=True)) == {"paid"}
    anna = staff(seller, "administrator")
    html = client.post(
        "/orders/bulk/", {"action": "assign", "manager_id": anna.pk, "numbers": [a.number, b.number]}
    ).content.decode()
    assert "2 orders done" in html
    assert set(Order.objects.values_list("manager_id", flat=True)) == {anna.pk}
    client.post("/orders/bulk/", {"action": "assign", "manager_id": "none", "numbers": [a.number]})
    assert Order.objects.get(pk=a.pk).manager_id is None


def test_another_sellers_order_in_the_selection_is_404_and_nothing_is_touched(seller, other_seller):  # type: ignore[no-untyped-def]
    place(other_seller)
    theirs = place(other_seller)  # number 1002: this seller has no such order
    mine = place(seller)
    assert mine.number != theirs.number
    response = login(seller).post(
        "/orders/bulk/", {"action": "confirm", "numbers": [theirs.number, mine.number]}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == "pending" and mine.status == "pending"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "confirm"},  # nothing selected
        {"action": "confirm", "numbers": ["12x"]},
        {"action": "explode", "numbers": ["1"]},
        {"action": "assign", "numbers": ["1"], "manager_id": "anna"},
        {"action": "confirm", "all_matching": "1", "query": "status=lost"},
    ],
)
def test_bad_bulk_input_is_a_form_error_and_writes_nothing(seller, data):  # type: ignore[no-untyped-def]
    place(seller)
    before = table_counts()
    response = login(seller).post("/orders/bulk/", data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert table_counts() == before


def test_another_sellers_manager_is_404(seller, other_seller):  # type: ignore[no-untyped-def]
    o = place(seller)
    stranger = staff(other_seller)
    response = login(seller).post(
        "/orders/bulk/", {"action": "assign", "manager_id": stranger.pk, "numbers": [o.number]}
    )
    assert response.status_code == 404
    assert Order.objects.get(pk=o.pk).manager_id is None


@pytest.mark.parametrize("action", ["confirm", "mark_paid", "assign"])
def test_viewer_gets_403_on_every_bulk_action(seller, action):  # type: ignore[no-untyped-def]
    o = place(seller)
    before = table_counts()
    response = login(seller, "viewer").post(
        "/orders/bulk/", {"action": action, "numbers": [o.number], "manager_id": staff(seller).pk}
    )
    assert response.status_code == 403
    assert table_counts() == before


def test_bulk_needs_login_and_post(seller):  # type: ignore[no-untyped-def]
    assert Client().post("/orders/bulk/", {"action": "confirm"}).status_code == 302
    assert login(seller).get("/orders/bulk/").status_code == 405


def test_bulk_export_of_the_selection(seller):  # type: ignore[no-untyped-def]
    a, b, c = place(seller), place(seller), place(seller)
    response = login(seller, "viewer").post(
        "/orders/bulk/", {"action": "export_csv", "numbers": [a.number, c.number]}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [int(r["number"]) for r in rows] == [c.number, a.number]
    assert b.number not in [int(r["number"]) for r in rows]
