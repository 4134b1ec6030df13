"""GET /api/v1/balance, /payouts, /payouts/{id} and POST /orders/{number}/changes (R-PAY-8, R-PROC-6)."""

from __future__ import annotations

import pytest

from sellerdesk.earnings import services as earnings
from tests.earnings.conftest import drive, pickup_order

pytestmark = pytest.mark.django_db


def test_balance_and_payouts(seller, other_seller, operator, api_for) -> None:  # type: ignore[no-untyped-def]
    order = drive(seller, pickup_order(seller), to="closed")
    drive(seller, pickup_order(seller), to="paid")
    payout = earnings.payout_create(operator=operator, seller_id=seller.pk, currency="EUR", reference="R-9")
    drive(other_seller, pickup_order(other_seller), to="closed")
    theirs = earnings.payout_create(operator=operator, seller_id=other_seller.pk, currency="EUR")
    api = api_for(seller, "viewer")
    assert api.get("/balance").json() == [
        {"currency": "EUR", "pending": "25.00", "available": "0.00", "held": "0.00", "paid_out": "25.00"}
    ]
    listed = api.get("/payouts").json()
    assert [(p["id"], p["amount"], p["reference"]) for p in listed] == [(payout.pk, "25.00", "R-9")]
    detail = api.get(f"/payouts/{payout.pk}").json()
    assert detail["orders"] == [{"number": order.number, "status": "closed", "amount": "25.00"}]
    missing = api.get(f"/payouts/{theirs.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "payout_not_found"


def test_amount_change_applied_or_requested(seller, api_for) -> None:  # type: ignore[no-untyped-def]
    api = api_for(seller)
    confirmed = drive(seller, pickup_order(seller), to="confirmed")
    resp = api.post(f"/orders/{confirmed.number}/changes", {"total": "20.00", "reason": "loyal customer"})
    assert resp.status_code == 200 and resp.json()["total"] == "20.00"
    later = drive(seller, pickup_order(seller), to="processing")
    resp = api.post(f"/orders/{later.number}/changes", {"total": "20.00", "reason": "dent"})
    assert resp.status_code == 202 and resp.json()["state"] == "open"
    bad = api.post(f"/orders/{confirmed.number}/changes", {"total": "99999", "reason": "x"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_amount"
    assert api.post(f"/orders/{confirmed.number}/changes", {"total": "1", "reason": " "}).status_code == 422
    viewer = api_for(seller, "viewer")
    assert (
        viewer.post(f"/orders/{confirmed.number}/changes", {"total": "1", "reason": "x"}).status_code == 403
    )
