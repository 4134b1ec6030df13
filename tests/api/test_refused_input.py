"""Input the API used to take and must refuse: each a 422 problem+json that says why, and nothing
written. A viewer's malformed write is a 403: the role is checked before the body."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sellerdesk.orders.models import Order
from tests.conftest import order_body, table_counts

from .conftest import assert_problem, placed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw",
    ["false", "true", "[]", '"x"', "0", json.dumps(json.dumps({"amount": "1.00"}))],
    ids=["false", "true", "list", "string", "zero", "json_in_a_string"],
)
def test_mark_paid_body_that_is_not_an_object_is_refused(api, raw):
    number = placed(api)["number"]
    before = table_counts()
    assert_problem(api.post(f"/orders/{number}/mark-paid", raw=raw), 422)
    assert table_counts() == before
    assert Order.objects.get(number=number).payment_status == "unpaid"


def test_mark_paid_without_a_body_still_pays_the_balance(api):
    number = placed(api)["number"]
    assert api.post(f"/orders/{number}/mark-paid").status_code == 200
    assert Order.objects.get(number=number).payment_status == "paid"


def test_a_discount_larger_than_the_subtotal_is_refused_not_cut(api):
    body = order_body(discount="999999.00")  # the subtotal is 25.00
    before = table_counts()
    problem = assert_problem(api.post("/orders", body), 422, "discount_too_large")
    assert problem["field"] == "discount" and "25.00" in problem["detail"]
    assert table_counts() == before
    assert placed(api, discount="25.00")["total"] == "4.00"  # the whole subtotal is fine


@pytest.mark.parametrize("price", ["12.505", "0.001"])
def test_a_unit_price_finer_than_the_currency_is_refused(api, price):
    body = order_body(lines=[{"sku": "MUG-01", "quantity": 1, "unit_price": price}])
    problem = assert_problem(api.post("/orders", body), 422, "too_many_decimals")
    assert problem["field"] == "lines[0].unit_price"


@pytest.mark.parametrize(
    "field,value",
    [("unit_price", "١٢٣"), ("unit_price", "１２３"), ("shipping_price", "४"), ("discount", "٣")],
    ids=["arabic_indic", "fullwidth", "devanagari_shipping", "arabic_indic_discount"],
)
def test_money_in_non_ascii_digits_is_refused(api, field, value):
    line = {"sku": "MUG-01", "quantity": 1, "unit_price": "12.50"}
    body = (
        order_body(lines=[{**line, field: value}]) if field == "unit_price" else order_body(**{field: value})
    )
    before = table_counts()
    assert_problem(api.post("/orders", body), 422, "validation_error")
    assert table_counts() == before


@pytest.mark.parametrize(
    "remind_at",
    [0, 1_700_000_000, 1.5, "0007-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T00:00:00Z", True],
    ids=["zero", "epoch_seconds", "float", "year_7", "year_1970", "year_9999", "bool"],
)
def test_a_reminder_time_that_is_not_a_plausible_date_is_refused(api, remind_at):
    number = placed(api)["number"]
    body = {"text": "call back", "remind_at": remind_at}
    problem = assert_problem(api.post(f"/orders/{number}/notes", body), 422, "validation_error")
    assert "remind_at" in problem["detail"]


def test_a_reminder_time_in_iso_8601_is_taken(api):
    number = placed(api)["number"]
    resp = api.post(
        f"/orders/{number}/notes", {"text": "call back", "remind_at": "2030-05-01T09:00:00+03:00"}
    )
    assert resp.status_code == 201, resp.content
    assert dt.datetime.fromisoformat(resp.json()["remind_at"]) == dt.datetime(2030, 5, 1, 6, tzinfo=dt.UTC)


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\u202e"], ids=repr)
@pytest.mark.parametrize("where", ["customer_name", "city", "sku", "reference"])
def test_control_characters_in_names_are_refused(api, char, where):
    if where == "reference":
        number = placed(api)["number"]
        resp = api.post(f"/orders/{number}/mark-paid", {"reference": f"desk{char}3"})
    else:
        body = order_body()
        if where == "customer_name":
            body["customer"]["name"] = f"An{char}na"
        elif where == "city":
            body["shipping_address"]["city"] = f"Ka{char}zan"
        else:
            body["lines"][0]["sku"] = f"MUG{char}01"
        resp = api.post("/orders", body)
    problem = assert_problem(resp, 422, "validation_error")
    assert "control character" in problem["detail"]


def test_line_breaks_stay_allowed_in_a_note(api):
    number = placed(api)["number"]
    assert api.post(f"/orders/{number}/notes", {"text": "line one\nline two\ttabbed"}).status_code == 201


@pytest.mark.parametrize(
    "path,raw",
    [
        ("/orders", "[]"),
        ("/orders", '{"customer": 1}'),
        ("/orders/{n}/cancel", '{"reason": 7}'),
        ("/orders/{n}/cancel", '{"reason": "not-a-reason"}'),
        ("/orders/{n}/mark-paid", "false"),
        ("/orders/{n}/manager", '{"manager_id": "x"}'),
        ("/orders/{n}/customer", "{}"),
        ("/orders/{n}/notes", '{"text": ""}'),
        ("/products/MUG-01", '{"stock": -1}'),
    ],
)
def test_a_viewers_malformed_write_is_forbidden_before_it_is_validated(api, viewer_api, path, raw):
    number = placed(api)["number"]
    path = path.replace("{n}", number)
    if path.startswith("/products/"):
        resp = viewer_api.client.patch(
            f"/api/v1{path}", raw, content_type="application/json", headers=viewer_api.headers
        )
    else:
        resp = viewer_api.post(path, raw=raw)
    assert_problem(resp, 403, "forbidden")
