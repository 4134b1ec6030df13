"""Stock through the API: reservation, deduction, release, and editing (R-INV-1..3)."""

from __future__ import annotations

import pytest

from tests.conftest import order_body, table_counts

from .conftest import assert_problem, placed, stock_of


def test_r_inv_1_placement_reserves(api):
    assert stock_of(api, "MUG-01") == (100, 0)
    placed(api, lines=[{"sku": "MUG-01", "quantity": 3}, {"sku": "MUG-01", "quantity": 2}])
    assert stock_of(api, "MUG-01") == (100, 5)
    assert api.get("/products/MUG-01").json()["available"] == 95


def test_r_inv_1_more_than_available_is_409_and_writes_nothing(api):
    placed(api, lines=[{"sku": "BOWL-01", "quantity": 45}])
    before = table_counts()
    resp = api.post(
        "/orders",
        order_body(lines=[{"sku": "MUG-01", "quantity": 1}, {"sku": "BOWL-01", "quantity": 6}]),
    )
    body = assert_problem(resp, 409, "out_of_stock")
    assert body["lines"] == [{"sku": "BOWL-01", "requested": 6, "available": 5}]
    assert table_counts() == before
    assert stock_of(api, "MUG-01") == (100, 0)
    assert stock_of(api, "BOWL-01") == (50, 45)
    # exactly what is left can still be ordered
    placed(api, lines=[{"sku": "BOWL-01", "quantity": 5}])
    assert stock_of(api, "BOWL-01") == (50, 50)


def test_r_inv_2_process_deducts_the_reservation(api):
    number = placed(api, lines=[{"sku": "MUG-01", "quantity": 4}])["number"]
    assert api.post(f"/orders/{number}/confirm").status_code == 200
    assert stock_of(api, "MUG-01") == (100, 4)
    assert api.post(f"/orders/{number}/process").status_code == 200
    assert stock_of(api, "MUG-01") == (96, 0)


def test_r_inv_2_cancel_before_processing_releases(api):
    number = placed(api, lines=[{"sku": "MUG-01", "quantity": 4}])["number"]
    assert api.post(f"/orders/{number}/confirm").status_code == 200
    assert api.post(f"/orders/{number}/cancel", {"reason": "customer_request"}).status_code == 200
    assert stock_of(api, "MUG-01") == (100, 0)


def test_r_inv_2_cancel_after_processing_puts_stock_back(api):
    number = placed(api, lines=[{"sku": "MUG-01", "quantity": 4}])["number"]
    api.post(f"/orders/{number}/confirm")
    api.post(f"/orders/{number}/process")
    assert stock_of(api, "MUG-01") == (96, 0)
    assert api.post(f"/orders/{number}/cancel", {"reason": "out_of_stock"}).status_code == 200
    assert stock_of(api, "MUG-01") == (100, 0)


def test_r_inv_2_refused_second_cancel_moves_no_stock(api):
    number = placed(api, lines=[{"sku": "MUG-01", "quantity": 4}])["number"]
    api.post(f"/orders/{number}/cancel", {"reason": "customer_request"})
    assert_problem(api.post(f"/orders/{number}/cancel", {"reason": "customer_request"}), 409)
    assert stock_of(api, "MUG-01") == (100, 0)


def test_r_inv_3_list_products_fields(api):
    resp = api.get("/products")
    assert resp.status_code == 200
    items = resp.json()
    assert [p["sku"] for p in items] == ["BOWL-01", "EBOOK-01", "MUG-01"]
    mug = next(p for p in items if p["sku"] == "MUG-01")
    assert mug == {
        "sku": "MUG-01",
        "name": "Mug-01",
        "price": "12.50",
        "currency": "EUR",
        "stock": 100,
        "reserved": 0,
        "available": 100,
    }
    assert [p["sku"] for p in api.get("/products", q="bowl").json()] == ["BOWL-01"]


def test_r_inv_3_patch_stock(admin_api):
    resp = admin_api.patch("/products/MUG-01", {"stock": 40})
    assert resp.status_code == 200, resp.content
    assert resp.json()["stock"] == 40
    assert stock_of(admin_api, "MUG-01") == (40, 0)


def test_r_inv_3_stock_below_reserved_is_409(admin_api, api):
    placed(api, lines=[{"sku": "MUG-01", "quantity": 30}])
    body = assert_problem(admin_api.patch("/products/MUG-01", {"stock": 29}), 409, "stock_below_reserved")
    assert body["reserved"] == 30
    assert stock_of(admin_api, "MUG-01") == (100, 30)
    assert admin_api.patch("/products/MUG-01", {"stock": 30}).status_code == 200


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_r_inv_3_stock_write_needs_owner_or_admin(seller, api_for, role):
    client = api_for(seller, role)
    assert client.get("/products").status_code == 200
    assert_problem(client.patch("/products/MUG-01", {"stock": 40}), 403, "forbidden")
    assert stock_of(client, "MUG-01") == (100, 0)


def test_r_inv_3_products_of_another_seller_are_invisible(api, other_seller, api_for):
    other_admin = api_for(other_seller, "owner")
    assert other_admin.patch("/products/MUG-01", {"stock": 7}).status_code == 200
    assert stock_of(api, "MUG-01") == (100, 0)
    assert stock_of(other_admin, "MUG-01") == (7, 0)


def test_r_inv_3_nul_in_product_search_is_422(api):
    assert_problem(api.get("/products", q="M\x00G"), 422)
