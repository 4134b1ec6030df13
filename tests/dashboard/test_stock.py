"""Stock per SKU in the dashboard (R-INV-3)."""

from __future__ import annotations

import pytest
from django.test import Client

from sellerdesk.catalog.models import Product
from sellerdesk.orders import services
from tests.conftest import place, staff

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def client_for(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def mug(seller) -> Product:  # type: ignore[no-untyped-def]
    return Product.objects.get(seller=seller, sku="MUG-01")


def test_stock_list_shows_on_hand_reserved_available(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    place(seller, lines=[services.LineIn(sku="MUG-01", quantity=7)])
    Product.objects.create(
        seller=other_seller, sku="SECRET-1", name="Theirs", price=1, currency="EUR", stock=5
    )
    html = client_for(seller, "viewer").get("/stock/").content.decode()
    assert "MUG-01" in html and "SECRET-1" not in html
    mug_row = html[html.index(f'id="stock-{mug(seller).pk}"') :].split("</tr>", 1)[0]
    assert 'data-col="stock">100<' in mug_row
    assert 'data-col="reserved">7<' in mug_row
    assert 'data-col="available">93<' in mug_row
    assert "<form" not in mug_row  # a viewer edits nothing


def test_search_filters_products(seller) -> None:  # type: ignore[no-untyped-def]
    html = client_for(seller).get("/stock/?q=bowl").content.decode()
    assert "BOWL-01" in html and "MUG-01" not in html


def test_admin_sets_stock_inline(seller) -> None:  # type: ignore[no-untyped-def]
    pk = mug(seller).pk
    client = client_for(seller, "administrator")
    res = client.post("/stock/MUG-01/", {f"s-{pk}-stock": "40"}, headers=HX)
    assert res.status_code == 200
    html = res.content.decode()
    assert html.startswith(f'<tr id="stock-{pk}"') and 'data-col="stock">40<' in html
    assert mug(seller).stock == 40
    res = client.post("/stock/MUG-01/", {f"s-{pk}-stock": "41"})
    assert res.status_code == 302 and mug(seller).stock == 41


def test_stock_below_reserved_is_an_inline_error(seller) -> None:  # type: ignore[no-untyped-def]
    place(seller, lines=[services.LineIn(sku="MUG-01", quantity=7)])
    pk = mug(seller).pk
    client = client_for(seller, "owner")
    res = client.post("/stock/MUG-01/", {f"s-{pk}-stock": "3"}, headers=HX)
    assert res.status_code == 200 and "reserved by open orders" in res.content.decode()
    res = client.post("/stock/MUG-01/", {f"s-{pk}-stock": "3"})
    assert res.status_code == 422 and "error-summary" in res.content.decode()
    assert mug(seller).stock == 100


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.5", "99999999999"])
def test_bad_stock_value_is_a_form_error(seller, value: str) -> None:  # type: ignore[no-untyped-def]
    pk = mug(seller).pk
    res = client_for(seller, "owner").post("/stock/MUG-01/", {f"s-{pk}-stock": value})
    assert res.status_code == 422
    assert mug(seller).stock == 100


def test_roles_without_stock_write_get_403(seller) -> None:  # type: ignore[no-untyped-def]
    pk = mug(seller).pk
    for role in ("manager", "viewer"):
        assert client_for(seller, role).post("/stock/MUG-01/", {f"s-{pk}-stock": "1"}).status_code == 403
    assert mug(seller).stock == 100


def test_another_sellers_sku_is_404(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    Product.objects.create(seller=other_seller, sku="THEIRS-1", name="T", price=1, currency="EUR", stock=5)
    res = client_for(seller, "owner").post("/stock/THEIRS-1/", {"s-1-stock": "0"})
    assert res.status_code == 404
    assert Product.objects.get(sku="THEIRS-1").stock == 5
