"""Complaints against customers (R-NOTE-6, R-SEC-2, R-PROC-8): signed by the seller, seen by every
seller of the marketplace on the customer panel of that customer identity; the operator hides
abusive ones (they vanish for sellers and stay with who hid them); a viewer cannot file one."""

from __future__ import annotations

import pytest

from sellerdesk.accounts.models import Marketplace, Seller, User
from sellerdesk.conversations.models import Complaint
from sellerdesk.orders.models import OrderEvent
from tests.conftest import place, staff

from .conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(marketplace: Marketplace) -> User:
    return User.objects.create_user(email="operator@market.test", password="pw", operator_of=marketplace)


def _file(seller: Seller, number: int, kind: str = "not_paid", comment: str = "Never paid, ignored calls"):  # type: ignore[no-untyped-def]
    client = logged_in(staff(seller, "manager"))
    return client.post(f"/orders/{number}/complaints/", {"kind": kind, "comment": comment}, follow=True)


def test_a_complaint_is_signed_and_seen_by_every_seller_of_that_customer(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    mine = place(seller, name="Ivan Payless", email="ivan@example.com")
    theirs = place(other_seller, name="Ivan P.", email="ivan@example.com")  # the same identity
    assert mine.customer_id == theirs.customer_id
    resp = _file(seller, mine.number)
    assert "Complaint filed" in resp.content.decode()
    complaint = Complaint.objects.get()
    assert (complaint.seller_id, complaint.author_label, complaint.kind) == (
        seller.pk,
        "manager@north.test",
        "not_paid",
    )
    assert OrderEvent.objects.filter(order=mine, type="complaint_filed").count() == 1
    page = logged_in(staff(other_seller, "viewer")).get(f"/orders/{theirs.number}/").content.decode()
    assert "Never paid, ignored calls" in page and "Did not pay" in page
    assert "North" in page and "manager@north.test" in page  # signed: store and author
    assert 'data-count="complaints">1<' in page


def test_a_complaint_needs_a_listed_type_and_a_comment(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    assert "Choose a type" in _file(seller, order.number, kind="made_up").content.decode()
    assert "Say what happened" in _file(seller, order.number, comment="  ").content.decode()
    assert "control character" in _file(seller, order.number, comment="a\x00b").content.decode()
    assert not Complaint.objects.exists()


def test_a_viewer_cannot_file_a_complaint_and_another_sellers_order_is_404(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    viewer = logged_in(staff(seller, "viewer"))
    assert (
        viewer.post(f"/orders/{order.number}/complaints/", {"kind": "abusive", "comment": "x"}).status_code
        == 403
    )
    assert "File a complaint" not in viewer.get(f"/orders/{order.number}/").content.decode()
    place(other_seller)
    theirs = place(other_seller)  # number 1002: none at `seller`
    owner = logged_in(staff(seller, "owner"))
    resp = owner.post(f"/orders/{theirs.number}/complaints/", {"kind": "abusive", "comment": "x"})
    assert resp.status_code == 404
    assert not Complaint.objects.exists()


def test_the_operator_hides_an_abusive_complaint_and_keeps_who_hid_it(seller, other_seller, operator) -> None:  # type: ignore[no-untyped-def]
    mine = place(seller, email="ivan@example.com")
    theirs = place(other_seller, email="ivan@example.com")
    _file(seller, mine.number, kind="abusive", comment="He is an idiot")
    complaint = Complaint.objects.get()
    op = logged_in(operator)
    listing = op.get("/operator/complaints/").content.decode()
    assert "He is an idiot" in listing and "North" in listing
    resp = op.post(
        f"/operator/complaints/{complaint.pk}/", {"action": "hide", "reason": "insult"}, follow=True
    )
    assert "hidden from sellers" in resp.content.decode()
    complaint.refresh_from_db()
    assert complaint.hidden_by_id == operator.pk and complaint.hidden_reason == "insult"
    for s, number in ((seller, mine.number), (other_seller, theirs.number)):
        page = logged_in(staff(s, "viewer")).get(f"/orders/{number}/").content.decode()
        assert "He is an idiot" not in page and 'data-count="complaints">0<' in page
    listing = op.get("/operator/complaints/").content.decode()
    assert "He is an idiot" in listing and "operator@market.test" in listing and "insult" in listing
    op.post(f"/operator/complaints/{complaint.pk}/", {"action": "show"})
    assert (
        "He is an idiot" in logged_in(staff(other_seller)).get(f"/orders/{theirs.number}/").content.decode()
    )


def test_sellers_and_other_marketplaces_operators_cannot_hide(seller, operator) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    _file(seller, order.number)
    complaint = Complaint.objects.get()
    owner = logged_in(staff(seller, "owner"))
    assert owner.post(f"/operator/complaints/{complaint.pk}/", {"action": "hide"}).status_code == 403
    assert owner.get("/operator/complaints/").status_code == 403
    elsewhere = Marketplace.objects.create(name="Elsewhere", slug="elsewhere")
    stranger = User.objects.create_user(email="op@elsewhere.test", password="pw", operator_of=elsewhere)
    assert (
        logged_in(stranger).post(f"/operator/complaints/{complaint.pk}/", {"action": "hide"}).status_code
        == 404
    )
    assert "Never paid" not in logged_in(stranger).get("/operator/complaints/").content.decode()
    complaint.refresh_from_db()
    assert complaint.hidden_at is None


def test_the_panel_counts_feedback_left_marketplace_wide(seller, other_seller, client) -> None:  # type: ignore[no-untyped-def]
    from .conftest import delivered, staff_writes

    theirs = delivered(other_seller, email="vera@example.com")
    thread = staff_writes(other_seller, theirs)
    client.post(f"/m/{thread.token}/feedback/", {"rating": "5"})
    mine = place(seller, email="vera@example.com")
    page = logged_in(staff(seller)).get(f"/orders/{mine.number}/").content.decode()
    assert 'data-count="feedback">1<' in page
