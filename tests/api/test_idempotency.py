"""Idempotency-Key on POST (R-IN-1, docs/requirements.md#api-conventions: IETF httpapi draft semantics)."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection

from sellerdesk.api.models import IdempotencyKey
from sellerdesk.orders.models import Order
from tests.conftest import order_body, table_counts

from .conftest import assert_problem, events, placed


def _key(k: str) -> dict[str, str]:
    return {"Idempotency-Key": k}


def test_r_in_1_same_key_same_body_replays_the_first_order(api, seller):
    first = api.post("/orders", order_body(), headers=_key("abc-1"))
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    counts = table_counts()
    again = api.post("/orders", order_body(), headers=_key("abc-1"))
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert table_counts() == counts
    assert Order.objects.filter(seller=seller).count() == 1


def test_r_in_1_same_key_other_body_is_422(api, seller):
    assert api.post("/orders", order_body(), headers=_key("abc-2")).status_code == 201
    counts = table_counts()
    other = order_body(lines=[{"sku": "MUG-01", "quantity": 3}])
    assert_problem(api.post("/orders", other, headers=_key("abc-2")), 422, "idempotency_key_reused")
    assert table_counts() == counts


def test_r_in_1_same_key_on_another_path_is_422(api):
    number = placed(api)["number"]
    assert api.post(f"/orders/{number}/confirm", headers=_key("k")).status_code == 200
    assert_problem(api.post("/orders", order_body(), headers=_key("k")), 422, "idempotency_key_reused")


def test_r_in_1_keys_are_scoped_per_api_key(seller, api_for):
    a, b = api_for(seller), api_for(seller)
    ra = a.post("/orders", order_body(), headers=_key("shared"))
    rb = b.post("/orders", order_body(), headers=_key("shared"))
    assert ra.status_code == rb.status_code == 201
    assert "Idempotent-Replayed" not in rb
    assert ra.json()["number"] != rb.json()["number"]
    assert Order.objects.filter(seller=seller).count() == 2


def test_r_in_1_a_failed_request_frees_its_key(api, admin_api, seller):
    big = order_body(lines=[{"sku": "BOWL-01", "quantity": 60}])
    before = table_counts()
    assert_problem(api.post("/orders", big, headers=_key("retry-me")), 409, "out_of_stock")
    assert table_counts() == before
    assert not IdempotencyKey.objects.filter(key="retry-me").exists()
    assert admin_api.patch("/products/BOWL-01", {"stock": 60}).status_code == 200
    resp = api.post("/orders", big, headers=_key("retry-me"))
    assert resp.status_code == 201
    assert "Idempotent-Replayed" not in resp


def test_r_in_1_action_replay_writes_one_event(api):
    number = placed(api)["number"]
    first = api.post(f"/orders/{number}/mark-paid", {"amount": "10.00"}, headers=_key("pay-1"))
    assert first.status_code == 200
    again = api.post(f"/orders/{number}/mark-paid", {"amount": "10.00"}, headers=_key("pay-1"))
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["paid"] == "10.00"
    assert [e["type"] for e in events(api, number)].count("payment_recorded") == 1


def test_r_in_1_refused_action_is_not_stored_as_the_keys_answer(api):
    number = placed(api)["number"]
    assert_problem(api.post(f"/orders/{number}/close", headers=_key("close-1")), 409, "transition_refused")
    assert not IdempotencyKey.objects.filter(key="close-1").exists()


def test_r_in_1_without_key_every_post_is_new(api, seller):
    placed(api)
    placed(api)
    assert Order.objects.filter(seller=seller).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_in_1_key_still_processing_is_409_with_two_real_requests(seller, api_for):
    """A first request holds its key while it waits on a stock-row lock held by another
    connection; the second request with the same key gets 409 and writes nothing; once
    the lock goes, the first one finishes and a retry replays it."""
    api = api_for(seller)
    body = order_body()
    settings_dict = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
    )
    blocker = psycopg.connect(conninfo)
    blocker.execute("SELECT id FROM catalog_product WHERE seller_id = %s FOR UPDATE", [seller.pk])
    results: dict[str, object] = {}

    def first() -> None:
        try:
            results["first"] = api.post("/orders", body, headers=_key("slow"))
        finally:
            connection.close()

    t = threading.Thread(target=first)
    t.start()
    try:
        # wait until the first request has claimed the key and is blocked on the stock lock
        for _ in range(200):
            if IdempotencyKey.objects.filter(key="slow", state="processing").exists():
                break
            threading.Event().wait(0.025)
        else:
            pytest.fail("the first request never claimed its key")
        second = api.post("/orders", body, headers=_key("slow"))
        assert_problem(second, 409, "idempotency_key_in_use")
        assert Order.objects.filter(seller=seller).count() == 0
    finally:
        blocker.rollback()
        blocker.close()
        t.join(timeout=20)
    first_resp = results["first"]
    assert first_resp.status_code == 201, first_resp.content  # type: ignore[attr-defined]
    replay = api.post("/orders", body, headers=_key("slow"))
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["number"] == first_resp.json()["number"]  # type: ignore[attr-defined]
    assert Order.objects.filter(seller=seller).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_in_1_concurrent_same_key_makes_one_order(seller, api_for):
    """Eight threads race with one key: exactly one order; the rest replay it or get 409."""
    api = api_for(seller)
    body = order_body()
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    numbers: set[str] = set()
    lock = threading.Lock()

    def go() -> None:
        try:
            barrier.wait()
            resp = api.post("/orders", body, headers=_key("race"))
            with lock:
                statuses.append(resp.status_code)
                if resp.status_code == 201:
                    numbers.add(resp.json()["number"])
        finally:
            connection.close()

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(statuses) == 8
    assert set(statuses) <= {201, 409}
    assert len(numbers) == 1
    assert Order.objects.filter(seller=seller).count() == 1
