"""Helpers for the API tests: problem+json checks and a few shortcuts over the HTTP layer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import order_body

PROBLEM = "application/problem+json"


def assert_problem(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and stable code)."""
    assert resp.status_code == status, (resp.status_code, resp.content[:500])
    assert resp["Content-Type"].startswith(PROBLEM), resp["Content-Type"]
    body = resp.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("https://")
    if code is not None:
        assert body["code"] == code, body
    return body


def placed(api: Any, **overrides: Any) -> dict[str, Any]:
    """Place an order through POST /orders and return its JSON (asserting 201)."""
    resp = api.post("/orders", order_body(**overrides))
    assert resp.status_code == 201, resp.content
    return resp.json()


def events(api: Any, number: str) -> list[dict[str, Any]]:
    resp = api.get(f"/orders/{number}/events")
    assert resp.status_code == 200, resp.content
    return resp.json()


def stock_of(api: Any, sku: str) -> tuple[int, int]:
    resp = api.get(f"/products/{sku}")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    return body["stock"], body["reserved"]


@pytest.fixture
def admin_api(seller, api_for):  # type: ignore[no-untyped-def]
    return api_for(seller, "administrator")


@pytest.fixture
def viewer_api(seller, api_for):  # type: ignore[no-untyped-def]
    return api_for(seller, "viewer")
