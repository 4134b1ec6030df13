"""The dashboard home: today's counts, and an alert that appears without a reload when an order arrives
(R-LIST-5) or when one of the user's note reminders falls due (R-PROC-4)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sellerdesk.orders import services
from tests.browser.conftest import place_order
from tests.conftest import actor

pytestmark = pytest.mark.browser


def test_a_new_order_appears_as_an_alert_without_a_reload(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    seller = shop["Anna Petrova"].seller
    from sellerdesk.dashboard.selectors import start_of_today

    start = start_of_today(seller)  # midnight in the seller's time zone
    placed_today = sum(1 for o in shop.values() if o.created_at >= start)
    page.clock.install()  # the test moves the page's clock to its next poll instead of waiting for it
    page.goto("/")
    stat = page.locator(".stat", has_text="Placed today")
    expect(stat.locator(".stat-value")).to_have_text(str(placed_today))
    log = page.get_by_role("log")
    expect(log.locator(".alert-item")).to_have_count(0)
    page.evaluate("window.__sameDocument = true")

    order = place_order(seller, "Timur Orlov", "timur@example.com", "+7 900 000-00-01", [("MUG-01", 1)])
    item = log.locator(".alert-item")
    page.clock.run_for(10_000)  # the page polls every 10 s
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"#{order.number}")
    expect(item).to_contain_text("Timur Orlov")
    expect(item.get_by_role("link", name=f"#{order.number}")).to_have_attribute(
        "href", f"/orders/{order.number}/"
    )
    assert page.evaluate("window.__sameDocument") is True  # no reload happened


def test_a_reminder_alerts_its_author_when_due_and_is_marked_done(
    shop: dict[str, Any], manager_page: Any
) -> None:
    page = manager_page
    ivan = shop["Ivan Ivanov"]
    remind_at = timezone.now() + dt.timedelta(seconds=3)
    services.note_add(
        seller_id=ivan.seller_id,
        number=ivan.number,
        actor=actor(ivan.seller, "manager"),
        text="Call Ivan about the delivery window.",
        remind_at=remind_at,
    )
    page.clock.install()  # the test moves the page's clock to its next poll instead of waiting for it
    page.goto("/")
    expect(page.get_by_role("heading", name="Your reminders")).to_have_count(0)  # not due yet
    alert = page.get_by_role("log").locator(".alert-reminder")
    while timezone.now() <= remind_at:  # the server's clock: the reminder falls due
        time.sleep(0.1)
    page.clock.run_for(10_000)  # then the next poll (every 10 s) brings it
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Call Ivan about the delivery window.")
    expect(alert.get_by_role("link", name=f"#{ivan.number}")).to_have_attribute(
        "href", f"/orders/{ivan.number}/"
    )

    page.reload()
    card = page.get_by_role("region", name="Your reminders")
    expect(card).to_contain_text("Call Ivan about the delivery window.")
    card.get_by_role("button", name=f"Done — reminder on order #{ivan.number}").click()
    expect(page.locator("#messages")).to_contain_text(f"Reminder on order {ivan.number} marked done.")
    expect(page.get_by_role("heading", name="Your reminders")).to_have_count(0)
