"""The order page in a browser: notes, manager, and an action confirmed through an accessible dialog
(R-PROC-1, R-PROC-2, R-PROC-4)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.orders.models import OrderNote
from tests.browser.conftest import js_ready
from tests.conftest import staff

pytestmark = pytest.mark.browser


def test_add_edit_and_delete_a_note(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    order = shop["Anna Petrova"]
    page.goto(f"/orders/{order.number}/")
    notes = page.locator("section", has=page.get_by_role("heading", name="Internal notes"))

    # An empty note is a form error with a focused summary linking to the field, not a 500.
    notes.get_by_role("button", name="Add note").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    assert not OrderNote.objects.filter(order=order).exists()

    notes.get_by_label("Note", exact=True).fill("Customer asked for gift wrapping.")
    notes.get_by_role("button", name="Add note").click()
    item = notes.locator("ul.notes > li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Customer asked for gift wrapping.")

    item.get_by_text("Edit").click()
    item.get_by_label("Note", exact=True).fill("Gift wrapping, blue paper.")
    item.get_by_role("button", name="Save note").click()
    expect(notes.locator("ul.notes > li")).to_contain_text("Gift wrapping, blue paper.")
    assert list(OrderNote.objects.filter(order=order).values_list("text", flat=True)) == [
        "Gift wrapping, blue paper."
    ]

    notes.locator("ul.notes > li").get_by_role("button", name="Delete").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("[data-confirm-ok]").click()
    expect(notes.locator("ul.notes > li")).to_have_count(0)
    expect(notes).to_contain_text("No notes yet.")
    assert not OrderNote.objects.filter(order=order).exists()


def test_assign_a_manager(shop: dict[str, Any], manager_page: Any) -> None:
    page = manager_page
    order = shop["Ivan Ivanov"]
    anna = staff(order.seller, "administrator")
    page.goto(f"/orders/{order.number}/")
    card = page.locator("section", has=page.get_by_role("heading", name="Manager"))
    card.get_by_label("Manager").select_option(label=anna.label)
    card.get_by_role("button", name="Save manager").click()
    expect(page.locator("#messages")).to_contain_text(f"Manager of order {order.number} saved.")
    expect(card.get_by_label("Manager")).to_have_value(str(anna.pk))
    order.refresh_from_db()
    assert order.manager_id == anna.pk


def test_confirm_through_the_dialog_traps_focus_and_returns_it(
    shop: dict[str, Any], manager_page: Any
) -> None:
    page = manager_page
    order = shop["Anna Petrova"]
    page.goto(f"/orders/{order.number}/")
    js_ready(page)
    opener = page.locator('button[data-action="confirm"]')
    opener.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"order {order.number}")
    expect(dialog.locator("[data-confirm-cancel]")).to_be_focused()  # the safe choice

    inside = "() => !!document.activeElement.closest('dialog[open]')"
    for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]:
        page.keyboard.press(key)
        assert page.evaluate(inside), f"focus left the dialog after {key}"

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    order.refresh_from_db()
    assert order.status == "pending"  # Esc cancels

    opener.click()
    expect(dialog).to_be_visible()
    dialog.locator("[data-confirm-ok]").click()
    expect(page.locator('.order-badges [data-axis="status"]')).to_contain_text("Confirmed")
    order.refresh_from_db()
    assert order.status == "confirmed"
    expect(page.locator('button[data-action="confirm"]')).to_have_count(0)  # no longer offered


def test_refund_one_line_plus_shipping_shows_the_amount_first(
    shop: dict[str, Any], manager_page: Any
) -> None:
    """R-PAY-4: the form previews the amount as it is filled in; the refund gives partially_refunded."""
    from decimal import Decimal

    from sellerdesk.core.money import fmt
    from sellerdesk.orders.models import OrderLine

    page = manager_page
    order = shop["Olga Smirnova"]  # confirmed, paid, two lines
    line = OrderLine.objects.filter(order=order).order_by("id").first()
    assert line is not None
    order.refresh_from_db()
    expected = line.unit_price * (order.subtotal - order.discount) / order.subtotal + order.shipping_price
    page.goto(f"/orders/{order.number}/")
    js_ready(page)
    payment = page.locator("section", has=page.get_by_role("heading", name="Payment"))
    payment.get_by_text("Refund…").click()
    payment.get_by_label(f"Returned units of {line.sku}").fill("1")
    payment.get_by_label("Refund shipping").fill(str(order.shipping_price))
    expect(page.locator("#refund-preview [data-refund-amount]")).to_have_attribute(
        "data-refund-amount", fmt(expected, order.currency)
    )
    payment.get_by_role("button", name="Refund", exact=True).click()
    page.locator("#confirm-dialog [data-confirm-ok]").click()
    expect(page.locator('.order-badges [data-axis="payment"]')).to_contain_text("Partially refunded")
    order.refresh_from_db()
    assert order.payment_status == "partially_refunded"
    assert order.refunded_amount == Decimal(fmt(expected, order.currency))
