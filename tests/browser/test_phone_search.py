"""The README's phone flow in the browser: the seller types part of a number the way they remember it —
the start with the national prefix, the middle, with any punctuation — into the list's search box and
finds the order."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import js_ready, result_numbers

pytestmark = pytest.mark.browser

# fragment typed -> customers whose orders must be listed (+7 912 345-67-89 is Anna's number)
FRAGMENTS = {
    "8(912)": {"Anna Petrova"},  # the start, national prefix 8 for +7
    "8(912)345": {"Anna Petrova"},
    "+7 912": {"Anna Petrova"},
    "912 345": {"Anna Petrova"},  # the middle
    "345-67": {"Anna Petrova", "Jonas Weber", "Klara Fischer"},  # +49 30 1234567, +49 151 2345678
}


def test_find_an_order_by_part_of_a_phone_number(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/")
    js_ready(page)
    box = page.get_by_role("searchbox", name="Search")
    found: dict[str, set[str]] = {}
    for fragment, names in FRAGMENTS.items():
        box.fill(fragment)
        box.press("Enter")
        # The results are redrawn in place and the URL follows them: wait for this search's URL.
        page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=fragment)
        expect(page.locator("#result-count")).to_contain_text(f"{len(names)} order")
        by_number = {o.number: name for name, o in shop.items()}
        found[fragment] = {by_number[n] for n in result_numbers(page)}
    assert found == FRAGMENTS
