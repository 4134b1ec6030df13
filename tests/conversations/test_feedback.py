"""Feedback (R-NOTE-5): the customer rates a delivered order 1–5 through their link, may change it
for a while; the seller sends ONE reminder; the rating feeds the metrics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sellerdesk.conversations.models import Feedback, Thread
from sellerdesk.conversations.rules import FEEDBACK_EDIT_DAYS
from sellerdesk.metrics.definitions import Metric, Standing
from sellerdesk.metrics.selectors import seller_metrics
from sellerdesk.orders.models import OrderEvent
from sellerdesk.outbox.models import OutboxEvent
from tests.conftest import place, staff

from .conftest import delivered, logged_in, staff_writes

pytestmark = pytest.mark.django_db


def test_feedback_opens_only_once_the_order_is_delivered(seller, client) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    thread = staff_writes(seller, order)
    page = client.get(f"/m/{thread.token}/").content.decode()
    assert "Rate your order" not in page
    resp = client.post(f"/m/{thread.token}/feedback/", {"rating": "5"})
    assert resp.status_code == 409 and "once the order has been delivered" in resp.content.decode()
    assert not Feedback.objects.exists()


def test_the_customer_rates_once_and_may_change_it_for_a_while(seller, client, manager_client) -> None:  # type: ignore[no-untyped-def]
    order = delivered(seller)
    thread = staff_writes(seller, order)
    assert "Rate your order" in client.get(f"/m/{thread.token}/").content.decode()
    resp = client.post(f"/m/{thread.token}/feedback/", {"rating": "4", "review": "Nice mug"})
    assert resp.status_code == 302
    fb = Feedback.objects.get(order=order)
    assert (fb.rating, fb.review, fb.customer_id) == (4, "Nice mug", order.customer_id)
    client.post(f"/m/{thread.token}/feedback/", {"rating": "5", "review": "Even better"})
    assert Feedback.objects.get(order=order).rating == 5 and Feedback.objects.count() == 1
    events = list(
        OrderEvent.objects.filter(order=order, type="feedback_received").values_list("data", flat=True)
    )
    assert events == [{"rating": 4, "edited": False}, {"rating": 5, "edited": True}]
    page = manager_client.get(f"/orders/{order.number}/").content.decode()
    assert 'data-rating="5"' in page and "Even better" in page
    # After the window the feedback is final.
    Feedback.objects.filter(order=order).update(
        created_at=timezone.now() - dt.timedelta(days=FEEDBACK_EDIT_DAYS + 1)
    )
    resp = client.post(f"/m/{thread.token}/feedback/", {"rating": "1"})
    assert resp.status_code == 409 and Feedback.objects.get(order=order).rating == 5


@pytest.mark.parametrize("rating", ["0", "6", "", "five", "4.5"])
def test_a_rating_outside_one_to_five_is_a_form_error(seller, client, rating: str) -> None:  # type: ignore[no-untyped-def]
    thread = staff_writes(seller, delivered(seller))
    resp = client.post(f"/m/{thread.token}/feedback/", {"rating": rating})
    assert resp.status_code == 422 and "from 1 to 5" in resp.content.decode()
    assert not Feedback.objects.exists()


def test_one_reminder_then_refused_with_the_reason(seller, manager_client) -> None:  # type: ignore[no-untyped-def]
    order = delivered(seller)
    resp = manager_client.post(f"/orders/{order.number}/feedback/remind/", follow=True)
    assert "Feedback reminder sent" in resp.content.decode()
    thread = Thread.objects.get(order=order)
    assert thread.feedback_reminded_at is not None
    assert OutboxEvent.objects.filter(order_id=order.pk, type="feedback_reminder_sent").count() == 1
    resp = manager_client.post(f"/orders/{order.number}/feedback/remind/", follow=True)
    assert (
        "A reminder was already sent" in resp.content.decode()
        and "only one is allowed" in resp.content.decode()
    )
    assert OrderEvent.objects.filter(order=order, type="feedback_reminder_sent").count() == 1


def test_no_reminder_before_delivery_nor_after_feedback_nor_by_a_viewer(seller, client) -> None:  # type: ignore[no-untyped-def]
    manager = logged_in(staff(seller, "manager"))
    early = place(seller)
    resp = manager.post(f"/orders/{early.number}/feedback/remind/", follow=True)
    assert "once the order has been delivered" in resp.content.decode()
    done = delivered(seller)
    thread = staff_writes(seller, done)
    client.post(f"/m/{thread.token}/feedback/", {"rating": "3"})
    resp = manager.post(f"/orders/{done.number}/feedback/remind/", follow=True)
    assert "already left feedback" in resp.content.decode()
    other = delivered(seller)
    assert (
        logged_in(staff(seller, "viewer")).post(f"/orders/{other.number}/feedback/remind/").status_code == 403
    )
    assert not OrderEvent.objects.filter(type="feedback_reminder_sent").exists()


def test_the_api_reads_the_feedback_within_the_seller(seller, other_seller, api_for, client) -> None:  # type: ignore[no-untyped-def]
    order = delivered(seller)
    api = api_for(seller, "viewer")
    assert api.get(f"/orders/{order.number}/feedback").json() == {
        "rating": None,
        "review": "",
        "left_at": None,
        "updated_at": None,
        "open": True,
        "reminder_sent_at": None,
    }
    thread = staff_writes(seller, order)
    client.post(f"/m/{thread.token}/feedback/", {"rating": "2", "review": "Late"})
    body = api.get(f"/orders/{order.number}/feedback").json()
    assert (body["rating"], body["review"]) == (2, "Late")
    resp = api_for(other_seller, "owner").get(f"/orders/{order.number + 1}/feedback")
    assert resp.status_code == 404


def _leave(order, stars: int, days_ago: float) -> None:  # type: ignore[no-untyped-def]
    at = timezone.now() - dt.timedelta(days=days_ago)
    Feedback.objects.create(
        order=order, seller=order.seller, customer=order.customer, rating=stars, created_at=at, updated_at=at
    )


def test_the_feedback_rating_metric_by_hand(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    # 7 days: 5, 4, 2 → 11/3 = 3.666… → 3.67 (below the 4-star limit: breach).
    # 30 days: + 5 and 5 (10 and 20 days ago) → 21/5 = 4.20 (at most 4.25: warning).
    # 90 days: + 1 (60 days ago) → 22/6 = 3.666… → 3.67. Not counted: a test order's 1 star
    # (2 days ago), another seller's 1 star, feedback older than 90 days.
    test_order = delivered(seller, is_test=True)  # test orders only before the first real one
    _leave(test_order, 1, 2)
    for stars, days in [(5, 1), (4, 3), (2, 6.5), (5, 10), (5, 20), (1, 60), (1, 120)]:
        _leave(delivered(seller), stars, days)
    _leave(delivered(other_seller), 1, 1)
    report = next(r for r in seller_metrics(seller) if r.metric == Metric.FEEDBACK)
    w = {days: (r.value, r.count, r.status) for days, r in report.windows.items()}
    assert w[7] == (Decimal("3.67"), 3, Standing.BREACH)
    assert w[30] == (Decimal("4.20"), 5, Standing.WARNING)
    assert w[90] == (Decimal("3.67"), 6, Standing.BREACH)
    # The weekly series: the latest week holds the same three as the 7-day window.
    assert report.series[-1].reading.value == Decimal("3.67")
    assert report.series[0].reading.value is None  # 13 weeks ago: no feedback, "no data"


def test_the_tracking_page_leads_to_the_conversation_and_its_feedback_form(seller, client) -> None:  # type: ignore[no-untyped-def]
    order = delivered(seller)
    page = client.get(f"/track/{order.tracking_token}/").content.decode()
    assert "Rate or write" in page
    resp = client.post(f"/track/{order.tracking_token}/conversation/")
    thread = Thread.objects.get(order=order)
    assert resp.status_code == 302 and resp["Location"] == f"/m/{thread.token}/"
    assert client.post(f"/track/{order.tracking_token}/conversation/")["Location"] == f"/m/{thread.token}/"
    assert Thread.objects.count() == 1
    assert "Rate your order" in client.get(resp["Location"]).content.decode()
    assert client.post("/track/" + "x" * 32 + "/conversation/").status_code == 404
    assert client.get(f"/track/{order.tracking_token}/")["Referrer-Policy"] == "same-origin"
