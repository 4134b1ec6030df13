"""Bad input gets a 4xx problem+json and writes nothing (R-SEC-4, R-IN-1, R-INV-1)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import order_body, table_counts

from .conftest import assert_problem, placed


def _line(**kw):  # type: ignore[no-untyped-def]
    return [{"sku": "MUG-01", "quantity": 1, "unit_price": "12.50", **kw}]


BAD_BODIES = {
    "quantity_string": order_body(lines=_line(quantity="2")),
    "quantity_bool": order_body(lines=_line(quantity=True)),
    "quantity_float": order_body(lines=_line(quantity=1.5)),
    "quantity_zero": order_body(lines=_line(quantity=0)),
    "quantity_negative": order_body(lines=_line(quantity=-3)),
    "quantity_huge": order_body(lines=_line(quantity=10**30)),
    "price_number": order_body(lines=_line(unit_price=12.5)),
    "price_negative": order_body(lines=_line(unit_price="-1.00")),
    "price_garbage": order_body(lines=_line(unit_price="12,50")),
    "price_nan": order_body(lines=_line(unit_price="NaN")),
    "price_too_precise": order_body(lines=_line(unit_price="1.123456")),
    "lines_not_list": order_body(lines={"sku": "MUG-01", "quantity": 1}),
    "lines_empty": order_body(lines=[]),
    "lines_null": order_body(lines=None),
    "line_not_object": order_body(lines=["MUG-01"]),
    "sku_missing": order_body(lines=[{"quantity": 1}]),
    "currency_unknown": order_body(currency="XXY"),
    "currency_long": order_body(currency="EURO"),
    "currency_number": order_body(currency=978),
    "shipping_method_unknown": order_body(shipping_method="teleport"),
    "payment_method_unknown": order_body(payment_method="barter"),
    "shipping_price_negative": order_body(shipping_price="-4.00"),
    "discount_number": order_body(discount=1),
    "customer_missing": {k: v for k, v in order_body().items() if k != "customer"},
    "customer_name_empty": order_body(customer={"name": ""}),
    "customer_name_blank": order_body(customer={"name": "   "}),
    "customer_not_object": order_body(customer="Anna"),
    "email_invalid": order_body(customer={"name": "A", "email": "not-an-email"}),
    "name_100kb": order_body(customer={"name": "A" * 100_000}),
    "sku_100kb": order_body(lines=[{"sku": "M" * 100_000, "quantity": 1}]),
    "city_100kb": order_body(shipping_address={"country": "RU", "city": "К" * 100_000}),
    "country_invalid": order_body(shipping_address={"country": "Russia"}),
    "address_not_object": order_body(shipping_address="Kazan"),
    "is_test_string": order_body(is_test="yes"),
    "lines_missing": {k: v for k, v in order_body().items() if k != "lines"},
    "currency_missing": {k: v for k, v in order_body().items() if k != "currency"},
    "too_many_lines": order_body(lines=[{"sku": "MUG-01", "quantity": 1}] * 201),
    "nul_in_name": order_body(customer={"name": "An\x00na"}),
    "nul_in_city": order_body(
        shipping_address={"country": "RU", "city": "Ка\x00зань", "postal_code": "420111", "line1": "x"}
    ),
    "amount_overflow": order_body(lines=_line(unit_price="999999999999", quantity=1)),
    "line_overflow": order_body(lines=_line(unit_price="999999999", quantity=100)),
    "shipping_overflow": order_body(shipping_price="999999999999.9999"),
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_r_sec_4_bad_order_body_is_422_and_writes_nothing(api, name):
    before = table_counts()
    resp = api.post("/orders", BAD_BODIES[name])
    assert_problem(resp, 422)
    assert table_counts() == before


def test_r_sec_4_unknown_sku_is_422_naming_it(api):
    before = table_counts()
    body = assert_problem(
        api.post("/orders", order_body(lines=[{"sku": "NOPE-9", "quantity": 1}])), 422, "unknown_sku"
    )
    assert "NOPE-9" in body["detail"]
    assert table_counts() == before


def test_r_sec_4_validation_problem_lists_fields(api):
    body = assert_problem(api.post("/orders", order_body(lines=_line(quantity="2"))), 422, "validation_error")
    assert any("quantity" in e["field"] for e in body["errors"])


@pytest.mark.parametrize(
    "raw",
    ["{", "not json", '{"customer": ', "[1, 2", "\x00", '{"a": 1}{"b": 2}', "null", "[]", '"text"', "42"],
)
def test_r_sec_4_invalid_json_is_4xx_problem(api, raw):
    before = table_counts()
    resp = api.post("/orders", raw=raw)
    assert resp.status_code in (400, 422), resp.content
    assert_problem(resp, resp.status_code)
    assert table_counts() == before


def test_r_sec_4_lone_surrogate_is_422(api):
    raw = json.dumps(order_body()).replace("Anna Petrova", "\\ud800Anna")
    before = table_counts()
    assert_problem(api.post("/orders", raw=raw), 422)
    assert table_counts() == before


def test_r_sec_4_body_too_large_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = order_body(customer={"name": "A", "email": "a@example.com", "phone": "1" * 20_000})
    before = table_counts()
    assert_problem(api.post("/orders", body), 413, "payload_too_large")
    assert table_counts() == before


def test_r_sec_4_wrong_content_type_is_4xx(api):
    resp = api.client.post(
        "/api/v1/orders",
        "customer=Anna",
        content_type="application/x-www-form-urlencoded",
        headers=api.headers,
    )
    assert resp.status_code in (400, 415, 422)
    assert_problem(resp, resp.status_code)


def test_r_sec_3_no_auth_is_401_problem(db, seller):
    resp = Client().get("/api/v1/orders")
    body = assert_problem(resp, 401, "unauthenticated")
    assert "Bearer" in resp["WWW-Authenticate"]
    assert body["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sd_nope_nope",
        "Bearer ",
        "Bearer " + "x" * 5000,
        "Basic dXNlcjpwYXNz",
        "sd_abc_def",
        "Bearer sd_\x00_x",
    ],
)
def test_r_sec_3_bad_key_is_401_and_places_nothing(db, seller, header):
    before = table_counts()
    resp = Client().post(
        "/api/v1/orders",
        json.dumps(order_body()),
        content_type="application/json",
        headers={"Authorization": header},
    )
    assert_problem(resp, 401, "unauthenticated")
    assert table_counts() == before


def test_r_sec_3_revoked_key_is_401(seller, api):
    from django.utils import timezone

    from sellerdesk.accounts.models import ApiKey

    ApiKey.objects.filter(seller=seller).update(revoked_at=timezone.now())
    assert_problem(api.get("/orders"), 401)


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/orders/1/nothing", "/api/v1/", "/api/v2/orders", "/api/nope"]
)
def test_r_sec_4_unknown_api_path_is_404_problem(api, path):
    resp = api.client.get(path, headers=api.headers)
    assert_problem(resp, 404, "not_found")


def test_r_sec_4_unknown_path_outside_api_is_not_problem_json(db):
    resp = Client().get("/surely-not-a-page-here/")
    assert resp.status_code == 404
    assert not resp["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "method,path",
    [
        ("delete", "/api/v1/orders"),
        ("put", "/api/v1/orders"),
        ("get", "/api/v1/orders/1/confirm"),
        ("delete", "/api/v1/orders/1"),
        ("post", "/api/v1/products"),
    ],
)
def test_r_sec_4_wrong_method_is_405_problem(api, method, path):
    resp = getattr(api.client, method)(path, headers=api.headers)
    body = assert_problem(resp, 405, "method_not_allowed")
    assert resp["Allow"]
    assert "Allow" in body["detail"] or resp["Allow"] in body["detail"]


@pytest.mark.parametrize("number", ["abc", "0", "-1", "99999999999999999999999", "1e3", "%00"])
def test_r_sec_4_bad_order_number_is_404(api, number):
    placed(api)
    assert_problem(api.get(f"/orders/{number}"), 404, "order_not_found")
    before = table_counts()
    assert_problem(api.post(f"/orders/{number}/confirm"), 404, "order_not_found")
    assert table_counts() == before


@pytest.mark.parametrize(
    "path,body",
    [
        ("/cancel", {"reason": "no_such_reason"}),
        ("/cancel", {}),
        ("/cancel", {"reason": 5}),
        ("/cancel", {"reason": "other"}),
        ("/cancel", {"reason": "other", "comment": "   "}),
        ("/mark-paid", {"amount": 10}),
        ("/mark-paid", {"amount": "-5"}),
        ("/mark-paid", {"amount": "0"}),
        ("/mark-paid", {"amount": "ten"}),
        ("/manager", {"manager_id": "5"}),
        ("/manager", {}),
        ("/customer", {"customer_id": None}),
        ("/notes", {"text": ""}),
        ("/notes", {"text": "   "}),
        ("/notes", {"text": "x" * 5001}),
        ("/notes", {"text": "hi", "remind_at": "tomorrow"}),
        ("/notes", {"text": "a\x00b"}),
    ],
)
def test_r_sec_4_bad_action_body_is_422_and_writes_nothing(api, path, body):
    number = placed(api)["number"]
    before = table_counts()
    assert_problem(api.post(f"/orders/{number}{path}", body), 422)
    assert table_counts() == before
    assert api.get(f"/orders/{number}").json()["status"] == "pending"


@pytest.mark.parametrize("body", [{"stock": "40"}, {"stock": -1}, {"stock": True}, {"stock": 4.5}, {}, []])
def test_r_sec_4_bad_stock_patch_is_422(admin_api, body):
    assert_problem(admin_api.patch("/products/MUG-01", body), 422)
    assert admin_api.get("/products/MUG-01").json()["stock"] == 100


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"status": "pending,bogus"},
        {"payment_status": "free"},
        {"fulfillment_status": "lost"},
        {"total_min": "abc"},
        {"total_max": "1e400"},
        {"total_min": "NaN"},
        {"created_after": "yesterday"},
        {"created_before": "2024-13-45"},
        {"created_after": "2024-02-30"},
        {"created_before": "9999-12-31"},
        {"created_after": "2024-01-01T25:00:00"},
        {"is_test": "maybe"},
        {"sort": "-customer_name"},
        {"limit": "ten"},
        {"cursor": "garbage!!"},
        {"q": "x" * 201},
        {"q": "an\x00na"},
        {"sku": "MUG\x00"},
        {"manager": "\x00"},
        {"overdue": "2"},
    ],
)
def test_r_list_invalid_filter_is_422(api, params):
    placed(api)
    assert_problem(api.get("/orders", **params), 422)


def test_r_list_forged_cursor_is_422(api):
    import base64

    for _ in range(3):
        placed(api)
    for values in (["not a date", 1], ["2024-13-45T00:00:00", 1], [None, 1], [{"a": 1}, 1], ["x", "y"]):
        forged = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
        assert_problem(api.get("/orders", cursor=forged, limit=1), 422, "invalid_cursor")
        assert_problem(api.get("/orders", cursor=forged, limit=1, sort="total"), 422, "invalid_cursor")


def test_r_list_cursor_of_another_sort_is_422(api):
    for _ in range(3):
        placed(api)
    cursor = api.get("/orders", limit=1, sort="total").json()["next_cursor"]
    assert cursor
    assert_problem(api.get("/orders", limit=1, cursor=cursor), 422, "invalid_cursor")


def test_r_sec_4_bad_idempotency_key_is_422(api):
    before = table_counts()
    resp = api.post("/orders", order_body(), headers={"Idempotency-Key": "k" * 256})
    assert_problem(resp, 422, "invalid_idempotency_key")
    assert table_counts() == before


@pytest.mark.parametrize("sku", ["NOPE", "MUG-01%00", "%00"])
def test_r_inv_3_unknown_product_is_404(admin_api, sku):
    assert_problem(admin_api.get(f"/products/{sku}"), 404, "product_not_found")
    assert_problem(admin_api.patch(f"/products/{sku}", {"stock": 4}), 404, "product_not_found")
