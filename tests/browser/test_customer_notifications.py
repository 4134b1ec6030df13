"""The customer notification settings (R-NOTE-2) in a browser at 1440 px and 390 px: the switches,
the editor whose preview follows the typing (HTMX), a broken template refused with its error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.accounts.models import Seller
from sellerdesk.custnotify import services
from sellerdesk.custnotify.catalogue import KIND_BY_CODE
from tests.browser.conftest import axe_violations, describe, screenshot
from tests.conftest import place, staff

pytestmark = pytest.mark.browser

WIDTHS = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("suffix", list(WIDTHS))
def test_settings_and_editor_with_preview(suffix: str, seller: Seller, page_for: Any) -> None:
    order = place(seller, name="Boris Ivanov")
    page = page_for(staff(seller, "owner"), viewport=WIDTHS[suffix])
    page.goto("/settings/customer-notifications/")
    expect(page.get_by_role("heading", name="Customer notifications", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, f"customer-notifications{suffix}")
    page.screenshot(path=str(screenshot(page, f"customer-notifications-full{suffix}")), full_page=True)
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # SMS in Russian for "Order shipped" is off by default; switch it on.
    page.locator('[data-cell="shipped-sms-ru"]').click()
    expect(page.locator('[data-cell="shipped-sms-ru"]')).to_have_attribute("aria-pressed", "true")
    assert services.effective(seller.pk, KIND_BY_CODE["shipped"], "sms", "ru").enabled

    page.goto("/settings/customer-notifications/shipped/email/en/")
    preview = page.locator("#cn-preview")
    expect(preview).to_contain_text(f"Order {order.number} is on its way")
    page.get_by_label("Text").fill("Hi {{ first_name }}, {{ number }} ships with {{ order.notes }}!")
    expect(preview).to_contain_text(f"Hi Boris, {order.number} ships with !")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, f"customer-notification-editor{suffix}")
    page.screenshot(path=str(screenshot(page, f"customer-notification-editor-full{suffix}")), full_page=True)

    page.get_by_label("Text").fill("{% include 'dashboard/base.html' %}")
    expect(preview).to_contain_text("This template cannot be read")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary, .error-text").first).to_contain_text("This template cannot be read")
    screenshot(page, f"customer-notification-error{suffix}")
    assert not services.effective(seller.pk, KIND_BY_CODE["shipped"], "email", "en").custom
    violations = axe_violations(page)
    assert not violations, describe(violations)
