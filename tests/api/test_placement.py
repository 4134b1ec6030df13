"""Placing orders through POST /api/v1/orders (R-IN-1, R-IN-2, R-IN-3, R-IN-5, R-PROC-9, R-PAY-9)."""

from __future__ import annotations

import datetime as dt

from sellerdesk.orders.models import Order, OrderEvent
from tests.conftest import order_body, place, table_counts

from .conftest import assert_problem, events, placed

ORDER_FIELDS = {
    "number",
    "status",
    "payment_status",
    "fulfillment_status",
    "total",
    "currency",
    "customer",
    "lines",
    "manager",
    "confirm_by",
    "ship_by",
    "created_at",
    "shipping_address",
    "shipping_method",
    "payment_method",
    "is_test",
    "address_valid",
    "address_errors",
    "subtotal",
    "discount",
    "shipping_price",
}


def _parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_r_in_1_place_returns_201_with_spec_fields_and_shapes(api):
    resp = api.post("/orders", order_body())
    assert resp.status_code == 201, resp.content
    assert resp["Content-Type"].startswith("application/json")
    body = resp.json()
    assert set(body) >= ORDER_FIELDS
    assert isinstance(body["number"], str) and body["number"].isdigit()
    assert body["status"] == "pending"
    assert body["payment_status"] == "unpaid"
    assert body["fulfillment_status"] == "unfulfilled"
    assert body["total"] == "29.00" and body["subtotal"] == "25.00" and body["shipping_price"] == "4.00"
    assert body["currency"] == "EUR"
    assert body["customer"]["name"] == "Anna Petrova"
    assert body["customer"]["email"] == "anna@example.com"
    assert body["customer"]["phone"] == "+7 912 345-67-89"
    assert isinstance(body["customer"]["id"], int)
    [line] = body["lines"]
    assert line["sku"] == "MUG-01" and line["quantity"] == 2 and line["unit_price"] == "12.50"
    assert line["total"] == "25.00"
    assert body["manager"] is None
    assert body["ship_by"] is None
    created = _parse_time(body["created_at"])
    confirm_by = _parse_time(body["confirm_by"])
    assert confirm_by > created
    assert body["shipping_address"]["city"] == "Казань"
    assert body["address_valid"] is True and body["address_errors"] == {}
    assert body["is_test"] is False
    assert body["source"] == "api"
    assert "confirm" in body["available_actions"] and "cancel" in body["available_actions"]
    # the stored order reads back identically
    got = api.get(f"/orders/{body['number']}").json()
    assert got["total"] == body["total"] and got["lines"] == body["lines"]


def test_r_in_1_placement_writes_one_placed_event(api):
    body = placed(api)
    evs = events(api, body["number"])
    assert [e["type"] for e in evs] == ["order_placed"]
    assert evs[0]["actor"]["kind"] == "integration"
    assert evs[0]["data"]["total"].startswith("29")
    assert evs[0]["data"]["customer_id"] == body["customer"]["id"]  # the customer by id, not only name
    assert evs[0]["version"] == 1 and evs[0]["description"] == "Order placed (source: api)."


def test_r_pay_9_total_is_lines_plus_shipping_minus_discount(api):
    body = placed(
        api,
        lines=[
            {"sku": "MUG-01", "quantity": 3, "unit_price": "12.50"},
            {"sku": "BOWL-01", "quantity": 1, "unit_price": "24.90"},
        ],
        shipping_price="5.55",
        discount="10.00",
    )
    assert body["subtotal"] == "62.40"
    assert body["discount"] == "10.00"
    assert body["total"] == "57.95"  # 37.50 + 24.90 + 5.55 − 10.00


def test_r_in_1_unit_price_omitted_uses_product_price(api):
    body = placed(api, lines=[{"sku": "BOWL-01", "quantity": 2}], shipping_price="0")
    assert body["lines"][0]["unit_price"] == "24.90"
    assert body["total"] == "49.80"


def test_r_in_5_numbers_sequential_per_seller(api, other_seller, api_for):
    other = api_for(other_seller)
    a1 = int(placed(api)["number"])
    a2 = int(placed(api)["number"])
    b1 = int(placed(other)["number"])
    a3 = int(placed(api)["number"])
    b2 = int(placed(other)["number"])
    assert a2 == a1 + 1 and a3 == a2 + 1
    assert b2 == b1 + 1
    # each seller starts at its own counter, untouched by the other's orders
    assert b1 == a1


