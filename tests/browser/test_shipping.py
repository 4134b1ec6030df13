"""Shipping in the browser (R-FUL-1..3, R-FUL-6, R-FUL-8): a seller confirms an order, records the
payment, buys a sandbox label (get rates → choose → buy), prints it, fulfils the rest by hand,
marks it delivered, and the order is delivered. Plus the order page with shipments at 1440 and
390 px, and the customer's tracking page at both widths, with nothing sticking out sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.orders import services
from sellerdesk.orders.models import Order, OrderLine
from sellerdesk.shipping import services as shipping
from sellerdesk.shipping.accounts import sandbox_account
from sellerdesk.shipping.models import Shipment
from tests.browser.conftest import SCREENSHOTS, js_ready, place_order, screenshot
from tests.browser.test_layout import OVERFLOW_JS
from tests.conftest import actor, staff

pytestmark = pytest.mark.browser

WIDTHS = {"": {"width": 1440, "height": 900}, "-phone": {"width": 390, "height": 844}}


def _order(seller: Any) -> Order:
    return place_order(
        seller,
        "Olga Smirnova",
        "olga@example.com",
        "+7 916 555-44-33",
        [("MUG-01", 4), ("BOWL-01", 1)],
        payment_method="online",
        shipping_method="carrier",
    )


def _line(order: Order, sku: str) -> OrderLine:
    return OrderLine.objects.get(order=order, sku=sku)


def _confirm(page: Any) -> None:
    """Answer the app's confirmation dialog with its OK button."""
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("[data-confirm-ok]").click()
    expect(dialog).to_be_hidden()


def test_seller_buys_a_sandbox_label_then_fulfils_the_rest_by_hand(seller: Any, manager_page: Any) -> None:
    order = _order(seller)
    mug, bowl = _line(order, "MUG-01"), _line(order, "BOWL-01")
    page = manager_page
    page.goto(f"/orders/{order.number}/")
    js_ready(page)

    page.locator('[data-action="confirm"]').click()
    _confirm(page)
    # Before payment the Ship panel says why and how to go on (R-PAY-7).
    expect(page.locator("[data-ship-refusal]")).to_contain_text("must be paid")
    page.locator("summary", has_text="Mark as paid…").click()
    page.get_by_role("button", name="Record payment").click()
    _confirm(page)
    form = page.locator("#carrier-form")
    expect(form).to_be_visible()  # after Confirm and payment, the shipment form is there at once

    # A carrier label for the four mugs: get rates, choose, buy (R-FUL-3).
    form.locator(f'input[name="lbl-qty_{bowl.pk}"]').fill("0")
    form.locator('input[name="pkg-0-weight_g"]').fill("1800")
    form.get_by_role("button", name="Get rates").click()
    rates = form.locator(".rate")
    expect(rates.first).to_be_visible()
    expect(form.locator(".rate-cost").first).to_contain_text("your cost")
    first_price = form.locator(".rate-price").first.inner_text()
    # A second, heavy package: the rates are asked for again by themselves.
    form.get_by_role("button", name="Add package").click()
    second = form.locator('input[name="pkg-1-weight_g"]')
    expect(second).to_be_visible()
    second.fill("9000")
    second.press("Tab")
    expect(form.locator(".rate-price").first).not_to_have_text(first_price)
    rates.last.click()
    form.screenshot(path=str(SCREENSHOTS / "order-rates-card.png"))
    chosen = rates.last.locator("input").get_attribute("value")
    form.get_by_role("button", name="Buy label").click()
    shipment_1 = page.locator("#shipment-1")
    expect(shipment_1).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("Label bought")
    s1 = Shipment.objects.get(order=order, number=1)
    assert (s1.kind, s1.service_code, len(s1.packages)) == ("carrier", chosen, 2)
    assert s1.packages[1]["weight_g"] == 9000
    expect(shipment_1.locator("[data-tracking-number]")).to_have_text(s1.tracking_number)
    expect(shipment_1.locator("[data-seller-cost]")).to_be_visible()

    # The label opens in a new tab, as a PDF (R-FUL-8).
    link = shipment_1.get_by_role("link", name="Print label")
    expect(link).to_have_attribute("target", "_blank")
    label = page.request.get(link.get_attribute("href"))
    assert label.status == 200 and label.headers["content-type"] == "application/pdf"
    assert label.body().startswith(b"%PDF")

    # The customer's tracking link is copied with one click (R-FUL-11).
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.locator('button[data-copy="tracking-url"]')
    copy.click()
    expect(copy).to_have_text("Copied")
    link = page.locator("#tracking-url").input_value()
    assert link.endswith(f"/track/{order.tracking_token}/")
    assert page.evaluate("navigator.clipboard.readText()") == link

    # The bowl by hand (R-FUL-2), then delivered.
    page.get_by_text("Fulfil by hand").click()
    manual = page.locator("#manual-form")
    expect(manual.locator(f'input[name="ship-qty_{mug.pk}"]')).to_have_count(0)  # every mug is in the label
    expect(manual.locator(f'input[name="ship-qty_{bowl.pk}"]')).to_have_value("1")
    manual.get_by_role("button", name="Fulfil").click()
    shipment_2 = page.locator("#shipment-2")
    expect(shipment_2).to_be_visible()
    expect(page.locator("#ship")).to_have_count(0)  # nothing left to ship
    shipment_2.get_by_role("button", name="Mark delivered").click()
    _confirm(page)
    expect(shipment_2.locator("[data-shipment-status]")).to_have_attribute(
        "data-shipment-status", "delivered"
    )
    # The label's parcel is not with the carrier yet: the order has not left as a whole.
    expect(page.locator(".order-badges [data-axis=status]")).to_contain_text("Confirmed")

    # The carrier's journey is over (a sandbox account that moves at once): Track now delivers it.
    account = sandbox_account(seller.pk)
    account.options = {"step_seconds": 0}
    account.save()
    shipment_1.get_by_role("button", name="Track now").click()
    expect(shipment_1.locator("[data-shipment-status]")).to_have_attribute(
        "data-shipment-status", "delivered"
    )
    expect(page.locator(".order-badges [data-axis=status]")).to_contain_text("Delivered")
    order.refresh_from_db()
    assert (order.status, order.fulfillment_status) == ("delivered", "delivered")


