"""Shipping at scale in a browser: the To ship tab with the time left, printing a selection, the
tracking upload's preview and confirm, and the shipping settings (R-FUL-1, R-FUL-2, R-FUL-8)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.shipping.models import Shipment
from tests.browser.conftest import js_ready, result_numbers, screenshot
from tests.conftest import staff

pytestmark = pytest.mark.browser

WIDTHS = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("suffix", list(WIDTHS))
def test_to_ship_print_and_upload_tracking(suffix: str, shop: dict[str, Any], page_for: Any) -> None:
    seller = shop["Olga Smirnova"].seller
    page = page_for(staff(seller, "owner"), viewport=WIDTHS[suffix])

    page.goto("/orders/?view=to_ship")
    js_ready(page)
    to_ship = {shop[n].number for n in ("Olga Smirnova", "Ivan Ivanov", "Sergey Kuznetsov", "Felix Braun")}
    assert set(result_numbers(page)) == to_ship
    expect(page.locator("table[data-rows] .due-left").first).to_contain_text("left")
    screenshot(page, f"to-ship{suffix}")

    olga = shop["Olga Smirnova"].number
    page.locator(f"#sel-{olga}").check()
    bar = page.locator("[data-bulk-bar]")
    expect(bar).to_be_visible()
    bar.scroll_into_view_if_needed()
    screenshot(page, f"to-ship-selected{suffix}")
    with page.expect_popup() as popup:
        bar.get_by_role("button", name="Print packing slips").click()
    pdf = popup.value
    pdf.wait_for_load_state()
    assert pdf.url.endswith("/orders/bulk/")

    page.goto("/orders/shipments/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "tracking.csv",
                "mimeType": "text/csv",
                "buffer": f"order_number,carrier,tracking_number\n{olga},DHL,JD0001\n999999,DHL,JD2\n".encode(),
            }
        ],
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status").filter(has_text="1 order ready to ship")).to_be_visible()
    page.locator("#preview-h").scroll_into_view_if_needed()
    screenshot(page, f"shipment-import-preview{suffix}")
    page.get_by_role("button", name="Confirm 1 shipment").click()
    dialog = page.locator("dialog[open]")
    if dialog.count():
        dialog.get_by_role("button", name="Confirm").click()
    expect(page.locator("p.result-count")).to_contain_text("1 order shipped · 1 row not shipped")
    screenshot(page, f"shipment-import-report{suffix}")
    assert Shipment.objects.get(order__number=olga, seller=seller).tracking_number == "JD0001"

    page.goto("/settings/shipping/")
    page.get_by_label("Account name").fill("CDEK main")
    page.get_by_label("Client id (Account)").fill("EMscd6r9JnFiQ3bLoyjJY6eM78JrJceI")
    page.get_by_label("Client secret (Secure password)").fill("not-shown-again")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("cell", name="secret: set", exact=False).first).to_be_visible()
    assert "not-shown-again" not in page.content()
    screenshot(page, f"shipping-settings{suffix}")
    page.locator("#accounts-h").scroll_into_view_if_needed()
    screenshot(page, f"shipping-settings-accounts{suffix}")
