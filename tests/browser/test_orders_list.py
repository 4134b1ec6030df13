"""The orders list in a browser: search, power syntax, filters in the URL, saved views, keyboard, bulk, export
(R-LIST-1..4, R-LIST-6, R-LIST-7)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.orders.models import Order
from tests.browser.conftest import js_ready, result_numbers
from tests.conftest import staff

pytestmark = pytest.mark.browser


def count_text(page: Any) -> Any:
    return page.locator("#result-count")


def search(page: Any, text: str) -> None:
    box = page.get_by_role("searchbox", name="Search")
    box.fill(text)
    box.press("Enter")


def test_find_an_order_by_a_phone_typed_differently(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    anna = shop["Anna Petrova"]
    assert anna.customer_phone == "+7 912 345-67-89"
    page.goto("/orders/")
    expect(count_text(page)).to_contain_text(f"{len(shop)} orders")

    search(page, "8 (912) 345 67 89")
    expect(count_text(page)).to_contain_text("1 order")
    assert result_numbers(page) == [anna.number]
    expect(page).to_have_url(re.compile(r"q=8"))  # the filter lives in the URL

    search(page, "9123456789")
    expect(count_text(page)).to_contain_text("1 order")
    assert result_numbers(page) == [anna.number]


def test_power_search_syntax(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/")
    search(page, "status:confirmed payment:unpaid total:>50")
    expect(count_text(page)).to_contain_text("1 order")
    assert result_numbers(page) == [shop["Felix Braun"].number]

    search(page, "sku:BOWL-01 status:confirmed")
    expect(count_text(page)).to_contain_text("2 orders")
    assert sorted(result_numbers(page)) == sorted([shop["Ivan Ivanov"].number, shop["Olga Smirnova"].number])

    search(page, "status:confirmed ivan")  # plain words still search names, e-mails, phones, numbers
    expect(count_text(page)).to_contain_text("1 order")
    assert result_numbers(page) == [shop["Ivan Ivanov"].number]


def test_filter_by_status_and_total_range(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/")
    page.get_by_text("Advanced search").click()
    page.locator("#f-status").get_by_label("Confirmed").check()
    page.locator("#f-status").get_by_label("Processing").check()
    page.get_by_label("Total from").fill("20")
    page.get_by_label("Total to").fill("80")
    page.get_by_role("button", name="Apply filters").click()

    expected = [shop[n].number for n in ["Ivan Ivanov", "Olga Smirnova", "Felix Braun"]]  # newest first
    expect(count_text(page)).to_contain_text("3 orders")
    assert result_numbers(page) == expected
    for row in page.locator("table[data-rows] tr[data-row]").all():
        expect(row.locator('[data-axis="status"]')).to_contain_text("Confirmed")  # a badge with text

    url = page.url
    assert "total_min=20" in url and "confirmed" in url
    page.goto(url)  # bookmarked: the same rows
    assert result_numbers(page) == expected

    page.get_by_label("Total to").fill("abc")
    page.get_by_label("Total to").press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(1)


def test_save_a_view_and_reopen_its_url_in_a_fresh_context(
    shop: dict[str, Any], manager_page: Any, page_for: Any
) -> None:
    page = manager_page
    page.goto("/orders/")
    search(page, "status:confirmed")
    expect(count_text(page)).to_contain_text("3 orders")
    rows = result_numbers(page)

    page.get_by_role("button", name="Save view").click()
    dialog = page.get_by_role("dialog", name="Save this view")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name").fill("Confirmed ones")
    dialog.get_by_label("Share with my team").check()
    dialog.get_by_role("button", name="Save view").click()
    tab = page.get_by_role("navigation", name="Order views").get_by_role(
        "link", name=re.compile("Confirmed ones")
    )
    expect(tab).to_have_attribute("aria-current", "page")
    assert result_numbers(page) == rows
    view_url = tab.get_attribute("href")
    assert view_url and re.search(r"/views/\d+/$", view_url)

    # Changing the filter of a saved view shows "unsaved changes".
    search(page, "status:confirmed ivan")
    expect(page.locator("[data-unsaved]")).to_contain_text("Unsaved changes")

    for user in [staff(shop["Anna Petrova"].seller, "manager"), staff(shop["Anna Petrova"].seller, "owner")]:
        fresh = page_for(user)
        fresh.goto(view_url)
        expect(count_text(fresh)).to_contain_text("3 orders")
        assert result_numbers(fresh) == rows


def test_open_an_order_with_the_keyboard_only(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/")
    js_ready(page)
    numbers = result_numbers(page)
    for key in ["j", "j", "j", "k"]:
        page.keyboard.press(key)
    current = page.locator("tr[data-row].is-current")
    expect(current).to_have_attribute("data-number", str(numbers[1]))
    expect(current).to_be_focused()
    page.keyboard.press("x")
    expect(current.locator("input[data-row-check]")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/orders/{numbers[1]}/$"))
    js_ready(page)  # the URL changes before the new page's script listens for keys
    page.keyboard.press("g")
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/orders/$"))
    js_ready(page)
    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Search")
    expect(box).to_be_focused()
    page.keyboard.type("Smirnova")  # no shortcut fires while typing ("k", "o", "v", "a" …)
    expect(box).to_have_value("Smirnova")
    page.keyboard.press("Enter")
    expect(count_text(page)).to_contain_text("1 order")
    js_ready(page)
    page.keyboard.press("Escape")  # leave the field, keeping the text; j and k work again
    expect(box).not_to_be_focused()
    expect(box).to_have_value("Smirnova")
    page.keyboard.press("j")
    expect(page.locator("tr[data-row].is-current")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/orders/{shop['Olga Smirnova'].number}/$"))
    js_ready(page)

    page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_visible()
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()


def test_bulk_confirm_all_matching_reports_the_refused_order(
    shop: dict[str, Any], manager_page: Any, monkeypatch: Any
) -> None:
    from sellerdesk.dashboard.views import orders_list

    monkeypatch.setattr(orders_list, "PAGE_SIZE", 3)  # so that "all matching" spans two pages
    page = manager_page
    page.goto("/orders/?status=pending,cancelled")
    pending = [shop[n] for n in ["Anna Petrova", "Jonas Weber", "Klara Fischer"]]
    cancelled = shop["Maria Popova"]
    expect(count_text(page)).to_contain_text("4 orders")
    expect(page.locator("tr[data-row]")).to_have_count(3)

    page.locator("input[data-select-all]").check()
    page.get_by_role("button", name="Select all 4 matching").click()
    expect(page.locator("[data-bulk-bar] [data-selected-count]")).to_have_text("4")
    page.locator("[data-bulk-bar]").get_by_role("button", name="Confirm").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Confirm 4 orders?")
    dialog.locator("[data-confirm-ok]").click()

    expect(page.locator(".result-count")).to_contain_text("3 orders done")
    expect(page.locator(".result-count")).to_contain_text("1 refused")
    refused = page.locator("section", has=page.get_by_role("heading", name=re.compile("Refused")))
    link = refused.get_by_role("link", name=f"#{cancelled.number}")
    expect(link).to_have_attribute("href", f"/orders/{cancelled.number}/")
    expect(refused).to_contain_text("cancel")
    for o in pending:
        o.refresh_from_db()
        assert o.status == "confirmed"
    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"


def test_export_csv_has_the_rows_of_the_list(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/?status=confirmed,processing&sort=total")
    shown = result_numbers(page)
    assert len(shown) == 4
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    # the page says what happened, with the count (R-LIST-7: a large export tells the user)
    expect(page.locator("#export-status")).to_contain_text("CSV export of 4 orders is downloading")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["number"]) for r in rows] == shown
    by_number = {
        o.number: o for o in Order.objects.filter(number__in=shown, seller=shop["Anna Petrova"].seller)
    }
    for r in rows:
        assert r["customer_name"] == by_number[int(r["number"])].customer_name


def test_export_xlsx_tells_when_the_file_is_ready(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/?status=pending")
    js_ready(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Export XLSX").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    status = page.locator("#export-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("The XLSX file of 3 orders is ready")
