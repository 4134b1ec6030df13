"""The webhook settings pages (R-NOTE-7): owner and administrator only, the secret shown once, form
errors for refused URLs, the delivery log with response codes, replay, disable and the notice when
the system disabled a webhook; another seller's ids are 404."""

from __future__ import annotations

import pytest
from django.test import Client

from sellerdesk.webhooks import sending
from sellerdesk.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.conftest import place, staff

from .conftest import drain, subscribe, verify

pytestmark = pytest.mark.django_db


def client_of(seller, role: str = "owner") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def test_add_an_endpoint_shows_the_secret_once(seller, httpserver) -> None:
    httpserver.expect_request("/h").respond_with_data("ok")
    client = client_of(seller)
    assert client.get("/settings/webhooks/").status_code == 200
    resp = client.post(
        "/settings/webhooks/",
        {
            "url": httpserver.url_for("/h"),
            "description": "ERP",
            "event_types": ["order_placed", "order_shipped"],
        },
    )
    assert resp.status_code == 201
    sub = WebhookSubscription.objects.get()
    secret = resp.context["secret"]
    assert secret.startswith("whsec_") and secret in resp.content.decode()
    assert sub.event_types == ["order_placed", "order_shipped"] and sub.description == "ERP"
    again = client.get(f"/settings/webhooks/{sub.pk}/")
    assert again.status_code == 200 and secret not in again.content.decode()

    # test-send is queued, the worker sends it, the log shows the code
    resp = client.post(f"/settings/webhooks/{sub.pk}/test/")
    assert resp.status_code == 302 and not httpserver.log  # nothing sent inside the request
    sending.send_due()
    request, _ = httpserver.log[0]
    assert verify(secret, request.headers, request.get_data())
    assert request.get_json()["type"] == "webhook.test"
    page = client.get(f"/settings/webhooks/{sub.pk}/").content.decode()
    assert "webhook.test" in page and "<strong>200</strong>" in page


def test_a_refused_url_is_a_form_error(seller, settings) -> None:
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    resp = client_of(seller, "administrator").post(
        "/settings/webhooks/", {"url": "https://169.254.169.254/x", "event_types": ["order_placed"]}
    )
    assert resp.status_code == 422
    assert "link-local" in resp.content.decode() and not WebhookSubscription.objects.exists()
    resp = client_of(seller).post("/settings/webhooks/", {"url": "https://8.8.8.8/x"})
    assert resp.status_code == 422 and resp.context["form"].errors["event_types"]


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_viewer_and_manager_cannot_open_or_manage(seller, role, httpserver) -> None:
    sub = subscribe(seller, httpserver.url_for("/h")).subscription
    client = client_of(seller, role)
    answers = [
        client.get("/settings/webhooks/"),
        client.post(
            "/settings/webhooks/", {"url": httpserver.url_for("/h"), "event_types": ["order_placed"]}
        ),
        client.get(f"/settings/webhooks/{sub.pk}/"),
        client.post(f"/settings/webhooks/{sub.pk}/toggle/", {"enable": "0"}),
        client.post(f"/settings/webhooks/{sub.pk}/rotate/"),
        client.post(f"/settings/webhooks/{sub.pk}/delete/"),
    ]
    assert [r.status_code for r in answers] == [403] * len(answers)
    assert WebhookSubscription.objects.filter(is_active=True).count() == 1
    assert "/settings/webhooks/" not in client.get("/").content.decode()  # not offered in the menu


def test_another_sellers_webhook_is_not_found(seller, other_seller, httpserver) -> None:
    httpserver.expect_request("/h").respond_with_data("ok")
    theirs = subscribe(other_seller, httpserver.url_for("/h")).subscription
    mine = subscribe(seller, httpserver.url_for("/h")).subscription
    place(other_seller)
    drain()
    their_delivery = WebhookDelivery.objects.get()
    client = client_of(seller)
    answers = [
        client.get(f"/settings/webhooks/{theirs.pk}/"),
        client.post(
            f"/settings/webhooks/{theirs.pk}/", {"url": "https://8.8.8.8/", "event_types": ["order_placed"]}
        ),
        client.post(f"/settings/webhooks/{theirs.pk}/toggle/", {"enable": "0"}),
        client.post(f"/settings/webhooks/{theirs.pk}/test/"),
        client.post(f"/settings/webhooks/{theirs.pk}/rotate/"),
        client.post(f"/settings/webhooks/{theirs.pk}/delete/"),
        client.post(f"/settings/webhooks/{theirs.pk}/deliveries/{their_delivery.pk}/replay/"),
        client.post(f"/settings/webhooks/{mine.pk}/deliveries/{their_delivery.pk}/replay/"),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.url == httpserver.url_for("/h")
    assert WebhookDelivery.objects.count() == 1  # no test delivery queued for them
    assert httpserver.url_for("/h") not in client.get("/settings/webhooks/").content.decode().replace(
        mine.url, ""
    )


def test_the_log_shows_codes_replay_and_the_notice_after_410(seller, httpserver) -> None:
    httpserver.expect_ordered_request("/h").respond_with_data("try later", status=500)
    httpserver.expect_ordered_request("/h").respond_with_data("gone", status=410)
    sub = subscribe(seller, httpserver.url_for("/h")).subscription
    order = place(seller)
    drain()
    sending.send_due()
    delivery = WebhookDelivery.objects.get()
    client = client_of(seller)
    page = client.get(f"/settings/webhooks/{sub.pk}/").content.decode()
    assert "<strong>500</strong>" in page and "try later" in page and f"Order {order.number}" in page

    resp = client.post(f"/settings/webhooks/{sub.pk}/deliveries/{delivery.pk}/replay/")
    assert resp.status_code == 302
    sending.send_due()
    assert [r.headers["webhook-id"] for r, _ in httpserver.log] == [delivery.message_id] * 2
    sub.refresh_from_db()
    assert not sub.is_active and sub.disabled_reason == "gone"
    listing = client.get("/settings/webhooks/").content.decode()
    assert "410 Gone" in listing and 'role="alert"' in listing  # the seller's notice
    assert f"/settings/webhooks/{sub.pk}/" in client.get("/").content.decode()  # also on the home page
    assert "A webhook was disabled" not in client_of(seller, "manager").get("/").content.decode()

    resp = client.post(f"/settings/webhooks/{sub.pk}/toggle/", {"enable": "1"})
    sub.refresh_from_db()
    assert resp.status_code == 302 and sub.is_active and sub.disabled_reason == ""


def test_rotate_shows_the_new_secret_and_delete_removes(seller, httpserver) -> None:
    old = subscribe(seller, httpserver.url_for("/h"))
    client = client_of(seller)
    resp = client.post(f"/settings/webhooks/{old.subscription.pk}/rotate/")
    assert resp.status_code == 200
    new = resp.context["secret"]
    assert new != old.secret and new in resp.content.decode()
    assert "two signatures" in resp.content.decode()
    assert client.post(f"/settings/webhooks/{old.subscription.pk}/delete/").status_code == 302
    assert not WebhookSubscription.objects.exists()
