"""The orders list /orders/: filters, search syntax, sort, tabs, saved views, columns, tenancy, queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sellerdesk.accounts.models import User
from sellerdesk.dashboard.models import SavedView
from sellerdesk.orders import services
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db


def login(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def numbers(html: str) -> list[int]:
    """Order numbers of the list's rows, in the order shown."""
    return [int(n) for n in re.findall(r'<tr data-row data-number="(\d+)"', html)]


def test_login_required(db):  # type: ignore[no-untyped-def]
    response = Client().get("/orders/?status=pending")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_newest_first_badges_and_test_marker(seller):  # type: ignore[no-untyped-def]
    a = place(seller, name="Old Customer", is_test=True)
    b = place(seller, name="New Customer")
    html = login(seller).get("/orders/").content.decode()
    assert numbers(html) == [b.number, a.number]
    assert 'class="badge badge-pending"' in html and ">Pending<" in html
    assert 'class="badge badge-unpaid"' in html and ">Unpaid<" in html
    assert 'class="badge badge-unfulfilled"' in html
    assert html.count('class="badge badge-test"') == 1
    assert 'role="status"' in html and "2 orders" in html
    assert "<caption" in html


def test_phone_in_another_format_finds_the_order(seller):  # type: ignore[no-untyped-def]
    hit = place(seller, name="Phone Person", phone="+7 912 345-67-89")
    place(seller, name="Other Person", phone="+49 30 1234567", email="other@example.com")
    client = login(seller)
    for typed in ("89123456789", "(912) 345 67 89", "+7-912-345-6789"):
        html = client.get("/orders/", {"q": typed}).content.decode()
        assert numbers(html) == [hit.number], typed


def test_search_by_name_email_number_and_total_range(seller):  # type: ignore[no-untyped-def]
    a = place(seller, name="Klara Novak", email="klara@example.com")
    b = place(
        seller,
        name="Boris Koch",
        email="boris@example.com",
        lines=[services.LineIn(sku="BOWL-01", quantity=3)],
    )
    client = login(seller)
    assert numbers(client.get("/orders/", {"q": "klara"}).content.decode()) == [a.number]
    assert numbers(client.get("/orders/", {"q": "boris@example"}).content.decode()) == [b.number]
    assert numbers(client.get("/orders/", {"q": str(b.number)}).content.decode()) == [b.number]
    # a: 2 × 12.50 + 4 = 29; b: 3 × 24.90 + 4 = 78.70
    assert numbers(client.get("/orders/", {"total_min": "50"}).content.decode()) == [b.number]
    assert numbers(client.get("/orders/", {"total_min": "20", "total_max": "30"}).content.decode()) == [
        a.number
    ]


def test_search_syntax_in_the_box(seller):  # type: ignore[no-untyped-def]
    a = place(seller, name="Anna Syntax")
    b = place(seller, name="Anna Other", lines=[services.LineIn(sku="BOWL-01", quantity=3)])
    services.order_confirm(seller_id=seller.pk, number=b.number, actor=actor(seller))
    client = login(seller)
    html = client.get(
        "/orders/", {"q": "status:confirmed payment:unpaid sku:BOWL-01 total:>50"}
    ).content.decode()
    assert numbers(html) == [b.number]
    assert numbers(client.get("/orders/", {"q": "status:pending anna"}).content.decode()) == [a.number]
    assert numbers(client.get("/orders/", {"q": "sku:MUG-01 total:20..30"}).content.decode()) == [a.number]


