"""One table of orders, sent through the three ways an order comes in: the API, the dashboard's
new-order form and the CSV import. Each case is accepted by all three or refused by all three."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sellerdesk.orders.models import Order
from sellerdesk.orders.rules import MAX_AMOUNT, MAX_QUANTITY
from tests.conftest import order_body, staff

pytestmark = pytest.mark.django_db

ADDRESS = {"country": "DE", "city": "Berlin", "postal_code": "10115", "line1": "Invalidenstraße 43"}


@dataclass(frozen=True)
class Case:
    name: str
    accepted: bool
    shipping_method: str = "carrier"
    customer_name: str = "Vera Lind"
    quantity: int = 1
    unit_price: str = "12.50"
    address: dict[str, str] = field(default_factory=lambda: dict(ADDRESS))


def without(*names: str) -> dict[str, str]:
    return {k: v for k, v in ADDRESS.items() if k not in names}


CASES = [
    Case("a complete carrier order", True),
    Case("carrier without a city", False, address=without("city")),
    Case("carrier without a street", False, address=without("line1")),
    Case("local delivery without a city", False, shipping_method="local", address=without("city")),
    Case("pickup without an address", False, shipping_method="pickup", address={}),
    Case("digital without an address", True, shipping_method="digital", address={}),
    Case("the largest price", True, unit_price=str(MAX_AMOUNT)),
    Case("a price above the largest", False, unit_price=str(MAX_AMOUNT + 1)),
    Case("a price with more decimals than the currency", False, unit_price="12.345"),
    Case("the largest quantity", True, quantity=MAX_QUANTITY),
    Case("a quantity above the largest", False, quantity=MAX_QUANTITY + 1),
    Case("a blank customer name", False, customer_name="   "),
]


def via_api(seller, api_for, case: Case) -> bool:  # type: ignore[no-untyped-def]
    body = order_body(
        customer={"name": case.customer_name, "email": "vera@example.com"},
        lines=[{"sku": "MUG-01", "quantity": case.quantity, "unit_price": case.unit_price}],
        shipping_method=case.shipping_method,
        shipping_address=case.address or None,
        shipping_price="0",
    )
    resp = api_for(seller).post("/orders", body)
    assert resp.status_code in (201, 422), resp.content
    return resp.status_code == 201


def via_form(seller, api_for, case: Case) -> bool:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, "manager"))
    data: dict[str, Any] = {
        "customer_name": case.customer_name,
        "customer_email": "vera@example.com",
        "shipping_method": case.shipping_method,
        "shipping_price": "0",
        "payment_method": "bank_transfer",
        "currency": "EUR",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-sku": "MUG-01",
        "lines-0-quantity": str(case.quantity),
        "lines-0-unit_price": case.unit_price,
        **case.address,
    }
    resp = client.post("/orders/new/", data)
    assert resp.status_code in (302, 422), resp.status_code
    return resp.status_code == 302


def via_import(seller, api_for, case: Case) -> bool:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, "manager"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["order_ref", "customer_name", "email", "sku", "quantity", "unit_price", "currency"]
        + ["shipping_method", "payment_method", "country", "city", "postal_code", "line1"]
    )
    writer.writerow(
        ["R1", case.customer_name, "vera@example.com", "MUG-01", case.quantity, case.unit_price, "EUR"]
        + [case.shipping_method, "bank_transfer"]
        + [case.address.get(k, "") for k in ("country", "city", "postal_code", "line1")]
    )
    raw = out.getvalue().encode()
    resp = client.post("/orders/import/", {"file": SimpleUploadedFile("o.csv", raw, content_type="text/csv")})
    assert resp.status_code in (200, 422), resp.status_code
    before = Order.objects.filter(seller=seller).count()
    client.post("/orders/import/confirm/")
    return Order.objects.filter(seller=seller).count() > before


ENTRY_POINTS = {"api": via_api, "form": via_form, "import": via_import}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_r_in_every_entry_point_accepts_and_refuses_the_same_orders(seller, api_for, case: Case) -> None:  # type: ignore[no-untyped-def]
    seller.products.filter(sku="MUG-01").update(stock=MAX_QUANTITY * 3)
    answers = {name: enter(seller, api_for, case) for name, enter in ENTRY_POINTS.items()}
    assert answers == dict.fromkeys(ENTRY_POINTS, case.accepted)
