"""/api/v1/webhooks (R-NOTE-7): CRUD, rotation and replay with the API's rules — problem+json,
idempotency, tenancy (another seller's ids are 404) and roles (owner and administrator only)."""

from __future__ import annotations

import pytest

from sellerdesk.webhooks import sending
from sellerdesk.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.conftest import place

from .conftest import drain, subscribe, verify

pytestmark = pytest.mark.django_db

TYPES = ["order_placed", "shipment_created"]


def test_create_shows_the_secret_once_and_the_list_never(seller, api_for, httpserver) -> None:
    api = api_for(seller, "owner")
    resp = api.post(
        "/webhooks", {"url": httpserver.url_for("/h"), "event_types": TYPES, "description": "ERP"}
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["secret"].startswith("whsec_") and body["event_types"] == sorted(TYPES)
    assert body["is_active"] and body["previous_secret_valid_until"] is None
    listed = api.get("/webhooks").json()
    assert [w["id"] for w in listed] == [body["id"]] and "secret" not in listed[0]
    assert body["secret"] not in api.get(f"/webhooks/{body['id']}").content.decode()
    # the stored value is encrypted, not the secret itself
    assert body["secret"] not in WebhookSubscription.objects.get().secret_encrypted


def test_create_is_idempotent(seller, api_for, httpserver) -> None:
    api = api_for(seller, "administrator")
    payload = {"url": httpserver.url_for("/h"), "event_types": TYPES}
    first = api.post("/webhooks", payload, headers={"Idempotency-Key": "k1"})
    again = api.post("/webhooks", payload, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and WebhookSubscription.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "types", "code"),
    [
        ("https://169.254.169.254/latest", TYPES, "webhook_url_refused"),
        ("https://10.0.0.1/h", TYPES, "webhook_url_refused"),
        ("https://no-such-host.invalid/h", TYPES, "webhook_url_refused"),
        ("https://8.8.8.8/h", ["no_such_event"], "validation_error"),
        ("https://8.8.8.8/h", [], "validation_error"),
        ("not a url", TYPES, "validation_error"),
    ],
)
def test_refused_input_is_a_422_problem(seller, api_for, url, types, code) -> None:
    resp = api_for(seller, "owner").post("/webhooks", {"url": url, "event_types": types})
    assert resp.status_code == 422 and resp["Content-Type"] == "application/problem+json"
    assert resp.json()["code"] == code
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_viewer_and_manager_keys_cannot_see_or_manage_webhooks(seller, api_for, role, httpserver) -> None:
    sub = subscribe(seller, httpserver.url_for("/h")).subscription
    api = api_for(seller, role)
    answers = [
        api.get("/webhooks"),
        api.get(f"/webhooks/{sub.pk}"),
        api.post("/webhooks", {"url": "https://8.8.8.8/h", "event_types": TYPES}),
        api.patch(f"/webhooks/{sub.pk}", {"is_active": False}),
        api.post(f"/webhooks/{sub.pk}/rotate"),
        api.delete(f"/webhooks/{sub.pk}"),
        api.get(f"/webhooks/{sub.pk}/deliveries"),
    ]
    assert [r.status_code for r in answers] == [403] * len(answers)
    assert WebhookSubscription.objects.get().is_active


def test_another_sellers_webhook_and_delivery_are_not_found(
    seller, other_seller, api_for, httpserver
) -> None:
    httpserver.expect_request("/h").respond_with_data("ok")
    mine = subscribe(seller, httpserver.url_for("/h")).subscription
    theirs = subscribe(other_seller, httpserver.url_for("/h")).subscription
    place(other_seller)
    drain()
    their_delivery = WebhookDelivery.objects.get(subscription=theirs)
    their_secret = theirs.secret_encrypted
    api = api_for(seller, "owner")
    answers = [
        api.get(f"/webhooks/{theirs.pk}"),
        api.patch(f"/webhooks/{theirs.pk}", {"is_active": False}),
        api.post(f"/webhooks/{theirs.pk}/rotate"),
        api.delete(f"/webhooks/{theirs.pk}"),
        api.get(f"/webhooks/{theirs.pk}/deliveries"),
        api.post(f"/webhooks/{theirs.pk}/deliveries/{their_delivery.pk}/replay"),
        api.post(f"/webhooks/{mine.pk}/deliveries/{their_delivery.pk}/replay"),
    ]
    assert [r.status_code for r in answers] == [404] * len(answers)
    assert {r.json()["code"] for r in answers} == {"webhook_not_found", "delivery_not_found"}
    unknown = api.get("/webhooks/999999")
    assert unknown.json()["code"] == answers[0].json()["code"]
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.secret_encrypted == their_secret  # not disabled, not rotated
    assert WebhookDelivery.objects.get(pk=their_delivery.pk).replay_pending is False  # not replayed


def test_patch_rotate_replay_and_delete(seller, api_for, httpserver) -> None:
    httpserver.expect_request("/h").respond_with_data("ok")
    api = api_for(seller, "owner")
    created = api.post("/webhooks", {"url": httpserver.url_for("/h"), "event_types": ["order_placed"]}).json()
    wid = created["id"]
    place(seller)
    drain()
    sending.send_due()
    deliveries = api.get(f"/webhooks/{wid}/deliveries").json()
    assert len(deliveries) == 1 and deliveries[0]["status"] == "delivered"
    assert deliveries[0]["attempt_log"][0]["status_code"] == 200

    rotated = api.post(f"/webhooks/{wid}/rotate")
    assert rotated.status_code == 200 and rotated.json()["secret"] != created["secret"]
    assert rotated.json()["previous_secret_valid_until"] is not None

    replay = api.post(f"/webhooks/{wid}/deliveries/{deliveries[0]['id']}/replay")
    assert replay.status_code == 202 and replay.json()["status"] == "pending"
    sending.send_due()
    first, second = (r for r, _ in httpserver.log)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert verify(created["secret"], second.headers, second.get_data())
    assert verify(rotated.json()["secret"], second.headers, second.get_data())

    off = api.patch(f"/webhooks/{wid}", {"is_active": False, "description": "paused"})
    assert off.status_code == 200 and off.json()["disabled_reason"] == "manual"
    refused = api.post(f"/webhooks/{wid}/deliveries/{deliveries[0]['id']}/replay")
    assert refused.status_code == 409 and refused.json()["code"] == "webhook_disabled"
    on = api.patch(f"/webhooks/{wid}", {"is_active": True, "event_types": ["order_confirmed"]})
    assert on.json()["is_active"] and on.json()["event_types"] == ["order_confirmed"]
    bad = api.patch(f"/webhooks/{wid}", {"url": "https://127.0.0.2.nip.invalid/x"})
    assert bad.status_code == 422

    assert api.delete(f"/webhooks/{wid}").status_code == 204
    assert not WebhookSubscription.objects.exists() and not WebhookDelivery.objects.exists()
