"""R-FUL-1..11 through /api/v1: fulfillments, shipments, returns, documents; tenancy and roles."""

from __future__ import annotations

from typing import Any

import pytest

from sellerdesk.orders.models import Order
from tests.shipping.conftest import line_ids, ready_to_ship


def problem(resp: Any) -> dict[str, Any]:
    assert resp["Content-Type"].startswith("application/problem+json"), resp.content
    return resp.json()


def test_split_fulfilment_and_delivery_through_the_api(api, shippable: Order) -> None:  # type: ignore[no-untyped-def]
    n = shippable.number
    ids = line_ids(shippable)
    first = api.post(
        f"/orders/{n}/fulfillments",
        {"lines": [{"line_id": ids["MUG-01"], "quantity": 2}], "carrier": "DHL", "tracking_number": "JD1"},
    )
    assert first.status_code == 201, first.content
    assert first.json()["id"] == 1 and first.json()["status"] == "shipped"
    assert api.get(f"/orders/{n}").json()["fulfillment_status"] == "partially_fulfilled"
    second = api.post(f"/orders/{n}/fulfillments", {"shipping_point": "pickup"})
    assert second.status_code == 201 and second.json()["lines"][0]["sku"] == "BOWL-01"
    order = api.get(f"/orders/{n}").json()
    assert (order["status"], order["fulfillment_status"]) == ("confirmed", "dispatched")
    assert api.post(f"/orders/{n}/shipments/2/deliver").status_code == 200
    assert api.get(f"/orders/{n}").json()["status"] == "shipped"
    assert api.post(f"/orders/{n}/shipments/1/deliver").status_code == 200
    order = api.get(f"/orders/{n}").json()
    assert (order["status"], order["fulfillment_status"]) == ("delivered", "picked_up") or order[
        "status"
    ] == "delivered"
    shipments = api.get(f"/orders/{n}/shipments").json()
    assert [s["status"] for s in shipments] == ["delivered", "delivered"]
    ret = api.post(
        f"/orders/{n}/returns", {"lines": [{"line_id": ids["MUG-01"], "quantity": 1}], "restock": True}
    )
    assert ret.status_code == 201, ret.content
    assert api.get(f"/orders/{n}").json()["fulfillment_status"] == "partially_returned"
    assert len(api.get(f"/orders/{n}/returns").json()) == 1
    types = [e["type"] for e in api.get(f"/orders/{n}/events").json()]
    assert {
        "shipment_created",
        "shipment_status_changed",
        "order_shipped",
        "order_delivered",
        "return_recorded",
    } <= set(types)


def test_refusals_are_problems(api, shippable: Order, seller) -> None:  # type: ignore[no-untyped-def]
    n = shippable.number
    ids = line_ids(shippable)
    too_many = api.post(f"/orders/{n}/fulfillments", {"lines": [{"line_id": ids["MUG-01"], "quantity": 9}]})
    assert too_many.status_code == 422 and problem(too_many)["code"] == "quantity_exceeds_open"
    intl = api.post(f"/orders/{n}/fulfillments", {"shipping_point": "international", "carrier": "DHL"})
    assert intl.status_code == 422 and problem(intl)["code"] == "tracking_required"
    bad_point = api.post(f"/orders/{n}/fulfillments", {"shipping_point": "moon"})
    assert bad_point.status_code == 422
    assert api.get(f"/orders/{n}/shipments/1").status_code == 404
    assert api.post(f"/orders/{n}/shipments/abc/void").status_code in (404, 422)
    assert not Order.objects.get(pk=shippable.pk).shipments.exists()


def test_unpaid_is_refused_with_the_reason(api, seller) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.orders import services
    from tests.conftest import actor, place

    order = place(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    resp = api.post(f"/orders/{order.number}/fulfillments", {})
    assert resp.status_code == 409
    body = problem(resp)
    assert body["code"] == "payment_required" and "paid before it leaves" in body["detail"]


def test_another_sellers_order_and_line_ids(api, api_for, shippable: Order, make_seller) -> None:  # type: ignore[no-untyped-def]
    other = make_seller()
    theirs = ready_to_ship(other)
    # their order: 404; their line id in my order's body: not one of my lines
    assert api.post(f"/orders/{theirs.number + 100000}/fulfillments", {}).status_code == 404
    their_line = next(iter(line_ids(theirs).values()))
    resp = api.post(
        f"/orders/{shippable.number}/fulfillments", {"lines": [{"line_id": their_line, "quantity": 1}]}
    )
    assert resp.status_code == 422 and problem(resp)["code"] == "line_not_found"
    viewer = api_for(shippable.seller, "viewer")
    assert viewer.post(f"/orders/{shippable.number}/fulfillments", {}).status_code == 403
    assert viewer.get(f"/orders/{shippable.number}/shipments").status_code == 200


def test_documents_are_pdfs(api, shippable: Order) -> None:  # type: ignore[no-untyped-def]
    n = shippable.number
    api.post(f"/orders/{n}/fulfillments", {"carrier": "DHL", "tracking_number": "JD42"})
    slip = api.get(f"/orders/{n}/packing-slip")
    assert (
        slip.status_code == 200
        and slip["Content-Type"] == "application/pdf"
        and slip.content.startswith(b"%PDF")
    )
    label = api.get(f"/orders/{n}/shipments/1/label")
    assert label.status_code == 200 and label.content.startswith(b"%PDF")


def test_edit_is_forward_only(api, shippable: Order) -> None:  # type: ignore[no-untyped-def]
    n = shippable.number
    api.post(f"/orders/{n}/fulfillments", {})
    ok = api.patch(
        f"/orders/{n}/shipments/1", {"status": "in_transit", "tracking_number": "T1", "notify_customer": True}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "in_transit"
    back = api.patch(f"/orders/{n}/shipments/1", {"status": "shipped"})
    assert back.status_code == 409
    void = api.post(f"/orders/{n}/shipments/1/void")
    assert void.status_code == 409 and "carrier already has the parcel" in problem(void)["detail"]


@pytest.mark.parametrize("path", ["/orders/{n}/shipments/1/deliver", "/orders/{n}/shipments/1/void"])
def test_viewer_cannot_act_on_shipments(api, api_for, shippable: Order, path: str) -> None:  # type: ignore[no-untyped-def]
    api.post(f"/orders/{shippable.number}/fulfillments", {"shipping_point": "pickup"})
    viewer = api_for(shippable.seller, "viewer")
    assert viewer.post(path.format(n=shippable.number)).status_code == 403


def test_a_new_seller_has_its_sandbox_account_and_listing_accounts_writes_nothing(api, seller) -> None:  # type: ignore[no-untyped-def]
    """R-FUL-5: the sandbox carrier account is written with the seller; reading the accounts (API,
    pages) never writes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sellerdesk.shipping.accounts import sandbox_account
    from sellerdesk.shipping.models import CarrierAccount

    assert sandbox_account(seller.pk).name == "Sandbox carrier"
    with CaptureQueriesContext(connection) as ctx:
        r = api.get("/carrier-accounts")
    assert r.status_code == 200 and [a["carrier"] for a in r.json()] == ["sandbox"]
    assert not [
        q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert CarrierAccount.objects.filter(seller=seller).count() == 1
