"""The seller's balance and payout statements, and the operator's area (R-PAY-8, R-PROC-6): who may open
what, tenancy within the marketplace, no internal notes on operator pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from sellerdesk.accounts.models import Marketplace, Seller, User
from sellerdesk.earnings import services as earnings
from sellerdesk.earnings.changes import order_change_amount
from sellerdesk.earnings.models import AmountChangeRequest, Payout, SellerPlan, TariffPlan
from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from tests.conftest import actor, staff
from tests.earnings.conftest import drive, pickup_order

pytestmark = pytest.mark.django_db

OPERATOR_PAGES = ["/operator/", "/operator/plans/", "/operator/payouts/", "/operator/requests/"]


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_seller_sees_balance_and_statement_but_not_anothers(seller, other_seller, operator) -> None:
    order = drive(seller, pickup_order(seller), to="closed")
    payout = earnings.payout_create(
        operator=operator, seller_id=seller.pk, currency="EUR", reference="SEPA-77"
    )
    theirs = drive(other_seller, pickup_order(other_seller), to="closed")
    their_payout = earnings.payout_create(operator=operator, seller_id=other_seller.pk, currency="EUR")
    viewer = login(staff(seller, "viewer"))
    page = viewer.get("/balance/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "SEPA-77" in html and f"#{order.number}" in html and "25.00" in html
    statement = viewer.get(f"/payouts/{payout.pk}/")
    assert statement.status_code == 200 and f"#{order.number}" in statement.content.decode()
    assert viewer.get(f"/payouts/{their_payout.pk}/").status_code == 404
    assert viewer.get("/payouts/999999/").status_code == 404
    assert theirs.number == order.number  # same number, other seller: the 404 is tenancy, not absence


def test_a_cancelled_orders_money_is_shown_held_for_its_refund(seller) -> None:
    """R-PAY-8: a paid order cancelled before its refund is money held, not the seller's earnings."""
    held = drive(seller, pickup_order(seller), to="paid")
    services.order_cancel(
        seller_id=seller.pk, number=held.number, actor=actor(seller), reason="customer_request", comment=""
    )
    kept = drive(seller, pickup_order(seller), to="delivered")
    html = login(staff(seller, "viewer")).get("/balance/").content.decode()
    row = html[html.index(f"#{held.number}</a>") :].split("</tr>")[0]
    assert "held for the refund" in row
    row = html[html.index(f"#{kept.number}</a>") :].split("</tr>")[0]
    assert "held for the refund" not in row


@pytest.mark.parametrize("path", OPERATOR_PAGES)
def test_no_seller_staff_opens_the_operator_area(seller, operator, path) -> None:
    for role in ("owner", "administrator", "manager", "viewer"):
        assert login(staff(seller, role)).get(path).status_code == 403
    assert login(operator).get(path).status_code == 200
    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_operator_lands_on_its_area_and_cannot_open_seller_pages(seller, operator) -> None:
    client = login(operator)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/operator/"
    order = pickup_order(seller)
    assert client.get(f"/orders/{order.number}/").status_code == 403
    assert client.get("/balance/").status_code == 403


