"""Logging in and out through the real form; roles and tenancy as a browser sees them (R-SEC-3)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.orders.models import Order
from tests.browser.conftest import place_order
from tests.conftest import production_hashers, staff

pytestmark = pytest.mark.browser

CSRF_POST = """async (url) => {
  const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
  const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token}, body: new FormData()});
  return r.status;
}"""


def test_login_with_the_form_and_log_out(
    seller: Any, new_context: Any, live_server: Any, settings: Any
) -> None:
    production_hashers(settings)  # Argon2 first, as in production (the fixtures' users use a cheap one)
    user = staff(seller, "owner")
    user.set_password("correct horse")
    user.save(update_fields=["password"])
    assert user.password.startswith("argon2")
    page = new_context().new_page()

    page.goto("/orders/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/orders/$"))
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("wrong")

    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/orders/")
    expect(page.get_by_role("heading", name="Orders", level=1)).to_be_visible()
    user.refresh_from_db()
    assert user.password.startswith("argon2")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_a_viewer_sees_no_action_and_is_refused_when_posting(shop: dict[str, Any], page_for: Any) -> None:
    order = shop["Anna Petrova"]
    page = page_for(staff(order.seller, "viewer"))

    page.goto("/orders/")
    expect(page.locator("table[data-rows] tr[data-row]")).to_have_count(len(shop))
    expect(page.locator("input[data-select-all], input[data-row-check], [data-bulk-bar]")).to_have_count(0)
    expect(page.locator("main .page-header").get_by_role("link", name="New order")).to_have_count(0)

    page.goto(f"/orders/{order.number}/")
    expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    main = page.locator("main")
    expect(main.locator("[data-action]")).to_have_count(0)
    for name in ["Confirm", "Cancel order", "Add note", "Save manager", "Record payment"]:
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    expect(main.get_by_text("Mark as paid")).to_have_count(0)

    assert page.evaluate(CSRF_POST, f"/orders/{order.number}/confirm/") == 403
    assert page.evaluate(CSRF_POST, f"/orders/{order.number}/notes/") == 403
    order.refresh_from_db()
    assert order.status == "pending"
    assert not order.notes.exists()


def test_a_user_of_another_seller_gets_404(seller: Any, other_seller: Any, page_for: Any) -> None:
    place_order(other_seller, "Nina Braun", "nina@example.de", "+49 30 5550000", [("MUG-01", 1)])
    theirs = place_order(
        other_seller, "Timur Orlov", "timur@example.com", "+7 900 000-00-01", [("MUG-01", 1)]
    )
    assert not Order.objects.filter(seller=seller, number=theirs.number).exists()
    page = page_for(staff(seller, "owner"))

    response = page.goto(f"/orders/{theirs.number}/")
    assert response is not None and response.status == 404
    expect(page.get_by_text("Timur Orlov")).to_have_count(0)

    page.goto("/orders/")
    expect(page.get_by_text("Timur Orlov")).to_have_count(0)
    assert page.evaluate(CSRF_POST, f"/orders/{theirs.number}/confirm/") == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"
