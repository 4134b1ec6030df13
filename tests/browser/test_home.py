"""The dashboard home: today's counts, and an alert that appears without a reload when an order arrives
(R-LIST-5)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import place_order

pytestmark = pytest.mark.browser


def test_a_new_order_appears_as_an_alert_without_a_reload(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    seller = shop["Anna Petrova"].seller
    from sellerdesk.dashboard.selectors import start_of_today

    start = start_of_today(seller)  # midnight in the seller's time zone
    placed_today = sum(1 for o in shop.values() if o.created_at >= start)
    page.goto("/")
    stat = page.locator(".stat", has_text="Placed today")
    expect(stat.locator(".stat-value")).to_have_text(str(placed_today))
    log = page.get_by_role("log")
    expect(log.locator(".alert-item")).to_have_count(0)
    page.evaluate("window.__sameDocument = true")

    order = place_order(seller, "Timur Orlov", "timur@example.com", "+7 900 000-00-01", [("MUG-01", 1)])
    item = log.locator(".alert-item")
    expect(item).to_have_count(1, timeout=20_000)  # the page polls every 10 s
    expect(item).to_contain_text(f"#{order.number}")
    expect(item).to_contain_text("Timur Orlov")
    expect(item.get_by_role("link", name=f"#{order.number}")).to_have_attribute(
        "href", f"/orders/{order.number}/"
    )
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
