"""The keyboard user: an irreversible action's dialog opens on Cancel (Enter, Enter does nothing); after an
action the redrawn order panel keeps the focus where the user was; views, bulk actions and export have
one-key shortcuts that never fire while typing, and `?` lists them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import js_ready, result_numbers
from tests.conftest import staff

pytestmark = pytest.mark.browser

FOCUSED_TEXT = "() => document.activeElement ? document.activeElement.textContent.trim() : ''"


def test_enter_enter_on_an_irreversible_action_confirms_nothing(
    shop: dict[str, Any], manager_page: Any
) -> None:
    page = manager_page
    order = shop["Anna Petrova"]
    page.goto(f"/orders/{order.number}/")
    js_ready(page)
    page.locator('button[data-action="confirm"]').focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-confirm-cancel]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator('button[data-action="confirm"]')).to_be_focused()
    order.refresh_from_db()
    assert order.status == "pending"


def test_focus_stays_where_the_user_was_after_the_panel_is_redrawn(
    shop: dict[str, Any], manager_page: Any
) -> None:
    page = manager_page
    order = shop["Anna Petrova"]
    seller = order.seller
    page.goto(f"/orders/{order.number}/")
    js_ready(page)

    # An action taken with the keyboard: its button is gone afterwards, the focus goes to its replacement
    # (the next action of the same group), not to the top of the page.
    page.locator('button[data-action="confirm"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#confirm-dialog [data-confirm-cancel]")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#confirm-dialog [data-confirm-ok]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('.order-badges [data-axis="status"]')).to_contain_text("Confirmed")
    order.refresh_from_db()
    assert order.status == "confirmed"
    expect(page.get_by_role("group", name="Order actions").locator(":focus")).to_have_count(1)

    # A form whose button survives the redraw keeps the focus on that very button.
    card = page.locator('section[aria-labelledby="manager-h"]')
    card.get_by_label("Manager").select_option(label=staff(seller, "owner").label)
    card.get_by_role("button", name="Save manager").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text(f"Manager of order {order.number} saved.")
    expect(card.get_by_role("button", name="Save manager")).to_be_focused()

    # A note added from the keyboard: the focus stays in the notes.
    notes = page.locator('section[aria-labelledby="notes-h"]')
    notes.get_by_label("Note", exact=True).fill("Call before noon")
    notes.get_by_role("button", name="Add note").focus()
    page.keyboard.press("Enter")
    expect(notes).to_contain_text("Call before noon")
    expect(notes.get_by_role("button", name="Add note")).to_be_focused()


def test_views_bulk_and_export_have_shortcuts(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    page.goto("/orders/")
    js_ready(page)
    tabs = page.locator("nav.tabs a")
    labels = tabs.all_inner_texts()
    to_ship = labels.index("To ship") + 1
    page.keyboard.press(str(to_ship))
    expect(page).to_have_url(re.compile(r"view=to_ship"))
    expect(page.locator("nav.tabs a[aria-current=page]")).to_have_text("To ship")
    js_ready(page)
    page.keyboard.press("g")
    page.keyboard.press(str(labels.index("To confirm") + 1))
    expect(page).to_have_url(re.compile(r"view=to_confirm"))
    js_ready(page)
    page.keyboard.press("1")
    expect(page.locator("nav.tabs a[aria-current=page]")).to_have_text("All")
    js_ready(page)

    # x selects the current row; b goes to the bulk actions (their first button), e to the export.
    page.keyboard.press("b")  # nothing selected yet: nothing to go to, no error
    expect(page.locator("[data-bulk-bar]")).to_be_hidden()
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("[data-selected-count]")).to_have_text("1")
    page.keyboard.press("b")
    focused = page.locator("[data-bulk-bar] :focus")
    expect(focused).to_have_count(1)
    expect(focused).to_have_text("Confirm")
    page.keyboard.press("Escape")
    page.locator("tr[data-row].is-current").focus()
    page.keyboard.press("e")
    expect(page.get_by_role("link", name="Export CSV")).to_be_focused()

    # Typing digits and letters in the search box fires nothing.
    box = page.get_by_role("searchbox", name="Search")
    box.focus()
    page.keyboard.type("3 be")
    expect(box).to_have_value("3 be")
    expect(page).to_have_url(re.compile(r"/orders/(\?view=all.*)?$"))
    assert result_numbers(page)

    # ? lists every shortcut.
    box.press("Escape")
    page.keyboard.press("?")
    help_ = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_).to_be_visible()
    keys = help_.locator("kbd").all_inner_texts()
    for key in ["/", "j", "k", "x", "b", "e", "g", "1", "9", "?", "Enter", "Esc"]:
        assert key in keys, key
