"""More of a day's work in the browser: cancel with a reason, CSV import with a preview, stock per SKU
(R-PROC-1, R-IN-4, R-INV-3)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.catalog.models import Product
from sellerdesk.orders.models import Order
from tests.conftest import staff

pytestmark = pytest.mark.browser

CSV = (
    "order_ref,customer_name,email,phone,sku,quantity,unit_price,currency,shipping_method,payment_method,"
    "country,region,city,postal_code,line1,created_at\n"
    "A1,Zoe Becker,zoe@example.de,,MUG-01,2,12.50,EUR,carrier,bank_transfer,DE,,Berlin,10115,Invalidenstraße 43,\n"
    "A1,Zoe Becker,zoe@example.de,,BOWL-01,1,,EUR,carrier,bank_transfer,DE,,Berlin,10115,Invalidenstraße 43,\n"
    "B1,Vera Koch,vera@example.de,,NOPE-9,1,1,EUR,carrier,online,DE,,Berlin,10115,Street 1,\n"
)


def test_cancel_with_a_reason_after_confirmation(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    order = shop["Klara Fischer"]
    page.goto(f"/orders/{order.number}/")
    page.get_by_text("Cancel order…").click()
    form = page.locator("details.cancel-menu form")
    form.get_by_label("Reason").select_option("out_of_stock")
    form.get_by_role("button", name="Cancel order").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text(f"Cancel order {order.number}?")
    dialog.locator("[data-confirm-ok]").click()
    expect(page.locator('.order-badges [data-axis="status"]')).to_contain_text("Cancelled")
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == ("cancelled", "out_of_stock")
    expect(page.locator("main [data-action]")).to_have_count(0)  # nothing more to do with it


def test_import_shows_a_preview_and_writes_only_after_confirmation(seller: Any, page_for: Any) -> None:
    page = page_for(staff(seller, "manager"))
    page.goto("/orders/import/")
    page.get_by_label("CSV file").set_input_files(
        {"name": "orders.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    status = page.locator(".result-count")
    expect(status).to_contain_text("1 order ready to import")
    expect(status).to_contain_text("1 row rejected")
    rejected = page.locator("tr.row-rejected")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("NOPE-9")
    assert not Order.objects.filter(seller=seller).exists()  # a preview writes nothing

    page.get_by_role("button", name="Import 1 order").click()
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    expect(page.locator(".result-count")).to_contain_text("1 order placed.")
    imported = Order.objects.get(seller=seller)
    assert imported.customer_name == "Zoe Becker" and imported.lines.count() == 2
    expect(page.get_by_role("link", name=f"order {imported.number}")).to_have_count(2)


def test_stock_per_sku_is_visible_and_editable(shop: dict[str, Any], page_for: Any) -> None:
    seller = shop["Anna Petrova"].seller
    page = page_for(staff(seller, "administrator"))
    mug = Product.objects.get(seller=seller, sku="MUG-01")
    before = mug.stock
    page.goto("/stock/")
    row = page.locator(f"#stock-{mug.pk}")
    expect(row.locator('[data-col="reserved"]')).to_have_text(str(mug.reserved))
    box = row.get_by_label("Stock on hand of MUG-01")
    box.fill("-3")
    row.get_by_role("button", name="Save MUG-01").click()
    row = page.locator(f"#stock-{mug.pk}")
    expect(row.locator(".error-text")).to_be_visible()  # a form error, nothing written
    mug.refresh_from_db()
    assert mug.stock == before

    row.get_by_label("Stock on hand of MUG-01").fill("250")
    row.get_by_role("button", name="Save MUG-01").click()
    expect(page.locator(f"#stock-{mug.pk} [data-col='stock']")).to_have_text("250")
    expect(page.locator(f"#stock-{mug.pk}").get_by_role("status")).to_have_text("Saved")
    mug.refresh_from_db()
    assert mug.stock == 250

    viewer = page_for(staff(seller, "viewer"))
    viewer.goto("/stock/")
    expect(viewer.locator(f"#stock-{mug.pk} [data-col='stock']")).to_have_text("250")
    expect(viewer.locator("main input[type=number], main form.stock-form")).to_have_count(0)


def test_order_on_a_customers_behalf_finding_customer_and_product_as_you_type(
    shop: dict[str, Any], manager_page: Any
) -> None:
    page = manager_page
    anna = shop["Anna Petrova"]
    page.goto("/orders/new/")
    page.get_by_label("Find an existing customer").press_sequentially("Petr", delay=30)
    page.get_by_role("button", name="Choose Anna Petrova").click()
    expect(page.locator("#customer-fieldset .chosen")).to_contain_text("Anna Petrova")

    sku = page.get_by_label("SKU (line 1)")
    sku.press_sequentially("bowl", delay=30)
    expect(page.locator('#product-options option[value="BOWL-01"]')).to_have_count(1)  # suggestions
    sku.fill("BOWL-01")
    page.get_by_label("Quantity (line 1)").fill("2")
    page.get_by_label("Shipping method").select_option("carrier")
    page.get_by_label("Payment method").select_option("bank_transfer")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Country (ISO code)").fill("DE")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("10115")
    page.get_by_label("Street address").fill("Invalidenstraße 43")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Order ", level=1)).to_be_visible()
    placed = Order.objects.filter(seller=anna.seller).order_by("-number").first()
    assert placed is not None and placed.number not in {o.number for o in shop.values()}
    assert placed.customer_id == anna.customer_id and placed.source == "staff"
    expect(page.get_by_role("heading", name=f"Order {placed.number}", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Bowl-01")


def test_place_a_test_order(seller: Any, page_for: Any) -> None:
    page = page_for(staff(seller, "manager"))
    page.goto("/orders/new/")
    page.get_by_role("button", name="Place test order").click()
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    expect(page.locator("#messages")).to_contain_text("Test order")  # the POST has been answered
    test_order = Order.objects.get(seller=seller)
    assert test_order.is_test
    expect(page.locator("#messages")).to_contain_text(f"Test order {test_order.number} placed.")
    page.goto("/orders/")
    expect(page.locator(f'tr[data-number="{test_order.number}"] .badge-test')).to_have_text("Test")
