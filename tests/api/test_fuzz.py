"""Generated bad input never gets a 5xx and never writes half an order (R-SEC-4, R-INV-1)."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerdesk.catalog.models import Product
from sellerdesk.orders.models import Order, OrderLine
from tests.conftest import order_body, table_counts

JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["MUG-01", "EBOOK-01", "0", "-1", "1e9", "12.50", "999999999999", "\x00", "RU", "EUR"])
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
FIELDS = [
    "customer",
    "lines",
    "shipping_address",
    "shipping_method",
    "shipping_price",
    "discount",
    "payment_method",
    "currency",
    "is_test",
]


def _fits(container, key) -> bool:  # type: ignore[no-untyped-def]
    """True when ``key`` addresses an existing slot of ``container`` (or a new dict key)."""
    if isinstance(container, dict):
        return isinstance(key, str)
    if isinstance(container, list):
        return isinstance(key, int) and key < len(container)
    return False


def _container_at(body, path):  # type: ignore[no-untyped-def]
    """The dict or list reached by following ``path``, or None once an earlier mutation broke it."""
    target = body
    for key in path:
        if not _fits(target, key) or (isinstance(target, dict) and key not in target):
            return None
        target = target[key]
    return target if isinstance(target, dict | list) else None


@st.composite
def mutated_bodies(draw):  # type: ignore[no-untyped-def]
    body = order_body()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(
            st.sampled_from(
                [(f,) for f in FIELDS]
                + [("customer", "name"), ("customer", "email"), ("customer", "phone")]
                + [("lines", 0, "sku"), ("lines", 0, "quantity"), ("lines", 0, "unit_price")]
                + [("shipping_address", "country"), ("shipping_address", "postal_code")]
            )
        )
        parent = _container_at(body, path[:-1])
        key = path[-1]
        if parent is None or not _fits(parent, key):
            continue
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(key, None)
        else:
            parent[key] = draw(JSON)
    return body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=mutated_bodies())
def test_r_sec_4_generated_order_bodies_never_5xx_nor_half_write(api, body):
    before = table_counts()
    resp = api.post("/orders", body)
    assert resp.status_code < 500, (body, resp.content)
    if resp.status_code == 201:
        after = table_counts()
        assert after["orders_order"] == before["orders_order"] + 1
        assert after["orders_orderevent"] == before["orders_orderevent"] + 1
        number = resp.json()["number"]
        assert api.post(f"/orders/{number}/cancel", {"reason": "customer_request"}).status_code == 200
    else:
        assert resp["Content-Type"].startswith("application/problem+json")
        assert table_counts() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "status",
                "payment_status",
                "total_min",
                "total_max",
                "created_after",
                "created_before",
                "manager",
                "sku",
                "is_test",
                "overdue",
                "sort",
                "limit",
                "cursor",
            ]
        ),
        st.text(max_size=40)
        | st.sampled_from(["-total", "total", "1e999", "2024-01-01", "true", "-1", "9999-12-31"]),
        max_size=4,
    )
)
def test_r_sec_4_generated_list_queries_never_5xx(api, params):
    resp = api.get("/orders", **params)
    assert resp.status_code in (200, 422), (params, resp.content)
    if resp.status_code == 422:
        assert resp["Content-Type"].startswith("application/problem+json")
    else:
        json.loads(resp.content)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_inv_1_concurrent_placements_never_oversell(seller, api_for):
    """Six clients race for 10 bowls, 3 each: exactly three orders win, the rest get 409."""
    Product.objects.filter(seller=seller, sku="BOWL-01").update(stock=10)
    api = api_for(seller)
    barrier = threading.Barrier(6)
    statuses: list[int] = []
    lock = threading.Lock()

    def go() -> None:
        try:
            barrier.wait()
            resp = api.post("/orders", order_body(lines=[{"sku": "BOWL-01", "quantity": 3}]))
            with lock:
                statuses.append(resp.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) == [201, 201, 201, 409, 409, 409]
    bowl = Product.objects.get(seller=seller, sku="BOWL-01")
    assert bowl.reserved == 9 and bowl.stock == 10
    assert Order.objects.filter(seller=seller).count() == 3
    assert OrderLine.objects.filter(order__seller=seller).count() == 3
