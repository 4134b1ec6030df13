"""R-PAY-2, R-PAY-5 through the API: an integrator charges the customer online."""

from __future__ import annotations

from tests.conftest import order_body


def test_charge_through_the_sandbox_marks_the_order_paid(api) -> None:  # type: ignore[no-untyped-def]
    number = api.post("/orders", order_body()).json()["number"]
    resp = api.post(f"/orders/{number}/payments", {"source": "4242 4242 4242 4242", "provider": "sandbox"})
    assert resp.status_code == 201, resp.content
    order = resp.json()
    assert order["payment_status"] == "paid"
    assert [(p["provider"], p["state"]) for p in order["payments"]] == [("sandbox", "succeeded")]


def test_a_declined_card_is_a_failed_row_and_the_order_stays_unpaid(api) -> None:  # type: ignore[no-untyped-def]
    number = api.post("/orders", order_body()).json()["number"]
    resp = api.post(f"/orders/{number}/payments", {"source": "4000000000000002", "provider": "sandbox"})
    assert resp.status_code == 201, resp.content
    assert resp.json()["payment_status"] == "unpaid"
    assert resp.json()["payments"][-1]["state"] == "failed"


def test_refusals_are_problems(api, api_for, seller) -> None:  # type: ignore[no-untyped-def]
    number = api.post("/orders", order_body()).json()["number"]
    bad = api.post(f"/orders/{number}/payments", {"source": "4242424242424242", "provider": "paypal"})
    assert bad.status_code == 422 and bad.json()["code"] == "unknown_provider"
    too_much = api.post(
        f"/orders/{number}/payments", {"source": "4242424242424242", "provider": "sandbox", "amount": "9999"}
    )
    assert too_much.status_code == 409
    viewer = api_for(seller, "viewer")
    assert viewer.post(f"/orders/{number}/payments", {"source": "4242424242424242"}).status_code == 403
