"""axe-core scans of the dashboard, the orders list, the order page and an open dialog (WCAG 2.2 AA):
no serious or critical violation. The README's pictures of the same pages come from test_screenshots.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sellerdesk.orders import services
from tests.browser.conftest import axe_violations, describe
from tests.conftest import actor, staff

pytestmark = pytest.mark.browser


def test_axe_finds_no_serious_violation(shop: dict[str, Any], manager_page: Any, new_context: Any) -> None:
    page = manager_page
    olga = shop["Olga Smirnova"]
    seller = olga.seller
    who = actor(seller, "manager")
    services.order_assign_manager(
        seller_id=seller.pk, number=olga.number, actor=who, manager_id=staff(seller, "manager").pk
    )
    services.note_add(  # a due reminder: the home page shows it, and axe scans it
        seller_id=seller.pk,
        number=olga.number,
        actor=who,
        text="Customer asked for gift wrapping.",
        remind_at=timezone.now() - dt.timedelta(minutes=10),
    )
    found: dict[str, str] = {}

    def scan(name: str, context: Any = None) -> None:
        violations = axe_violations(page, context)
        if violations:
            found[name] = describe(violations)

    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    scan("dashboard")

    page.goto("/orders/")
    expect(page.locator("#result-count")).to_contain_text(f"{len(shop)} orders")
    scan("orders list")
    page.get_by_text("Advanced search").click()
    scan("orders list, advanced search open")

    page.goto(f"/orders/{olga.number}/")
    expect(page.get_by_role("heading", name=f"Order {olga.number}")).to_be_visible()
    scan("order page")

    page.goto("/settings/")
    expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    scan("settings index")

    page.goto(f"/orders/{shop['Anna Petrova'].number}/")
    page.locator('button[data-action="confirm"]').click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    scan("confirm dialog")

    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-dialog")).to_be_visible()
    scan("shortcuts dialog")

    anonymous = new_context().new_page()
    anonymous.goto("/login/")
    expect(anonymous.get_by_role("heading", name="Log in to SellerDesk")).to_be_visible()
    violations = axe_violations(anonymous)
    if violations:
        found["login page"] = describe(violations)

    assert not found, "\n\n".join(f"{name}:\n{text}" for name, text in found.items())