def test_operator_signs_in_through_the_login_form(operator) -> None:
    """The operator has no seller: the login form still takes them, and lands them on their area."""
    client = Client()
    answer = client.post("/login/", {"email": "operator@market.test", "password": "pw"}, follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == "/operator/"
    nobody = User.objects.create_user(email="nobody@market.test", password="pw")  # neither staff nor operator
    refused = Client().post("/login/", {"email": "nobody@market.test", "password": "pw"})
    assert refused.status_code == 400 and nobody.seller_id is None


def test_operator_pages_never_show_internal_notes(seller, operator) -> None:
    order = drive(seller, pickup_order(seller), to="processing")
    services.note_add(seller_id=seller.pk, number=order.number, actor=actor(seller), text="SECRET-NOTE-42")
    order_change_amount(
        seller_id=seller.pk, number=order.number, actor=actor(seller), total="20.00", reason="dent"
    )
    client = login(operator)
    for path in OPERATOR_PAGES:
        html = client.get(path).content.decode()
        assert "SECRET-NOTE-42" not in html, path
    assert "dent" in client.get("/operator/requests/").content.decode()


def test_operator_creates_a_plan_assigns_it_and_pays_out(seller, operator) -> None:
    client = login(operator)
    resp = client.post(
        "/operator/plans/",
        {"name": "Basic", "percent": "10", "fixed_fee": "0", "currency": "EUR", "category_rates": "books: 5"},
    )
    assert resp.status_code == 302
    plan = TariffPlan.objects.get(name="Basic")
    assert [(r.category, r.percent) for r in plan.category_rates.all()] == [("books", Decimal("5.00"))]
    assert client.post("/operator/plans/", {"name": "Bad", "percent": "150"}).status_code == 302
    assert not TariffPlan.objects.filter(name="Bad").exists()
    client.post(f"/operator/sellers/{seller.pk}/plan/", {"plan_id": plan.pk})
    assert SellerPlan.objects.get(seller=seller).plan == plan
    drive(seller, pickup_order(seller), to="closed")
    resp = client.post(f"/operator/sellers/{seller.pk}/payouts/", {"currency": "EUR", "reference": "R1"})
    assert resp.status_code == 302
    assert Payout.objects.get(seller=seller).amount == Decimal("22.50")


def test_operator_ids_are_resolved_within_its_marketplace(seller, operator) -> None:
    other_market = Marketplace.objects.create(name="Elsewhere", slug="elsewhere")
    stranger = Seller.objects.create(marketplace=other_market, name="Stranger", slug="stranger")
    their_plan = TariffPlan.objects.create(marketplace=other_market, name="Theirs", percent=Decimal("1"))
    client = login(operator)
    assert client.post(f"/operator/sellers/{stranger.pk}/payouts/", {"currency": "EUR"}).status_code == 404
    assert client.post(f"/operator/sellers/{stranger.pk}/plan/", {"plan_id": ""}).status_code == 404
    assert client.post(f"/operator/sellers/{seller.pk}/plan/", {"plan_id": their_plan.pk}).status_code == 404
    assert (
        client.post(f"/operator/plans/{their_plan.pk}/", {"name": "Mine", "percent": "1"}).status_code == 404
    )
    assert "Stranger" not in client.get("/operator/").content.decode()
    assert not SellerPlan.objects.exists()


def test_amount_change_direct_while_confirmed_shows_the_refund_due(seller) -> None:
    order = drive(seller, pickup_order(seller), to="paid")
    changed = order_change_amount(
        seller_id=seller.pk, number=order.number, actor=actor(seller), total="20.00", reason="agreed discount"
    )
    assert isinstance(changed, Order)
    order.refresh_from_db()
    assert (order.total, order.discount, order.paid_amount) == (
        Decimal("20.00"),
        Decimal("5.00"),
        Decimal("25.00"),
    )
    event = order.events.get(type="order_changed")
    assert event.data["total"] == {"from": "25.00", "to": "20.00"} and event.data["refund_due"] == "5.00"
    assert event.data["reason"] == "agreed discount"


def test_amount_change_later_is_a_request_the_operator_decides(seller, operator) -> None:
    order = drive(seller, pickup_order(seller), to="processing")
    request = order_change_amount(
        seller_id=seller.pk, number=order.number, actor=actor(seller), total="15.00", reason="damaged"
    )
    assert isinstance(request, AmountChangeRequest)
    order.refresh_from_db()
    assert order.total == Decimal("25.00")  # unchanged until approved
    from sellerdesk.core.errors import Conflict

    with pytest.raises(Conflict):
        order_change_amount(
            seller_id=seller.pk, number=order.number, actor=actor(seller), total="14", reason="x"
        )
    client = login(operator)
    assert client.post(f"/operator/requests/{request.pk}/", {"decision": "approve"}).status_code == 302
    order.refresh_from_db()
    assert order.total == Decimal("15.00")
    assert order.events.get(type="amount_change_decided").data["refund_due"] == "10.00"
    # decided once: a second decision is refused and changes nothing
    client.post(f"/operator/requests/{request.pk}/", {"decision": "deny"})
    request.refresh_from_db()
    assert request.state == "approved"


def test_a_denied_request_changes_nothing(seller, operator) -> None:
    order = drive(seller, pickup_order(seller), to="processing")
    request = order_change_amount(
        seller_id=seller.pk, number=order.number, actor=actor(seller), total="15.00", reason="damaged"
    )
    login(operator).post(f"/operator/requests/{request.pk}/", {"decision": "deny", "comment": "no proof"})
    order.refresh_from_db()
    request.refresh_from_db()
    assert order.total == Decimal("25.00") and request.state == "denied"
    assert order.events.get(type="amount_change_decided").data["decision"] == "denied"


def test_viewer_cannot_change_the_amount(seller) -> None:
    from sellerdesk.core.errors import Forbidden

    order = pickup_order(seller)
    with pytest.raises(Forbidden):
        order_change_amount(
            seller_id=seller.pk, number=order.number, actor=actor(seller, "viewer"), total="1", reason="x"
        )


def test_order_page_changes_lines_and_shows_the_refund_due(seller) -> None:
    order = drive(seller, pickup_order(seller), to="paid")
    line = order.lines.get()
    client = login(staff(seller, "manager"))
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Change the order" in page and "Refund due" not in page
    resp = client.post(
        f"/orders/{order.number}/changes/",
        {f"q-{line.pk}": "1", f"p-{line.pk}": "12.50", "reason": "one only"},
    )
    assert resp.status_code == 302
    order.refresh_from_db()
    assert order.total == Decimal("12.50")
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Refund due" in page and "12.50" in page
    # no reason: refused with a message, nothing changes
    client.post(f"/orders/{order.number}/changes/", {f"q-{line.pk}": "2", "reason": ""})
    order.refresh_from_db()
    assert order.total == Decimal("12.50")
    assert (
        login(staff(seller, "viewer")).post(f"/orders/{order.number}/changes/", {"reason": "x"}).status_code
        == 403
    )


def test_order_page_out_of_stock_actions(seller, other_seller) -> None:
    from sellerdesk.orders.services import LineIn

    order = pickup_order(seller, lines=[LineIn(sku="MUG-01", quantity=2), LineIn(sku="BOWL-01", quantity=1)])
    mug, bowl = order.lines.get(sku="MUG-01"), order.lines.get(sku="BOWL-01")
    client = login(staff(seller, "manager"))
    client.post(
        f"/orders/{order.number}/lines/{mug.pk}/substitute/", {"sku": "EBOOK-01", "agreement": "email"}
    )
    client.post(f"/orders/{order.number}/lines/{bowl.pk}/cancel/", {"quantity": "1"})
    order.refresh_from_db()
    assert order.total == Decimal("10.00")  # 2 × EBOOK-01 at 5.00
    assert {e.type for e in order.events.all()} >= {"line_substituted", "line_cancelled"}
    their_line = pickup_order(other_seller).lines.get()
    assert (
        client.post(f"/orders/{order.number}/lines/{their_line.pk}/cancel/", {"quantity": "1"}).status_code
        == 404
    )


def test_cancelled_paid_order_shows_refund_due_not_outstanding(seller) -> None:
    order = drive(seller, pickup_order(seller), to="paid", paid=Decimal("10.00"))
    services.order_cancel(
        seller_id=seller.pk, number=order.number, actor=actor(seller), reason="out_of_stock"
    )
    page = login(staff(seller, "viewer")).get(f"/orders/{order.number}/").content.decode()
    assert "Refund due" in page
    assert "<dt>Outstanding</dt><dd>€0.00" in page or "Outstanding</dt><dd>0" in page or "€0.00" in page
