"""The order page (R-PROC-1, R-PROC-8, R-PROC-9): what it shows, to whom, and at what query cost."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sellerdesk.catalog.models import Product
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db


def client_for(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def action_buttons(html: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z-]+)"', html))


def test_page_shows_customer_items_payment_shipping_statuses_and_timeline(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, name="Anna Petrova", email="anna@example.com")
    services.note_add(seller_id=seller.pk, number=order.number, actor=actor(seller), text="Call before noon")
    services.order_mark_paid(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        amount=Decimal("5.00"),
        reference="INV-7",
    )
    res = client_for(seller).get(f"/orders/{order.number}/")
    assert res.status_code == 200
    html = res.content.decode()
    assert f"Order {order.number}" in html
    assert "Anna Petrova" in html and "anna@example.com" in html
    assert "MUG-01" in html  # the line, with a placeholder image (no image_url)
    assert 'class="thumb"' in html
    # The three statuses are badges that carry their text.
    assert "badge-pending" in html and ">Pending<" in html
    assert "badge-partially_paid" in html and "Partially paid" in html
    assert "badge-unfulfilled" in html and "Unfulfilled" in html
    # Payment: the ledger line and what is still owed (total 29.00, paid 5.00).
    assert "INV-7" in html
    assert "€24.00" in html
    # Shipping: the method and the address that passed the check.
    assert "Berlin" in html and "Address check: passed." in html
    # The timeline in sentences, with the actor.
    assert "Order placed (source: api)." in html
    assert "Payment of 5.00 EUR recorded." in html
    assert "manager@north.test" in html
    # Notes with author.
    assert "Call before noon" in html
    # Customer panel: the marketplace-wide counts, each from stored rows (none made up).
    assert 'data-count="closed"' in html and 'data-count="cancelled"' in html
    assert "None recorded" not in html
    assert 'data-count="feedback">0<' in html and 'data-count="complaints">0<' in html


def test_invalid_address_is_flagged_per_field(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(
        seller, shipping_address={"country": "DE", "city": "Berlin", "postal_code": "ABC", "line1": "X 1"}
    )
    assert order.address_errors  # the check found the postal code wrong
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert "Address check: failed." in html
    assert "Address invalid" in html  # the header badge
    assert "check failed" in html


def test_overdue_confirm_by_is_marked(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, created_at=timezone.now() - dt.timedelta(days=3))
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert "badge-overdue" in html and "Overdue" in html


def test_actions_offered_follow_state_and_role(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="cash_on_delivery")
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert action_buttons(html) == {"confirm", "cancel"}
    assert "data-confirm=" in html  # irreversible actions ask first
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert action_buttons(html) == {"process", "cancel"}
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert action_buttons(html) == set()
    assert "Out of stock" in html  # the cancel reason, in words


def test_pickup_order_offers_mark_delivered_once_processing(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, shipping_method="pickup", payment_method="cash_on_delivery")
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    services.order_process(seller_id=seller.pk, number=order.number, actor=actor(seller))
    html = client_for(seller).get(f"/orders/{order.number}/").content.decode()
    assert "deliver" in action_buttons(html)


def test_viewer_sees_no_action_and_no_forms(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    html = client_for(seller, "viewer").get(f"/orders/{order.number}/").content.decode()
    assert action_buttons(html) == set()
    assert 'method="post"' not in html.split('id="order-panel"', 1)[1]
    assert "Mark as paid" not in html and "Add note" not in html and "Change customer" not in html


def test_another_sellers_order_is_404(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    place(other_seller)
    place(other_seller)  # 1002 exists only for south
    place(seller)
    assert client_for(seller).get("/orders/1002/").status_code == 404
    assert client_for(seller).get("/orders/999999/").status_code == 404


def test_anonymous_is_sent_to_login(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    res = Client().get(f"/orders/{order.number}/")
    assert res.status_code == 302 and "/login/" in res["Location"]


def test_customer_panel_counts_are_marketplace_wide_without_other_sellers_details(
    seller, other_seller
) -> None:  # type: ignore[no-untyped-def]
    theirs = place(other_seller, email="anna@example.com")
    services.order_cancel(
        seller_id=other_seller.pk,
        number=theirs.number,
        actor=actor(other_seller),
        reason="customer_request",
        comment="secret-detail-of-south",
    )
    mine = place(seller, email="anna@example.com")
    html = client_for(seller).get(f"/orders/{mine.number}/").content.decode()
    assert re.search(r'data-count="cancelled">1<', html)
    assert re.search(r'data-count="closed">0<', html)
    assert "secret-detail-of-south" not in html


def _queries(client: Client, number: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        res = client.get(f"/orders/{number}/")
    assert res.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_lines_events_notes_and_payments(seller) -> None:  # type: ignore[no-untyped-def]
    small = place(seller)
    for i in range(6):
        Product.objects.create(
            seller=seller, sku=f"EXTRA-{i}", name=f"Extra {i}", price=1, currency="EUR", stock=9
        )
    big = place(
        seller,
        lines=[services.LineIn(sku=f"EXTRA-{i}", quantity=1) for i in range(6)],
        payment_method="bank_transfer",
    )
    for i in range(5):
        services.note_add(seller_id=seller.pk, number=big.number, actor=actor(seller), text=f"note {i}")
    services.order_mark_paid(seller_id=seller.pk, number=big.number, actor=actor(seller), amount=Decimal("1"))
    services.order_mark_paid(seller_id=seller.pk, number=big.number, actor=actor(seller), amount=Decimal("1"))
    services.order_assign_manager(
        seller_id=seller.pk, number=big.number, actor=actor(seller), manager_id=staff(seller, "owner").pk
    )
    assert Order.objects.get(pk=big.pk).lines.count() == 6
    client = client_for(seller)
    _queries(client, small.number)  # warm the session
    assert _queries(client, big.number) == _queries(client, small.number)
    # 14 for the order itself; 2 for notifications (the bell's unread count, the delivery log);
    # 4 for conversations (the thread, its feedback, the customer's marketplace-wide feedback count
    # and complaints; a thread with messages adds its two reads).
    assert _queries(client, big.number) <= 20


def test_a_payment_nobody_is_recorded_for_shows_a_dash(seller) -> None:  # type: ignore[no-untyped-def]
    """R-PAY-1: a ledger row with no staff member and no recorded name (an imported row, a provider's
    capture) is shown as "—" on the page and null in the API — the page never fails on it."""
    from sellerdesk.payments.models import Payment, PaymentKind

    order = place(seller)
    Payment.objects.create(
        order=order, kind=PaymentKind.CAPTURE, amount=order.total, currency=order.currency, provider="sandbox"
    )
    r = client_for(seller).get(f"/orders/{order.number}/")
    assert r.status_code == 200
    row = re.search(r"<td class=\"mono\">[^<]*</td><td>([^<]*)</td>", r.content.decode())
    assert row and row.group(1) == "—"


def test_the_change_form_prefills_numbers_a_russian_page_can_send_back(seller) -> None:  # type: ignore[no-untyped-def]
    """R-PROC-6: the order-change form's prices and discount are machine numbers (12.5000), not the
    page language's (12,5000), so sending the form back untouched changes nothing and fails nothing."""
    order = place(seller)
    line = order.lines.all()[0]
    Order.objects.filter(pk=order.pk).update(discount=Decimal("1.5"))
    type(line).objects.filter(pk=line.pk).update(unit_price=Decimal("12.5"))
    html = (
        client_for(seller, "owner")
        .get(f"/orders/{order.number}/", headers={"Accept-Language": "ru"})
        .content.decode()
    )
    assert f'name="p-{line.pk}" inputmode="decimal" value="12.5000"' in html
    assert 'name="discount" inputmode="decimal" value="1.5000"' in html
