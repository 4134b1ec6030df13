"""Filters declared once (issue 8): each list filter is one row of `orders/filters.py`, and the API's
documented parameters, the search syntax, the dashboard's list and the export all come from it.
The API takes the dashboard's search syntax in `q` and answers a malformed one with a 422."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import fields

import pytest
from django.test import Client

from sellerdesk.api.api import api as ninja_api
from sellerdesk.dashboard.views import orders_list
from sellerdesk.orders import filters, query_syntax, services
from sellerdesk.orders.filters import FILTERS, Kind
from sellerdesk.orders.selectors import OrderFilter
from tests.api.conftest import assert_problem
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db


def test_every_declared_filter_is_a_documented_api_parameter_with_its_values() -> None:
    params = {
        p["name"]: p for p in ninja_api.get_openapi_schema()["paths"]["/api/v1/orders"]["get"]["parameters"]
    }
    assert set(params) == {*filters.PARAMS, "limit", "cursor"}
    for f in FILTERS:
        schema = params[f.name]["schema"]
        if f.kind is Kind.CHOICES:
            assert schema["items"]["enum"] == [m.value for m in f.enum]  # type: ignore[union-attr]
            assert params[f.name]["explode"] is False  # comma-separated
        elif f.kind in (Kind.BOOL, Kind.FLAG) or f.choices:
            assert set(schema["enum"]) >= ({"true", "false"} if not f.choices else {v for v, _ in f.choices})
    assert "-created_at" in params["sort"]["schema"]["enum"]


def test_the_filter_the_syntax_and_the_dashboard_read_the_same_declarations() -> None:
    assert [f.name for f in fields(OrderFilter)] == list(filters.PARAMS)
    assert list(filters.PARAMS) == orders_list.FILTER_KEYS
    assert set(query_syntax.KNOWN_KEYS) == {k for f in FILTERS for k in f.syntax}
    assert all(f.syntax for f in FILTERS)  # every filter can be typed in the search box
    for key in query_syntax.KNOWN_KEYS:
        spec = filters.SYNTAX[key][0]
        parsed = query_syntax.parse(f"{key}:{spec.example}")
        assert set(parsed.params) <= {f.name for f in filters.SYNTAX[key]}


@pytest.fixture
def mix(seller):  # type: ignore[no-untyped-def]
    a = place(seller, name="Anna Petrova")
    b = place(seller, name="Anna Smirnova")
    c = place(seller, name="Boris Petrov")
    services.order_confirm(seller_id=seller.pk, number=b.number, actor=actor(seller))
    services.order_confirm(seller_id=seller.pk, number=c.number, actor=actor(seller))
    return a, b, c


def _api_numbers(api, **params) -> set[int]:  # type: ignore[no-untyped-def]
    resp = api.get("/orders", **params)
    assert resp.status_code == 200, resp.content
    return {int(i["number"]) for i in resp.json()["items"]}


@pytest.mark.parametrize(
    "q,expected",
    [
        ("status:confirmed", [1, 2]),
        ("status:confirmed smirnova", [1]),
        ("status:pending,confirmed petrov", [0, 2]),
        ("petrov status:pending", [0]),
    ],
)
def test_the_api_takes_the_dashboards_search_syntax_and_both_list_the_same(api, seller, mix, q, expected):  # type: ignore[no-untyped-def]
    want = {mix[i].number for i in expected}
    assert _api_numbers(api, q=q) == want
    client = Client()
    client.force_login(staff(seller))
    html = client.get("/orders/", {"q": q}).content.decode()
    assert {int(n) for n in re.findall(r'<tr data-row data-number="(\d+)"', html)} == want
    body = b"".join(client.get("/orders/export.csv", {"q": q}).streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert {int(r[0]) for r in list(csv.reader(io.StringIO(body)))[1:]} == want


def test_a_repeated_status_parameter_means_either(api, mix):  # type: ignore[no-untyped-def]
    a, b, c = mix
    resp = api.client.get("/api/v1/orders?status=pending&status=confirmed", headers=api.headers)
    assert {int(i["number"]) for i in resp.json()["items"]} == {a.number, b.number, c.number}


@pytest.mark.parametrize(
    "q,token",
    [
        ("colour:red anna", "colour:red"),
        ("total:>abc", "total:>abc"),
        ("created:2026-13-01", "created:2026-13-01"),
        ("anna test:maybe", "test:maybe"),
        ("status:", "status:"),
    ],
)
def test_a_malformed_search_is_a_422_that_names_the_token(api, q, token):  # type: ignore[no-untyped-def]
    body = assert_problem(api.get("/orders", q=q), 422, "invalid_query")
    assert body["token"] == token
    assert token in body["detail"]


def test_an_unknown_status_in_the_syntax_is_refused_like_the_parameter(api):  # type: ignore[no-untyped-def]
    body = assert_problem(api.get("/orders", q="status:lost"), 422, "invalid_status")
    assert "pending" in body["detail"]
    assert_problem(api.get("/orders", payment_method="barter"), 422, "invalid_payment_method")


def test_the_dashboard_search_has_a_field_for_every_declared_filter(seller):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller))
    html = client.get("/orders/").content.decode()
    for f in FILTERS:
        assert f'name="{f.name}"' in html, f.name
        assert f'id="f-{f.name}"' in html, f.name
    groups = orders_list.advanced_fields({}, {})
    shown = {field["name"] for fields_ in groups.values() for field in fields_}
    assert shown | orders_list.SEARCH_ROW == set(filters.BY_NAME)
