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


# --- fulfilment (R-FUL-1, R-FUL-2): the statements of one POST …/fulfillments ---------------------

# API key (with its seller); the order locked; its lines; its shipments (none yet: their lines are
# not read); the shipment, its lines, the lines' fulfilled units; the products locked and their
# stock deducted (the order leaves as shipped); the order; its events; the webhook subscriptions
# asked once; the outbox rows and their jobs. The answer and the derived status read nothing more.
FULFIL_STATEMENTS = 15


def _to_ship(seller, skus: list[str]):  # type: ignore[no-untyped-def]
    order = place(
        seller,
        lines=[services.LineIn(sku=sku, quantity=2) for sku in skus],
        payment_method="cash_on_delivery",
    )
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    return order


def _fulfil(api, number: int, **body):  # type: ignore[no-untyped-def]
    body = body or {"shipping_point": "local", "carrier": "Courier", "tracking_number": "T1"}
    with CaptureQueriesContext(connection) as ctx:
        response = api.post(f"/orders/{number}/fulfillments", body)
    assert response.status_code == 201, response.content
    statements = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    return response.json(), statements


def test_fulfilment_statements_do_not_grow_with_lines(seller, api) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.catalog.models import Product

    for sku in ("PLATE-01", "CUP-01"):
        Product.objects.create(seller=seller, sku=sku, name=sku, price="3.00", currency="EUR", stock=50)
    counts = {}
    for skus in (
        ["MUG-01"],
        ["MUG-01", "BOWL-01", "EBOOK-01"],
        ["MUG-01", "BOWL-01", "EBOOK-01", "PLATE-01", "CUP-01"],
    ):
        order = _to_ship(seller, skus)
        answer, statements = _fulfil(api, order.number)
        counts[len(skus)] = len(statements)
        # The answer is built from what was just written; it is what a fresh read says.
        assert answer == api.get(f"/orders/{order.number}/shipments").json()[0]
        assert sorted(line["sku"] for line in answer["lines"]) == sorted(skus)
        stored = api.get(f"/orders/{order.number}").json()
        assert (stored["status"], stored["fulfillment_status"]) == ("shipped", "fulfilled")
    assert counts[3] == FULFIL_STATEMENTS, "\n".join(statements)
    assert counts == {1: FULFIL_STATEMENTS, 3: FULFIL_STATEMENTS, 5: FULFIL_STATEMENTS}


def test_a_second_shipment_reads_the_first_once(seller, api) -> None:  # type: ignore[no-untyped-def]
    """A split order: the earlier shipments and their lines are read once (the next number and the
    derived status both come from that read), and the number follows them."""
    order = _to_ship(seller, ["MUG-01", "BOWL-01"])
    lines = {line.sku: line.pk for line in order.lines.all()}
    first, _ = _fulfil(api, order.number, lines=[{"line_id": lines["MUG-01"], "quantity": 2}])
    assert first["id"] == 1
    second, statements = _fulfil(api, order.number, lines=[{"line_id": lines["BOWL-01"], "quantity": 2}])
    assert second["id"] == 2
    assert second == api.get(f"/orders/{order.number}/shipments").json()[1]
    # one more than a first shipment: the earlier shipments' lines (their units, for the derivation)
    assert len(statements) == FULFIL_STATEMENTS + 1, "\n".join(statements)


# Marking the last shipment delivered (R-FUL-6), the order following it to delivered: the API key;
# the order and the shipment locked; the shipment written; the order's lines, its shipments and their
# lines read once (both derivations and the carrier check read them); the order, its events and
# outbox rows; then the answer: the delivered shipment's order lines and tracking.
DELIVER_STATEMENTS = 15


def test_delivering_a_shipment_reads_the_order_once(seller, api) -> None:  # type: ignore[no-untyped-def]
    order = _to_ship(seller, ["MUG-01", "BOWL-01", "EBOOK-01"])
    _fulfil(api, order.number)
    with CaptureQueriesContext(connection) as ctx:
        response = api.post(f"/orders/{order.number}/shipments/1/deliver")
    assert response.status_code == 200, response.content
    statements = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert response.json() == api.get(f"/orders/{order.number}/shipments").json()[0]
    assert response.json()["status"] == "delivered"
    stored = api.get(f"/orders/{order.number}").json()
    assert (stored["status"], stored["fulfillment_status"]) == ("delivered", "delivered")
    assert len(statements) == DELIVER_STATEMENTS, "\n".join(statements)
