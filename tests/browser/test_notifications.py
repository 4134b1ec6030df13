"""Notifications in the browser (R-NOTE-1, R-NOTE-3): the bell updates by itself, the settings page
saves, the order's delivery log resends a failed message; pictures at 1440 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import expect

from sellerdesk.notifications import deliveries
from sellerdesk.notifications.models import Delivery, DeliveryStatus, StaffSettings
from tests.browser.conftest import axe_violations, describe, screenshot
from tests.browser.test_layout import OVERFLOW_JS
from tests.conftest import staff

pytestmark = pytest.mark.browser

WIDTHS = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


def _alert(user: Any, order: Any, title: str) -> None:
    with transaction.atomic():
        d = deliveries.queue(
            key=f"shot:{title}",
            channel="inapp",
            to=str(user.pk),
            subject=title,
            body="",
            seller_id=user.seller_id,
            order_id=order.pk,
            user_id=user.pk,
            kind="new_order",
        )
    assert d is not None
    deliveries.send(d.pk)


def _log(order: Any, owner: Any) -> None:
    """A delivery log with one of each outcome."""
    rows = [
        ("email", owner.email, DeliveryStatus.SENT, f"New order #{order.number}"),
        ("inapp", str(owner.pk), DeliveryStatus.SENT, f"New order #{order.number}"),
        ("sms", "+4915112345678", DeliveryStatus.FAILED, f"New order #{order.number}"),
        ("email", "manager@north.test", DeliveryStatus.SENDING, f"Order #{order.number} is assigned to you"),
    ]
    for i, (channel, to, status, subject) in enumerate(rows):
        with transaction.atomic():
            d = deliveries.queue(
                key=f"log:{i}",
                channel=channel,
                to=to,
                subject=subject,
                body="…",
                seller_id=order.seller_id,
                order_id=order.pk,
                user_id=owner.pk,
                kind="new_order",
            )
        assert d is not None
        attempts = 5 if status == DeliveryStatus.FAILED else 1
        Delivery.objects.filter(pk=d.pk).update(
            status=status, attempts=attempts, claimed_at=d.created_at.replace(year=2000)
        )


def _no_overflow(page: Any, what: str) -> None:
    found = page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["innerWidth"], f"{what}: {found['wide']}"


@pytest.mark.parametrize("suffix", list(WIDTHS))
def test_bell_settings_and_delivery_log(suffix: str, shop: dict[str, Any], page_for: Any) -> None:
    order = shop["Olga Smirnova"]
    owner = staff(order.seller, "owner")
    _alert(owner, order, f"New order #{order.number}")
    _alert(owner, shop["Anna Petrova"], f"New order #{shop['Anna Petrova'].number}")
    _log(order, owner)
    page = page_for(owner, viewport=WIDTHS[suffix])

    page.goto("/notifications/")
    expect(page.locator("#bell .bell-count")).to_have_text("2")
    _no_overflow(page, "alerts")
    assert not (v := axe_violations(page)), describe(v)
    screenshot(page, f"notify-alerts{suffix}")

    page.goto("/settings/notifications/")
    expect(page.locator("#id_new_order-email")).to_be_checked()
    _no_overflow(page, "settings")
    assert not (v := axe_violations(page)), describe(v)
    screenshot(page, f"notify-settings{suffix}")
    page.locator("#id_new_order-email").uncheck()
    page.locator("#id_phone").fill("+49 151 12345678")
    page.locator("#id_assigned-sms").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Notification settings saved.")).to_be_visible()
    s = StaffSettings.objects.get(user=owner)
    assert "email" not in s.channels["new_order"] and "sms" in s.channels["assigned"]
    assert s.phone == "+4915112345678"

    page.goto(f"/orders/{order.number}/")
    log = page.locator("#deliveries")
    log.scroll_into_view_if_needed()
    expect(log.get_by_text("Unknown outcome")).to_be_visible()
    _no_overflow(page, "order page")
    assert not (v := axe_violations(page, "#deliveries")), describe(v)
    screenshot(page, f"notify-delivery-log{suffix}")
    resend = log.get_by_role("button", name="Resend")
    expect(resend).to_have_count(2)  # the failed SMS and the e-mail of unknown outcome
    resend.first.click()
    expect(page.get_by_text("The message was queued again.")).to_be_visible()
    assert Delivery.objects.filter(resent_from__isnull=False).count() == 1


def test_the_bell_counts_a_new_alert_without_a_reload(shop: dict[str, Any], page_for: Any) -> None:
    order = shop["Olga Smirnova"]
    manager = staff(order.seller, "manager")
    page = page_for(manager)
    page.clock.install()  # the test moves the page's clock to its next poll instead of waiting for it
    page.goto("/")
    expect(page.locator("#bell .bell-count")).to_have_count(0)
    _alert(manager, order, "Order assigned to you")
    page.clock.run_for(15_000)  # the bell polls every 15 s
    expect(page.locator("#bell .bell-count")).to_have_text("1")
    page.locator("#bell").click()
    expect(page.get_by_text("Order assigned to you")).to_be_visible()
