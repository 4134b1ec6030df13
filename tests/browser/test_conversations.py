"""Conversations in a browser (R-NOTE-4..6): staff write on the order page, the customer replies
through the link of the REAL e-mail (aiosmtpd on loopback), and the seller's open order page shows
the reply without reloading (HTMX polling). Then feedback and complaints, with screenshots at
1440 and 390 px."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from sellerdesk.conversations.models import Complaint, Feedback, Message
from sellerdesk.notifications import deliveries
from sellerdesk.orders import services
from sellerdesk.outbox.models import OutboxJob
from sellerdesk.outbox.worker import OutboxWorker
from tests.browser.conftest import axe_violations, describe, js_ready, screenshot
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.browser

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def drain() -> None:
    for _ in range(100):
        OutboxWorker(batch=True, interval=0).run()
        if not OutboxJob.objects.exclude(status__in=["done", "failed"]).exists():
            break
        time.sleep(0.05)
    deliveries.send_due()


def both_widths(page: Any, name: str, selector: str) -> None:
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator(selector).first.scroll_into_view_if_needed()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px by {overflow}px"
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_the_customer_replies_through_the_emailed_link_and_the_seller_sees_it_live(
    seller: Any, page_for: Any, new_context: Any, live_server: Any, smtp_server: Any, settings: Any
) -> None:
    settings.PUBLIC_URL = live_server.url
    olga = staff(seller, "manager")
    olga.first_name, olga.last_name = "Olga", "Smirnova"
    olga.save()
    order = place(seller, name="Anna Petrova", email="anna@example.com")
    services.note_add(seller_id=seller.pk, number=order.number, actor=actor(seller), text="Secret: VIP")

    # The seller writes from the order page (HTMX form, in place).
    seller_page = page_for(olga)
    seller_page.clock.install()  # the test moves the page's clock to its next poll instead of waiting
    seller_page.goto(f"/orders/{order.number}/")
    js_ready(seller_page)
    thread = seller_page.locator("#order-thread")
    thread.get_by_label("Message to the customer").fill("Hello Anna, which colour would you like?")
    thread.get_by_role("button", name="Send message").click()
    expect(thread.locator(".msg-staff")).to_contain_text("which colour")
    expect(thread).to_contain_text("Message sent.")
    seller_page.evaluate("() => { window.__stayed = true; }")  # gone if the page reloads

    # The e-mail arrives over SMTP; its link is the customer's way in.
    drain()
    # (the customer also gets the order's status notifications: the conversation's carries /m/)
    (mail,) = [m for m in smtp_server.messages if m["To"] == "anna@example.com" and "/m/" in m.get_content()]
    body = mail.get_content()
    assert "Secret" not in body and "Smirnova" not in body
    link = re.search(r"http://\S+/m/[\w-]+/", body).group(0)  # type: ignore[union-attr]

    customer = new_context(viewport={"width": 390, "height": 844}).new_page()
    customer.goto(link)
    expect(customer.locator(".msg-staff")).to_contain_text("which colour")
    expect(customer.locator(".msg-staff")).to_contain_text("Olga")
    expect(customer.locator("body")).not_to_contain_text("Smirnova")
    expect(customer.locator("body")).not_to_contain_text("Secret")
    customer.get_by_label("Your reply").fill("Blue, please! Photo of the one I mean attached.")
    customer.get_by_label("Files").set_input_files(
        [{"name": "blue.png", "mimeType": "image/png", "buffer": PNG}]
    )
    customer.get_by_role("button", name="Send").click()
    expect(customer.get_by_role("status")).to_contain_text("Your message was sent")
    expect(customer.locator(".msg-customer")).to_contain_text("Blue, please!")
    assert Message.objects.filter(author_kind="customer").get().attachments.get().content_type == "image/png"
    violations = axe_violations(customer)
    assert not violations, describe(violations)
    screenshot(customer, "customer-thread-390")
    customer.set_viewport_size({"width": 1440, "height": 900})
    screenshot(customer, "customer-thread-1440")

    # The seller's page, never reloaded, shows the reply within one polling period.
    reply = seller_page.locator("#order-thread .msg-customer")
    seller_page.clock.run_for(10_000)  # the thread polls every 10 s
    expect(reply).to_contain_text("Blue, please!")
    expect(reply.get_by_role("link", name=re.compile("blue.png"))).to_be_visible()
    assert seller_page.evaluate("() => window.__stayed === true"), "the order page reloaded"
    violations = axe_violations(seller_page, "#order-thread")
    assert not violations, describe(violations)
    both_widths(seller_page, "order-thread", "#order-thread")


def test_feedback_form_and_complaints_on_the_customer_panel(
    seller: Any, other_seller: Any, page_for: Any, new_context: Any, live_server: Any
) -> None:
    order = place(
        seller,
        name="Ivan Payless",
        email="ivan@example.com",
        shipping_method="digital",
        payment_method="cash_on_delivery",
    )
    who = actor(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=who)
    services.order_deliver(seller_id=seller.pk, number=order.number, actor=who)
    page = page_for(staff(seller, "manager"))
    page.goto(f"/orders/{order.number}/")
    js_ready(page)
    page.locator("#order-feedback").get_by_role("button", name="Ask for feedback").click()
    expect(page.locator("#messages")).to_contain_text("Feedback reminder sent")
    page.locator("#order-feedback").get_by_role("button", name="Ask for feedback").click()
    expect(page.locator("#messages")).to_contain_text("only one is allowed")

    from sellerdesk.conversations.models import Thread

    token = Thread.objects.get(order=order).token
    customer = new_context().new_page()
    customer.goto(f"/m/{token}/#feedback")
    form = customer.locator("#feedback")
    both_widths(customer, "customer-feedback", "#feedback")
    violations = axe_violations(customer)
    assert not violations, describe(violations)
    form.locator("label[for=star-4]").click()
    form.get_by_label("Review").fill("Fast and friendly.")
    form.get_by_role("button", name="Send feedback").click()
    expect(customer.locator("#feedback")).to_contain_text("Thank you for your feedback")
    assert Feedback.objects.get(order=order).rating == 4

    # A complaint filed here is seen by another seller on an order of the same customer.
    page.goto(f"/orders/{order.number}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Customer", exact=True))
    panel.get_by_text("File a complaint…").click()
    panel.get_by_label("Type").select_option("not_paid")
    panel.get_by_label("What happened").fill("Ordered three times, never paid, phone switched off.")
    panel.get_by_role("button", name="File complaint").click()
    expect(page.locator("#messages")).to_contain_text("Complaint filed")
    assert Complaint.objects.count() == 1
    theirs = place(other_seller, name="Ivan P.", email="ivan@example.com")
    other = page_for(staff(other_seller, "viewer"))
    other.goto(f"/orders/{theirs.number}/")
    other_panel = other.locator("section", has=other.get_by_role("heading", name="Customer", exact=True))
    expect(other_panel).to_contain_text("never paid, phone switched off")
    expect(other_panel).to_contain_text(seller.name)
    both_widths(other, "customer-panel-complaints", ".customer-trust")
    violations = axe_violations(other)
    assert not violations, describe(violations)
    page.goto(f"/orders/{order.number}/")
    both_widths(page, "order-feedback", "#order-feedback")


def test_the_operator_hides_a_complaint(seller: Any, page_for: Any) -> None:
    from sellerdesk.accounts.models import User
    from sellerdesk.conversations import services as conversations

    order = place(seller, name="Ivan Payless", email="ivan@example.com")
    conversations.complaint_file(
        seller_id=seller.pk, number=order.number, actor=actor(seller), kind="abusive", comment="Total idiot."
    )
    conversations.complaint_file(
        seller_id=seller.pk, number=order.number, actor=actor(seller), kind="not_paid", comment="Never paid."
    )
    operator = User.objects.create_user(
        email="operator@market.test", password="pw", operator_of=seller.marketplace
    )
    page = page_for(operator)
    page.goto("/operator/complaints/")
    row = page.locator("tr", has_text="Total idiot.")
    row.get_by_label("Why").fill("Insult, no facts")
    row.get_by_role("button", name="Hide").click()
    expect(page.locator("#messages")).to_contain_text("hidden from sellers")
    expect(page.locator("tr", has_text="Total idiot.")).to_contain_text("Insult, no facts")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    both_widths(page, "operator-complaints", "table")