@pytest.mark.parametrize("suffix", list(WIDTHS))
def test_order_page_with_shipments_fits(suffix: str, seller: Any, page_for: Any) -> None:
    order = _order(seller)
    who = actor(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=who)
    services.order_mark_paid(seller_id=seller.pk, number=order.number, actor=who)
    mug = _line(order, "MUG-01")
    shipping.fulfill_manual(
        seller_id=seller.pk,
        number=order.number,
        actor=who,
        data=shipping.ManualFulfillment(
            lines={mug.pk: 2},
            shipping_point="international",
            carrier="DHL Express",
            tracking_number="JD014600003828",
        ),
    )
    shipping.fulfill_manual(
        seller_id=seller.pk,
        number=order.number,
        actor=who,
        data=shipping.ManualFulfillment(lines={mug.pk: 1}, shipping_point="pickup"),
    )
    page = page_for(staff(seller, "manager"), viewport=WIDTHS[suffix])
    page.goto(f"/orders/{order.number}/")
    js_ready(page)
    page.locator("#shipments").scroll_into_view_if_needed()
    screenshot(page, f"order-shipments{suffix}")
    page.locator("#ship").scroll_into_view_if_needed()
    screenshot(page, f"order-ship{suffix}")
    page.locator("details.parties > summary").click()
    for selector in ("#ship", "#shipments"):
        page.locator(selector).screenshot(path=str(SCREENSHOTS / f"order-{selector[1:]}-card{suffix}.png"))
    found = page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["innerWidth"], found

    page.goto(f"/track/{order.tracking_token}/")
    screenshot(page, f"tracking{suffix}")
    found = page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= found["innerWidth"], found
