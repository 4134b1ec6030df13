"""Orders placed by staff on a customer's behalf (R-IN-2) and test orders (R-IN-3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sellerdesk.orders.models import Order
from tests.conftest import place, staff, table_counts

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def client_for(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def form(**over: Any) -> dict[str, Any]:
    data = {
        "customer_name": "Vera Lind",
        "customer_email": "vera@example.com",
        "customer_phone": "+49 30 1234567",
        "shipping_method": "carrier",
        "shipping_price": "3.50",
        "payment_method": "bank_transfer",
        "currency": "EUR",
        "country": "DE",
        "city": "Berlin",
        "postal_code": "10115",
        "line1": "Invalidenstraße 43",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-sku": "MUG-01",
        "lines-0-quantity": "2",
        "lines-0-unit_price": "",
        "lines-1-sku": "BOWL-01",
        "lines-1-quantity": "1",
        "lines-1-unit_price": "20.00",
        "lines-2-sku": "",
        "lines-2-quantity": "",
        "lines-2-unit_price": "",
    }
    data.update(over)
    return data


def test_form_renders_with_the_sellers_defaults(seller) -> None:  # type: ignore[no-untyped-def]
    res = client_for(seller).get("/orders/new/")
    assert res.status_code == 200
    html = res.content.decode()
    assert 'name="currency"' in html and 'value="RUB"' in html
    assert 'list="product-options"' in html and "Place test order" in html


def test_staff_places_an_order_on_behalf_of_a_customer(seller) -> None:  # type: ignore[no-untyped-def]
    res = client_for(seller).post("/orders/new/", form())
    assert res.status_code == 302
    order = Order.objects.get(seller=seller)
    assert res["Location"] == f"/orders/{order.number}/"
    assert order.source == "staff" and order.status == "pending" and not order.is_test
    assert order.customer_name == "Vera Lind"
    assert [(line.sku, line.quantity, str(line.unit_price)) for line in order.lines.all()] == [
        ("MUG-01", 2, "12.5000"),
        ("BOWL-01", 1, "20.0000"),
    ]
    assert str(order.total) == "48.5000"


def test_an_existing_customer_chosen_in_the_finder(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    known = place(seller, name="Anna Petrova", email="anna@example.com")
    place(other_seller, name="Anna Hidden", email="hidden@example.com")
    client = client_for(seller)
    found = client.get("/orders/new/customers/?customer_q=anna", headers=HX).content.decode()
    assert "Anna Petrova" in found and "Anna Hidden" not in found
    picked = client.get(f"/orders/new/customers/?pick={known.customer_id}", headers=HX).content.decode()
    assert f'name="customer_id" value="{known.customer_id}"' in picked
    res = client.post(
        "/orders/new/", form(customer_id=str(known.customer_id), customer_name="", customer_email="")
    )
    assert res.status_code == 302
    assert Order.objects.filter(seller=seller, source="staff").get().customer_id == known.customer_id


def test_product_finder_shows_available_stock(seller) -> None:  # type: ignore[no-untyped-def]
    place(seller)  # reserves 2 mugs of 100
    html = client_for(seller).get("/orders/new/products/?lines-0-sku=mug").content.decode()
    assert 'value="MUG-01"' in html and "98 available" in html
    assert "BOWL-01" not in html


@pytest.mark.parametrize(
    ("over", "field_id"),
    [
        (
            {
                "lines-0-sku": "",
                "lines-1-sku": "",
                "lines-0-quantity": "",
                "lines-1-quantity": "",
                "lines-1-unit_price": "",
            },
            "",
        ),
        ({"lines-0-quantity": "0"}, "id_lines-0-quantity"),
        ({"lines-0-quantity": "abc"}, "id_lines-0-quantity"),
        ({"lines-0-sku": "NOPE-1"}, "id_lines-0-sku"),
        ({"lines-0-quantity": "500"}, "id_lines-0-quantity"),  # more than the stock
        ({"customer_name": "", "customer_email": ""}, "id_customer_name"),
        ({"customer_email": "not-an-email"}, "id_customer_email"),
        ({"currency": "XXQ"}, "id_currency"),
        ({"line1": ""}, "id_line1"),
        ({"shipping_price": "-1"}, "id_shipping_price"),
        ({"payment_method": "barter"}, "id_payment_method"),
        ({"lines-TOTAL_FORMS": "x"}, ""),
        ({"currency": "USD"}, "id_lines-0-unit_price"),  # MUG-01 is priced in EUR and has no unit price
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(seller, over: dict[str, str], field_id: str) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    res = client_for(seller).post("/orders/new/", form(**over))
    assert res.status_code == 422
    html = res.content.decode()
    assert "error-summary" in html
    if field_id:
        assert f'href="#{field_id}"' in html
    assert table_counts() == before


def test_an_unknown_chosen_customer_is_404_and_writes_nothing(seller) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    res = client_for(seller).post("/orders/new/", form(customer_id="999999", customer_name=""))
    assert res.status_code == 404
    assert table_counts() == before


def test_viewer_may_not_place_orders(seller) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller, "viewer")
    assert client.get("/orders/new/").status_code == 403
    assert client.post("/orders/new/", form()).status_code == 403
    assert client.post("/orders/test/").status_code == 403
    assert not Order.objects.exists()


def test_test_orders_until_the_first_real_order(seller) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller)
    for _ in range(2):
        res = client.post("/orders/test/")
        assert res.status_code == 302
    assert Order.objects.filter(seller=seller, is_test=True).count() == 2
    page = client.get(res["Location"]).content.decode()
    assert "badge-test" in page
    place(seller)  # a real order arrives
    res = client.post("/orders/test/", follow=True)
    assert "No test order placed" in res.content.decode()
    assert Order.objects.filter(seller=seller, is_test=True).count() == 2
