"""Deadline settings (R-SLA): owners and administrators edit the seller's policy and days off,
others read it; bad values are form errors and save nothing; a change applies to the deadlines
computed after it, never to those open orders already carry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sellerdesk.accounts.models import Seller
from sellerdesk.orders import services
from sellerdesk.orders.deadlines import DeadlinePolicy
from sellerdesk.orders.models import Order
from sellerdesk.orders.policy import upcoming_days_off
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db

POLICY: dict[str, Any] = {
    "time_zone": "Europe/Berlin",
    "country": "DE",
    "working_days": ["1", "2", "3", "4", "5", "6"],
    "confirm_within_hours": "12",
    "ship_within_business_days": "2",
    "auto_close_days": "20",
    "confirm_miss_action": "flag",
    "ship_miss_action": "cancel",
    "confirm_warn_hours": "2",
    "ship_warn_hours": "12",
    "close_warn_hours": "0",
}


def login(seller: Seller, role: str = "owner") -> Client:
    client = Client()
    client.force_login(staff(seller, role))
    return client


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_owner_and_administrator_change_the_policy_for_new_orders_only(seller: Seller, role: str) -> None:
    before = place(seller)
    client = login(seller, role)
    page = client.get("/settings/deadlines/")
    assert page.status_code == 200 and "Deadline settings" in page.content.decode()
    response = client.post("/settings/deadlines/", POLICY)
    assert response.status_code == 302
    seller.refresh_from_db()
    policy = DeadlinePolicy.of(seller)
    assert (policy.time_zone, policy.country, policy.working_days) == (
        "Europe/Berlin",
        "DE",
        {1, 2, 3, 4, 5, 6},
    )
    assert (seller.confirm_within_hours, seller.ship_within_business_days, seller.auto_close_days) == (
        12,
        2,
        20,
    )
    assert (seller.confirm_miss_action, seller.close_warn_hours) == ("flag", 0)
    # the open order keeps the deadline it was given; a new one gets the new policy
    assert Order.objects.get(pk=before.pk).confirm_by == before.confirm_by
    after = place(seller)
    assert after.confirm_by - after.created_at == dt.timedelta(hours=12)
    assert after.close_by - after.created_at == dt.timedelta(days=20)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("country", "ZZ", "Select a valid choice"),
        ("working_days", [], "This field is required"),
        ("confirm_within_hours", "0", "Confirm-by is 1 to 720 hours."),
        ("ship_within_business_days", "61", "Ship-by is 1 to 60 business days."),
        ("auto_close_days", "abc", "Enter a whole number"),
        ("ship_warn_hours", "-1", "A warning lead time is 0 to 720 hours"),
        ("ship_miss_action", "explode", "Select a valid choice"),
    ],
)
def test_a_bad_value_is_a_form_error_on_its_field_and_saves_nothing(
    seller: Seller, field: str, value: Any, message: str
) -> None:
    response = login(seller).post("/settings/deadlines/", {**POLICY, field: value})
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body and f'id="id_{field}_error"' in body
    seller.refresh_from_db()
    assert (seller.time_zone, seller.confirm_within_hours) == ("Europe/Moscow", 24)


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_others_read_the_policy_but_cannot_change_it(seller: Seller, role: str) -> None:
    client = login(seller, role)
    page = client.get("/settings/deadlines/").content.decode()
    assert '<fieldset class="plain" disabled>' in page and "Add day off" not in page
    assert "Europe/Moscow" in page
    assert client.post("/settings/deadlines/", POLICY).status_code == 403
    assert client.post("/settings/deadlines/days-off/", {"day": "2099-01-02"}).status_code == 403
    seller.refresh_from_db()
    assert seller.time_zone == "Europe/Moscow" and seller.days_off == []


def test_days_off_are_added_and_removed_and_ship_by_skips_them(seller: Seller) -> None:
    client = login(seller)
    today = timezone.now().astimezone(DeadlinePolicy.of(seller).tz).date()
    day = DeadlinePolicy.of(seller).add_business_days(today, 1)  # the next working day
    assert client.post("/settings/deadlines/days-off/", {"day": day.isoformat()}).status_code == 302
    seller.refresh_from_db()
    assert seller.days_off == [day.isoformat()]
    upcoming = upcoming_days_off(seller, today=today)
    assert any(h.day == day and h.own for h in upcoming)
    assert day.strftime("%Y-%m-%d") in client.get("/settings/deadlines/").content.decode()
    # again, or in the past: a form error
    again = client.post("/settings/deadlines/days-off/", {"day": day.isoformat()})
    assert again.status_code == 422 and "That day is a day off already." in again.content.decode()
    past = client.post("/settings/deadlines/days-off/", {"day": (today - dt.timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "A day off in the past changes nothing." in past.content.decode()
    # an order confirmed now is due one working day later than without the day off
    order = place(seller)
    services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    confirmed = Order.objects.get(pk=order.pk)
    policy = DeadlinePolicy.of(seller)
    assert confirmed.ship_by == policy.ship_by(confirmed.confirmed_at)  # type: ignore[arg-type]
    without = dataclasses.replace(policy, days_off=frozenset()).ship_by(confirmed.confirmed_at)  # type: ignore[arg-type]
    assert confirmed.ship_by is not None and confirmed.ship_by > without
    removed = client.post("/settings/deadlines/days-off/remove/", {"day": day.isoformat()})
    assert removed.status_code == 302
    seller.refresh_from_db()
    assert seller.days_off == []
    unknown = client.post("/settings/deadlines/days-off/remove/", {"day": day.isoformat()})
    assert unknown.status_code == 422 and "not one of your days off" in unknown.content.decode()


def test_the_page_shows_the_coming_public_holidays(make_seller) -> None:  # type: ignore[no-untyped-def]
    seller = make_seller(country="DE", time_zone="Europe/Berlin")
    upcoming = upcoming_days_off(seller, today=dt.date(2026, 12, 1))
    assert [(h.day, h.own) for h in upcoming][:2] == [
        (dt.date(2026, 12, 25), False),
        (dt.date(2026, 12, 26), False),
    ]
    assert "Christmas" in upcoming[0].name


def test_the_api_reads_the_policy_of_the_keys_seller(seller: Seller, other_seller: Seller, api: Any) -> None:
    Seller.objects.filter(pk=other_seller.pk).update(time_zone="Europe/Berlin", country="DE")
    login(seller).post("/settings/deadlines/", {**POLICY, "time_zone": "Asia/Yekaterinburg", "country": "RU"})
    r = api.get("/deadline-policy")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["time_zone"], body["country"], body["working_days"]) == (
        "Asia/Yekaterinburg",
        "RU",
        [1, 2, 3, 4, 5, 6],
    )
    assert (body["confirm_within_hours"], body["confirm_miss_action"], body["close_warn_hours"]) == (
        12,
        "flag",
        0,
    )
    assert all({"day", "name", "own"} <= set(d) for d in body["upcoming_days_off"])