def test_unknown_search_key_is_a_form_error(seller):  # type: ignore[no-untyped-def]
    place(seller)
    response = login(seller).get("/orders/", {"q": "colour:red"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and "Unknown search key" in html and 'href="#f-q"' in html
    assert numbers(html) == []


@pytest.mark.parametrize(
    "params,field",
    [
        ({"status": "lost"}, "status"),
        ({"total_min": "lots"}, "total_min"),
        ({"created_after": "31/12/2025"}, "created_after"),
        ({"sort": "customer"}, "sort"),
        ({"is_test": "maybe"}, "is_test"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_bad_filters_are_form_errors_not_500(seller, params, field):  # type: ignore[no-untyped-def]
    place(seller)
    response = login(seller).get("/orders/", params)
    assert response.status_code == 400, response.content[:300]
    assert f'href="#f-{field}"' in response.content.decode()


def test_htmx_request_gets_only_the_results(seller):  # type: ignore[no-untyped-def]
    place(seller)
    client = login(seller)
    response = client.get(
        "/orders/", {"status": "pending"}, headers={"HX-Request": "true", "HX-Target": "orders-results"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'role="status"' in html
    bad = client.get(
        "/orders/", {"status": "lost"}, headers={"HX-Request": "true", "HX-Target": "orders-results"}
    )
    assert bad.status_code == 400 and "error-summary" in bad.content.decode()


def test_filter_by_status_and_advanced_criteria(seller):  # type: ignore[no-untyped-def]
    a = place(seller, name="Pickup Cash", shipping_method="pickup", payment_method="cash_on_delivery")
    b = place(seller, name="Carrier Online")
    services.order_confirm(seller_id=seller.pk, number=b.number, actor=actor(seller))
    client = login(seller)
    assert numbers(client.get("/orders/?status=confirmed").content.decode()) == [b.number]
    assert numbers(client.get("/orders/?status=pending&status=confirmed").content.decode()) == [
        b.number,
        a.number,
    ]
    assert numbers(client.get("/orders/?shipping_method=pickup").content.decode()) == [a.number]
    assert numbers(client.get("/orders/?payment_method=online").content.decode()) == [b.number]
    assert numbers(client.get("/orders/?manager=none").content.decode()) == [b.number, a.number]
    assert numbers(client.get("/orders/?is_test=true").content.decode()) == []


def test_sort_marks_only_the_sorted_column(seller):  # type: ignore[no-untyped-def]
    small = place(seller, name="Small")
    big = place(seller, name="Big", lines=[services.LineIn(sku="BOWL-01", quantity=4)])
    client = login(seller)
    html = client.get("/orders/").content.decode()
    assert html.count("aria-sort=") == 1 and 'aria-sort="descending"' in html
    html = client.get("/orders/?sort=total").content.decode()
    assert numbers(html) == [small.number, big.number]
    assert html.count("aria-sort=") == 1 and 'aria-sort="ascending"' in html
    assert numbers(client.get("/orders/?sort=-total").content.decode()) == [big.number, small.number]


def test_keyset_pages_next_and_previous(seller, monkeypatch):  # type: ignore[no-untyped-def]
    from sellerdesk.dashboard.views import orders_list

    monkeypatch.setattr(orders_list, "PAGE_SIZE", 2)
    placed = [place(seller, name=f"Pager {i}").number for i in range(5)]
    newest = list(reversed(placed))
    client = login(seller)
    html = client.get("/orders/").content.decode()
    assert numbers(html) == newest[:2]
    seen = list(numbers(html))
    while 'rel="next"' in html:
        href = re.search(r'rel="next" href="\?([^"]+)"', html).group(1).replace("&amp;", "&")
        html = client.get("/orders/?" + href).content.decode()
        seen += numbers(html)
    assert seen == newest
    prev = re.search(r'rel="prev" href="\?([^"]*)"', html).group(1).replace("&amp;", "&")
    assert numbers(client.get("/orders/?" + prev).content.decode()) == newest[2:4]


def test_tenancy_only_own_orders_and_views(seller, other_seller):  # type: ignore[no-untyped-def]
    mine = place(seller, name="Mine Only")
    theirs = place(other_seller, name="Theirs Only")
    html = login(seller).get("/orders/").content.decode()
    assert numbers(html) == [mine.number] and "Theirs Only" not in html
    view = SavedView.objects.create(
        seller=other_seller, owner=staff(other_seller), name="Secret", query="", shared=True
    )
    client = login(seller)
    assert client.get(f"/views/{view.pk}/").status_code == 404
    assert client.post(f"/views/{view.pk}/delete/").status_code == 404
    assert client.post(f"/views/{view.pk}/update/", {"name": "Hijack"}).status_code == 404
    assert "Secret" not in client.get("/orders/").content.decode()
    assert theirs.number  # used


def test_builtin_tabs_and_unsaved_changes(seller):  # type: ignore[no-untyped-def]
    place(seller)
    client = login(seller)
    html = client.get("/orders/").content.decode()
    for label in ("All", "To confirm", "To ship", "Unpaid", "Overdue"):
        assert f">{label}</a>" in html
    assert "data-unsaved" not in html
    html = client.get("/orders/?view=to_confirm&status=pending").content.decode()
    assert re.search(r'aria-current="page">To confirm<', html) and "data-unsaved" not in html
    html = client.get("/orders/?view=to_confirm&status=pending&total_min=10").content.decode()
    assert "data-unsaved" in html and "Unsaved changes" in html


def test_to_ship_is_sorted_by_ship_by(seller):  # type: ignore[no-untyped-def]
    a = place(seller)
    b = place(seller)
    place(seller)  # pending: not in the view
    for o in (b, a):
        services.order_confirm(seller_id=seller.pk, number=o.number, actor=actor(seller))
    html = (
        login(seller).get("/orders/?view=to_ship&status=confirmed,processing&sort=ship_by").content.decode()
    )
    assert sorted(numbers(html)) == sorted([a.number, b.number])


def test_save_rename_share_and_delete_a_view(seller):  # type: ignore[no-untyped-def]
    a = place(seller, name="Keep Me")
    place(seller, name="Drop Me", lines=[services.LineIn(sku="BOWL-01", quantity=4)])
    client = login(seller)
    response = client.post(
        "/views/", {"name": "Cheap ones", "query": "total_max=50&cursor=xyz", "shared": "1"}
    )
    assert response.status_code == 302
    view = SavedView.objects.get(name="Cheap ones")
    assert view.query == "total_max=50" and view.shared and view.owner == staff(seller)
    assert f"view={view.pk}" in response["Location"]
    # Its URL, opened by someone else of the seller, gives the same rows.
    other = login(seller, "viewer")
    url = other.get(f"/views/{view.pk}/")["Location"]
    html = other.get(url).content.decode()
    assert numbers(html) == [a.number] and "Cheap ones" in html
    # Only the owner changes it.
    assert other.post(f"/views/{view.pk}/update/", {"name": "Mine now"}).status_code == 403
    assert other.post(f"/views/{view.pk}/delete/").status_code == 403
    # Rename, duplicate name, empty name: form errors as messages, no 500.
    assert client.post(f"/views/{view.pk}/update/", {"name": "Under 50"}).status_code == 302
    view.refresh_from_db()
    assert view.name == "Under 50"
    client.post("/views/", {"name": "Second", "query": ""})
    response = client.post("/views/", {"name": "Second", "query": ""}, follow=True)
    assert "already have a view" in response.content.decode()
    response = client.post("/views/", {"name": "  ", "query": ""}, follow=True)
    assert "Give the view a name" in response.content.decode()
    response = client.post("/views/", {"name": "Bad", "query": "status=lost"}, follow=True)
    assert "The view was not saved" in response.content.decode()
    assert not SavedView.objects.filter(name="Bad").exists()
    assert client.post(f"/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_columns_persist_in_user_preferences(seller):  # type: ignore[no-untyped-def]
    place(seller, lines=[services.LineIn(sku="BOWL-01", quantity=3)])
    client = login(seller)
    assert "BOWL-01×3" not in client.get("/orders/").content.decode()
    response = client.post("/orders/columns/", {"columns": ["items", "phone", "bogus"], "next": "/orders/"})
    assert response.status_code == 302 and response["Location"] == "/orders/"
    assert User.objects.get(pk=staff(seller).pk).preferences["order_columns"] == ["items", "phone"]
    # Another browser (a fresh session) of the same user sees them.
    html = login(seller).get("/orders/").content.decode()
    assert "BOWL-01×3" in html and ">Phone<" in html


def test_viewer_sees_no_actions_and_cannot_bulk(seller):  # type: ignore[no-untyped-def]
    o = place(seller)
    client = login(seller, "viewer")
    html = client.get("/orders/").content.decode()
    assert "data-row-check" not in html and 'value="confirm"' not in html and "New order" not in html
    response = client.post("/orders/bulk/", {"action": "confirm", "numbers": [o.number]})
    assert response.status_code == 403
    o.refresh_from_db()
    assert o.status == "pending"


@pytest.mark.parametrize("columns", [[], ["items", "manager", "ship_by", "phone"]])
def test_list_queries_do_not_grow_with_rows(seller, columns):  # type: ignore[no-untyped-def]
    user = staff(seller)
    user.preferences = {"order_columns": columns}
    user.save()
    client = login(seller)
    place(seller)
    client.get("/orders/")  # warm caches (content types, sessions)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/orders/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(4):
        place(seller)
    few = count()
    for _ in range(25):
        place(seller)
    many = count()
    assert few == many, (few, many)
    assert many <= 12


def test_a_hand_typed_view_lists_that_views_orders(seller):  # type: ignore[no-untyped-def]
    pending = place(seller)
    confirmed = place(seller)
    services.order_confirm(seller_id=seller.pk, number=confirmed.number, actor=actor(seller))
    client = login(seller)
    html = client.get("/orders/?view=to_confirm").content.decode()
    assert re.search(r'aria-current="page">To confirm<', html) and "data-unsaved" not in html
    assert numbers(html) == [pending.number]
    assert numbers(client.get("/orders/?view=to_ship").content.decode()) == [confirmed.number]
    view = SavedView.objects.create(
        seller=seller, owner=staff(seller), name="Confirmed", query="status=confirmed"
    )
    assert numbers(client.get(f"/orders/?view={view.pk}").content.decode()) == [confirmed.number]
    # A filter given beside the view wins, and the tab says it differs.
    html = client.get("/orders/?view=to_confirm&status=confirmed").content.decode()
    assert numbers(html) == [confirmed.number] and "data-unsaved" in html
