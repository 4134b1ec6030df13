"""The metrics page (R-SLA-5) at 1440 px and 390 px: cards, charts, no serious axe violations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sellerdesk.accounts.models import Seller
from sellerdesk.metrics.definitions import METRICS
from sellerdesk.orders.models import Order
from sellerdesk.shipping.models import Shipment, TrackingEvent
from tests.browser.conftest import axe_violations, describe, screenshot
from tests.conftest import place, staff

pytestmark = pytest.mark.browser

WIDTHS = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


def thirteen_weeks(seller: Seller) -> None:
    """Two orders a week for 13 weeks, getting slower to confirm and ship; timestamps written
    directly because the writers stamp "now"."""
    now = timezone.now()
    h = dt.timedelta(hours=1)
    for week in range(13):
        for k in range(2):
            placed = now - dt.timedelta(days=7 * week + 2 + k)
            slow = 13 - week
            o = place(seller)
            late = k == 1 and week % 4 == 0
            Order.objects.filter(pk=o.pk).update(
                created_at=placed,
                confirmed_at=placed + (4 + 2 * slow) * h,
                shipped_at=placed + (20 + 3 * slow + (40 if late else 0)) * h,
                ship_by=placed + 48 * h,
            )
            s = Shipment.objects.create(
                order=o, seller=seller, number=1, kind="carrier", currency="EUR", created_at=placed,
                tracking_number=f"T{week}{k}", status="delivered", handed_over_at=placed + 20 * h,
                expected_delivery=(placed + 96 * h).date(), delivered_at=placed + (70 + 5 * slow) * h,
            )  # fmt: skip
            if week % 5:
                TrackingEvent.objects.create(
                    shipment=s, raw_code="X", status="in_transit", occurred_at=placed
                )


@pytest.mark.parametrize("suffix", list(WIDTHS))
def test_metrics_page(suffix: str, seller: Seller, page_for: Any) -> None:
    thirteen_weeks(seller)
    page = page_for(staff(seller, "owner"), viewport=WIDTHS[suffix])
    page.goto("/metrics/")
    expect(page.get_by_role("heading", name="Metrics", level=1)).to_be_visible()
    for d in METRICS.values():
        expect(page.get_by_role("heading", name=str(d.label), level=2)).to_be_visible()
    expect(page.get_by_role("img", name="Average time to confirm, weekly")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, f"metrics{suffix}")
    page.screenshot(path=str(screenshot(page, f"metrics-full{suffix}")), full_page=True)
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # The owner loosens the late shipment limit from the card itself.
    card = page.locator("section", has=page.locator("#m-late_shipment_rate"))
    card.get_by_text("Change the limit").click()
    card.get_by_role("spinbutton", name="Limit, %").fill("99")
    card.get_by_role("spinbutton", name="Warning from, %").fill("95")
    screenshot(page, f"metrics-limit{suffix}")
    card.get_by_role("button", name="Save").click()
    card = page.locator("section", has=page.locator("#m-late_shipment_rate"))
    expect(card).to_contain_text("at most 99.00 % · warning from 95.00 % (your own)")
    expect(card.locator(".metric-badge")).to_have_text("OK")
