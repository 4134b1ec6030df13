"""The payment ledger, partial payments and refunds over the API (R-PAY-1, R-PAY-3, R-PAY-4)."""

from __future__ import annotations

import pytest

from tests.conftest import place

pytestmark = pytest.mark.django_db


def test_partial_then_full_payment_and_the_ledger_in_the_order(seller, api) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    first = api.post(f"/orders/{order.number}/mark-paid", {"amount": "10.00", "reference": "TR-1"}).json()
    assert first["payment_status"] == "partially_paid"
    assert first["balance"]["outstanding"] == "19.00"
    second = api.post(f"/orders/{order.number}/mark-paid").json()
    assert (second["payment_status"], second["paid"], second["balance"]["outstanding"]) == (
        "paid",
        "29.00",
        "0.00",
    )
    rows = second["payments"]
    assert [(r["kind"], r["amount"], r["provider"], r["reference"]) for r in rows] == [
        ("offline", "10.00", "manual", "TR-1"),
        ("offline", "19.00", "manual", ""),
    ]


def test_refund_one_line_plus_shipping(seller, api) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    detail = api.post(f"/orders/{order.number}/mark-paid").json()
    line_id = detail["lines"][0]["id"]
    body = {"lines": [{"line_id": line_id, "quantity": 1}], "shipping": "4.00", "reason": "broken"}
    preview = api.post(f"/orders/{order.number}/refunds/preview", body)
    assert preview.status_code == 200 and preview.json()["amount"] == "16.50"
    done = api.post(f"/orders/{order.number}/refunds", body)
    assert done.status_code == 201
    out = done.json()
    assert (out["payment_status"], out["refunded"]) == ("partially_refunded", "16.50")
    refund = out["payments"][-1]
    assert (refund["kind"], refund["state"], refund["amount"]) == ("refund", "succeeded", "16.50")
    assert refund["refund_of"] == out["payments"][0]["id"] and refund["by"].startswith("API key")
    assert out["balance"]["refundable"] == "12.50"


def test_refunding_more_than_paid_is_a_409_problem(seller, api) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    api.post(f"/orders/{order.number}/mark-paid", {"amount": "5.00"})
    answer = api.post(f"/orders/{order.number}/refunds", {"adjustment_refund": "5.01"})
    assert answer.status_code == 409
    assert answer["Content-Type"].startswith("application/problem+json")
    assert answer.json()["code"] == "refund_exceeds_paid"


@pytest.mark.parametrize(
    "body",
    [{"shipping": "-1"}, {"lines": [{"line_id": 1, "quantity": -1}]}, {"adjustment_fee": "1e3"}, {"nope": 1}],
)
def test_malformed_refund_is_a_422(seller, api, body) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    assert api.post(f"/orders/{order.number}/refunds", body).status_code == 422


def test_a_viewer_cannot_refund(seller, api_for) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    answer = api_for(seller, "viewer").post(f"/orders/{order.number}/refunds", {"everything": True})
    assert answer.status_code == 403


def test_cancelled_paid_order_shows_refund_due(seller, api) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="bank_transfer")
    api.post(f"/orders/{order.number}/mark-paid")
    out = api.post(f"/orders/{order.number}/cancel", {"reason": "out_of_stock"}).json()
    assert out["balance"] == {
        "outstanding": "0.00",
        "refund_due": "29.00",
        "refund_pending": "0.00",
        "refundable": "29.00",
    }
    out = api.post(f"/orders/{order.number}/refunds", {"everything": True}).json()
    assert (out["payment_status"], out["balance"]["refund_due"]) == ("refunded", "0.00")


@pytest.mark.parametrize("path", ["/orders/not-a-number/refunds", "/orders/not-a-number/refunds/preview"])
def test_a_number_that_is_no_number_is_404(seller, api, path) -> None:  # type: ignore[no-untyped-def]
    answer = api.post(path, {"everything": True})
    assert (answer.status_code, answer.json()["code"]) == (404, "order_not_found")