def test_r_in_3_test_orders_flagged_and_repeatable_until_first_real_order(api, seller):
    t1 = placed(api, is_test=True)
    t2 = placed(api, is_test=True)
    assert t1["is_test"] is True and t2["is_test"] is True
    assert t1["source"] == "test"
    real = placed(api)
    assert real["is_test"] is False
    before = table_counts()
    resp = api.post("/orders", order_body(is_test=True))
    assert_problem(resp, 409, "test_orders_closed")
    assert table_counts() == before
    listed = api.get("/orders", is_test="true").json()["items"]
    assert {o["number"] for o in listed} == {t1["number"], t2["number"]}


def test_r_in_2_on_behalf_order_has_source_staff_and_lands_in_new(api):
    resp = api.post("/orders/on-behalf", order_body())
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["source"] == "staff"
    assert body["status"] == "pending"
    pending = api.get("/orders", status="pending").json()["items"]
    assert body["number"] in {o["number"] for o in pending}


def test_r_proc_9_invalid_postal_code_is_flagged_not_refused(api):
    address = {
        "country": "RU",
        "city": "Казань",
        "region": "Республика Татарстан",
        "postal_code": "ABC",
        "line1": "ул. Баумана, 1",
    }
    resp = api.post("/orders", order_body(shipping_address=address))
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["address_valid"] is False
    assert "postal_code" in body["address_errors"]
    listed = api.get("/orders").json()["items"]
    assert next(o for o in listed if o["number"] == body["number"])["address_valid"] is False


def test_r_proc_9_digital_order_needs_no_address(api):
    body = order_body(
        lines=[{"sku": "EBOOK-01", "quantity": 1}], shipping_method="digital", shipping_price="0"
    )
    del body["shipping_address"]
    resp = api.post("/orders", body)
    assert resp.status_code == 201, resp.content
    out = resp.json()
    assert out["address_valid"] is True and out["shipping_address"] == {}
    assert out["total"] == "5.00"


def test_r_proc_9_carrier_order_without_address_is_422(api):
    body = order_body()
    del body["shipping_address"]
    before = table_counts()
    assert_problem(api.post("/orders", body), 422, "address_required")
    assert table_counts() == before


def test_r_in_1_same_customer_email_reuses_identity(api):
    a = placed(api)
    b = placed(api, customer={"name": "Anna P.", "email": "ANNA@example.com", "phone": ""})
    assert a["customer"]["id"] == b["customer"]["id"]
    # the order keeps the name it was placed with
    assert b["customer"]["name"] == "Anna P."


def test_r_in_1_placement_by_service_and_api_share_the_counter(api, seller):
    order = place(seller)
    body = placed(api)
    assert int(body["number"]) == order.number + 1
    assert Order.objects.filter(seller=seller).count() == 2
    assert OrderEvent.objects.filter(order__seller=seller, type="order_placed").count() == 2


def test_r_pay_9_product_price_in_another_currency_needs_unit_price(api):
    before = table_counts()
    resp = api.post("/orders", order_body(currency="RUB", lines=[{"sku": "MUG-01", "quantity": 1}]))
    assert_problem(resp, 422, "unit_price_required")
    assert table_counts() == before
    body = placed(api, currency="RUB", lines=[{"sku": "MUG-01", "quantity": 1, "unit_price": "990"}])
    assert body["currency"] == "RUB" and body["lines"][0]["unit_price"] == "990.00"


def test_r_pay_9_amounts_are_in_the_currency_minor_unit(api):
    """A price with more decimals than the currency has is refused, never rounded silently."""
    body = order_body(currency="JPY", lines=[{"sku": "MUG-01", "quantity": 1, "unit_price": "1250.5"}])
    problem = assert_problem(api.post("/orders", body), 422, "too_many_decimals")
    assert problem["field"] == "lines[0].unit_price"
    body = placed(
        api,
        currency="JPY",
        lines=[{"sku": "MUG-01", "quantity": 1, "unit_price": "1251"}],
        shipping_price="300",
    )
    assert body["lines"][0]["unit_price"] == "1251"
    assert body["total"] == "1551"
