"""The dashboard in Russian: labels translated, dates and money in the Russian format, times in the seller's
time zone (issue item 12)."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, describe

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def test_switch_to_russian_and_back(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    olga = shop["Olga Smirnova"]
    seller = olga.seller
    page.goto("/orders/")
    expect(page.get_by_role("heading", name="Orders", level=1)).to_be_visible()

    page.locator('.lang-switch button[value="ru"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Заказы", level=1)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Поиск")).to_be_visible()
    expect(
        page.get_by_role("link", name="Расширенный поиск").or_(page.get_by_text("Расширенный поиск"))
    ).to_be_visible()
    expect(page.locator("#result-count")).to_contain_text(f"{len(shop)} заказов")

    row = page.locator(f'tr[data-row][data-number="{olga.number}"]')
    expect(row.locator('[data-axis="status"]')).to_contain_text("Подтверждён")
    expect(row.locator('[data-axis="payment"]')).to_contain_text("Оплачен")
    # Money: decimal comma, the sign after the amount (babel's ru format).
    money = row.locator("td.num").inner_text().replace(NBSP, " ").replace("\u202f", " ")
    assert re.fullmatch(r"78,90\s€", money), money
    # Dates: dd.mm.yyyy hh:mm, in the seller's time zone.
    local = olga.created_at.astimezone(zoneinfo.ZoneInfo(seller.time_zone))
    expect(row.locator("time")).to_have_text(local.strftime("%d.%m.%Y %H:%M"))

    page.goto(f"/orders/{olga.number}/")
    expect(page.get_by_role("heading", name=f"Заказ {olga.number}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Внутренние заметки")).to_be_visible()
    expect(page.locator("dl.totals")).to_contain_text("Итого")
    expect(page.get_by_role("button", name="Начать обработку")).to_be_visible()
    violations = axe_violations(page)  # longer Russian labels must not break the page either
    assert not violations, describe(violations)

    page.goto("/")
    expect(page.get_by_role("heading", name="Сводка", level=1)).to_be_visible()
    expect(page.get_by_text("Поступило сегодня")).to_be_visible()

    page.locator('.lang-switch button[value="en"]').click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
