"""No N+1: the list and the order page cost the same number of queries however much they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sellerdesk.orders import services
from tests.conftest import actor, place, staff


def _queries(fn) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_list_page_queries_do_not_grow_with_rows(seller, api) -> None:  # type: ignore[no-untyped-def]
    place(seller)
    one = _queries(lambda: api.get("/orders", limit=50))
    manager = staff(seller, "manager")
    for i in range(12):
        order = place(seller, name=f"Customer {i}", email=f"c{i}@example.com")
        services.order_assign_manager(
            seller_id=seller.pk, number=order.number, actor=actor(seller), manager_id=manager.pk
        )
    many = _queries(lambda: api.get("/orders", limit=50))
    assert len(api.get("/orders", limit=50).json()["items"]) == 13
    assert many == one
    searched = _queries(lambda: api.get("/orders", q="Customer", limit=50))
    assert searched == one


def test_order_page_queries_do_not_grow_with_lines(seller, api) -> None:  # type: ignore[no-untyped-def]
    small = place(seller, lines=[services.LineIn(sku="MUG-01", quantity=1)])
    big = place(
        seller,
        lines=[
            services.LineIn(sku="MUG-01", quantity=1),
            services.LineIn(sku="BOWL-01", quantity=2),
            services.LineIn(sku="EBOOK-01", quantity=3),
        ],
    )
    for order in (small, big):
        services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=actor(seller))
    services.note_add(seller_id=seller.pk, number=big.number, actor=actor(seller), text="call first")
    services.note_add(seller_id=seller.pk, number=big.number, actor=actor(seller), text="fragile")
    assert _queries(lambda: api.get(f"/orders/{small.number}")) == _queries(
        lambda: api.get(f"/orders/{big.number}")
    )
