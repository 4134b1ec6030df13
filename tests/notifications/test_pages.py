"""The bell, the alerts page, the notification settings, the order's delivery log and its API
(R-NOTE-1, R-NOTE-3): what each shows, to whom, tenancy and roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from sellerdesk.notifications import deliveries
from sellerdesk.notifications.models import Alert, Delivery, DeliveryStatus, StaffSettings
from tests.conftest import place, staff

pytestmark = pytest.mark.django_db


def client_for(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def alert_for(seller, role: str, title: str, order=None) -> Alert:  # type: ignore[no-untyped-def]
    user = staff(seller, role)
    with transaction.atomic():
        d = deliveries.queue(
            key=f"test:{title}:{user.pk}",
            channel="inapp",
            to=str(user.pk),
            subject=title,
            body="",
            seller_id=seller.pk,
            order_id=order.pk if order else None,
            user_id=user.pk,
            kind="new_order",
        )
    assert d is not None
    deliveries.send(d.pk)
    return Alert.objects.get(delivery=d)


def test_the_bell_counts_my_unread_alerts_and_is_polled(seller) -> None:
    order = place(seller)
    alert_for(seller, "manager", "New order #1", order)
    alert_for(seller, "manager", "New order #2", order)
    alert_for(seller, "owner", "Someone else's")
    html = client_for(seller).get("/").content.decode()
    assert 'class="bell-count">2<' in html
    assert 'hx-get="/notifications/bell/"' in html and 'hx-trigger="every 15s"' in html
    fragment = client_for(seller).get("/notifications/bell/").content.decode()
    assert fragment.startswith('<a id="bell"') and 'class="bell-count">2<' in fragment


def test_the_alerts_page_lists_mine_and_marks_them_read(seller) -> None:
    order = place(seller)
    mine = alert_for(seller, "manager", "New order here", order)
    alert_for(seller, "owner", "Not for the manager")
    client = client_for(seller)
    html = client.get("/notifications/").content.decode()
    assert "New order here" in html and "Not for the manager" not in html
    r = client.post(f"/notifications/{mine.pk}/read/", {"open": "1"})
    assert r.status_code == 302 and r["Location"] == f"/orders/{order.number}/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'class="bell-count"' not in client.get("/notifications/bell/").content.decode()


def test_mark_all_read(seller) -> None:
    alert_for(seller, "manager", "a")
    alert_for(seller, "manager", "b")
    client_for(seller).post("/notifications/")
    assert not Alert.objects.filter(read_at__isnull=True).exists()


def test_another_persons_alert_is_not_found(seller, other_seller) -> None:
    colleague = alert_for(seller, "owner", "the owner's")
    foreign = alert_for(other_seller, "manager", "theirs")
    client = client_for(seller)
    assert client.post(f"/notifications/{colleague.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{foreign.pk}/read/").status_code == 404
    assert Alert.objects.filter(read_at__isnull=False).count() == 0


def test_settings_show_the_defaults_and_save_the_choice(seller) -> None:
    client = client_for(seller, "owner")
    html = client.get("/settings/notifications/").content.decode()
    assert 'name="new_order-email" id="id_new_order-email" checked' in html
    assert 'name="new_order-push" id="id_new_order-push">' in html
    r = client.post(
        "/settings/notifications/",
        {"new_order-inapp": "on", "assigned-sms": "on", "phone": "+49 151 12345678", "language": "ru"},
    )
    assert r.status_code == 302
    s = StaffSettings.objects.get(user=staff(seller, "owner"))
    assert s.phone == "+4915112345678" and s.language == "ru"
    assert s.channels["new_order"] == ["inapp"] and s.channels["assigned"] == ["sms"]
    assert s.channels["deadline_warning"] == []


def test_a_bad_phone_or_sms_without_a_phone_is_a_form_error(seller) -> None:
    client = client_for(seller)
    r = client.post("/settings/notifications/", {"phone": "12", "language": "en"})
    assert r.status_code == 422 and "This is not a valid phone number." in r.content.decode()
    r = client.post("/settings/notifications/", {"assigned-sms": "on", "phone": "", "language": "en"})
    assert r.status_code == 422 and "SMS needs a phone number." in r.content.decode()
    r = client.post("/settings/notifications/", {"phone": "", "language": "xx"})
    assert r.status_code == 422
    assert not StaffSettings.objects.exists()


def _failed_delivery(seller, order) -> Delivery:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        d = deliveries.queue(
            key=f"test:{order.pk}:fail",
            channel="email",
            to="owner@north.test",
            subject=f"New order #{order.number}",
            body="…",
            seller_id=seller.pk,
            order_id=order.pk,
            user_id=staff(seller, "owner").pk,
            kind="new_order",
        )
    assert d is not None
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.FAILED, attempts=5, last_error="451")
    return Delivery.objects.get(pk=d.pk)


def test_the_order_page_shows_its_delivery_log_and_an_admin_resends_a_failed_one(seller, smtp_server) -> None:
    order = place(seller)
    failed = _failed_delivery(seller, order)
    html = client_for(seller, "administrator").get(f"/orders/{order.number}/").content.decode()
    assert 'id="deliveries"' in html and "owner@north.test" in html and "Failed" in html
    resend_url = f"/orders/{order.number}/deliveries/{failed.pk}/resend/"
    assert f'action="{resend_url}"' in html
    # a manager sees the log but no resend button, and may not resend
    manager_html = client_for(seller, "manager").get(f"/orders/{order.number}/").content.decode()
    assert "owner@north.test" in manager_html and resend_url not in manager_html
    assert client_for(seller, "viewer").post(resend_url).status_code == 403
    assert client_for(seller, "manager").post(resend_url).status_code == 403
    assert Delivery.objects.count() == 1
    r = client_for(seller, "administrator").post(resend_url)
    assert r.status_code == 302 and r["Location"].endswith("#deliveries")
    copy = Delivery.objects.get(resent_from=failed)
    assert deliveries.send_due() == 1
    assert [m["To"] for m in smtp_server.messages] == ["owner@north.test"]
    copy.refresh_from_db()
    assert copy.status == DeliveryStatus.SENT
    # a sent one cannot be resent: a message, nothing queued
    r = client_for(seller, "administrator").post(
        f"/orders/{order.number}/deliveries/{copy.pk}/resend/", follow=True
    )
    assert "Only a failed delivery or one of unknown outcome can be resent." in r.content.decode()
    assert Delivery.objects.count() == 2


def test_a_delivery_stuck_in_sending_shows_as_unknown_and_can_be_resent(seller, settings) -> None:
    order = place(seller)
    d = _failed_delivery(seller, order)
    Delivery.objects.filter(pk=d.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    html = client_for(seller, "owner").get(f"/orders/{order.number}/").content.decode()
    assert "Unknown outcome" in html
    assert (
        client_for(seller, "owner").post(f"/orders/{order.number}/deliveries/{d.pk}/resend/").status_code
        == 302
    )
    d.refresh_from_db()
    assert d.status == DeliveryStatus.UNKNOWN
    assert Delivery.objects.filter(resent_from=d).exists()


def test_resend_of_another_sellers_or_another_orders_delivery_is_not_found(seller, other_seller) -> None:
    mine = place(seller)
    other_order = place(seller)
    theirs = place(other_seller)
    their_delivery = _failed_delivery(other_seller, theirs)
    my_delivery = _failed_delivery(seller, mine)
    client = client_for(seller, "owner")
    assert client.post(f"/orders/{theirs.number}/deliveries/{their_delivery.pk}/resend/").status_code == 404
    assert client.post(f"/orders/{mine.number}/deliveries/{their_delivery.pk}/resend/").status_code == 404
    assert client.post(f"/orders/{other_order.number}/deliveries/{my_delivery.pk}/resend/").status_code == 404
    assert Delivery.objects.count() == 2


def test_the_api_lists_an_orders_deliveries_within_the_seller(seller, other_seller, api, api_for) -> None:
    order = place(seller)
    _failed_delivery(seller, order)
    r = api.get(f"/orders/{order.number}/deliveries")
    assert r.status_code == 200
    (row,) = r.json()
    assert row["channel"] == "email" and row["status"] == "failed" and row["to"] == "owner@north.test"
    assert row["kind"] == "new_order" and row["attempts"] == 5
    assert api_for(seller, "viewer").get(f"/orders/{order.number}/deliveries").status_code == 200
    r = api_for(other_seller).get(f"/orders/{order.number}/deliveries")
    assert r.status_code == 404 and r["Content-Type"] == "application/problem+json"
