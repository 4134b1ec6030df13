"""Outgoing webhooks end to end (R-NOTE-7): an event's outbox job fans out to subscriptions, the
periodic sender posts signed requests to a real loopback receiver, retries on schedule, honours
Retry-After, disables on 410 and long failure, replays with the same webhook-id."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Response

from sellerdesk.orders import services as order_services
from sellerdesk.outbox import periodic
from sellerdesk.outbox.worker import OutboxWorker
from sellerdesk.webhooks import schedule, sending, services
from sellerdesk.webhooks.models import DeliveryStatus, DisabledReason, WebhookDelivery, WebhookSubscription
from tests.conftest import actor, place

from .conftest import body_of, drain, subscribe, verify

pytestmark = pytest.mark.django_db


def due_now(delivery: WebhookDelivery) -> None:
    """Advance the clock for one delivery: its next try is due now."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


@pytest.mark.worker_sends
@pytest.mark.django_db(transaction=True)  # the worker's loop manages its own connections
def test_an_order_event_reaches_the_receiver_signed_with_a_versioned_payload(seller, httpserver: HTTPServer):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    created = subscribe(seller, httpserver.url_for("/hook"))
    order = place(seller)
    assert not httpserver.log  # nothing is sent inside the request that placed the order
    for _ in range(3):  # the fan-out job, then the worker's periodic sender (its next period if needed)
        OutboxWorker(batch=True, interval=0).run()
        if httpserver.log:
            break
        time.sleep(periodic.PERIODIC["webhooks"].every.total_seconds())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event_type, delivery.order_number) == ("order_placed", order.number)
    assert len(httpserver.log) == 1
    request, _ = httpserver.log[0]
    assert request.headers["content-type"] == "application/json"
    assert verify(created.secret, request.headers, request.get_data())
    assert not verify(services.signing.new_secret(), request.headers, request.get_data())
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    body = body_of(request)
    event_id = order.events.get(type="order_placed").pk
    assert request.headers["webhook-id"] == body["id"] == f"evt_{event_id}"
    assert body["type"] == "order_placed" and body["version"] == 1 and body["seller"] == seller.pk
    assert body["data"]["order_number"] == order.number and body["data"]["number"] == order.number
    assert dt.datetime.fromisoformat(body["timestamp"])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.last_status_code == 200
    attempt = delivery.attempt_log.get()
    assert attempt.status_code == 200 and attempt.response_body == "ok" and not attempt.error


def test_only_matching_active_subscriptions_of_the_sellers_get_a_delivery(seller, other_seller, httpserver):
    url = httpserver.url_for("/x")
    confirmed_only = subscribe(seller, url, ["order_confirmed"]).subscription
    placed = subscribe(seller, url, ["order_placed"]).subscription
    disabled = subscribe(seller, url, ["order_placed"]).subscription
    services.subscription_update(
        seller_id=seller.pk, actor=actor(seller, "owner"), webhook_id=disabled.pk, is_active=False
    )
    theirs = subscribe(other_seller, url, ["order_placed"]).subscription
    place(seller)
    drain()
    assert list(WebhookDelivery.objects.values_list("subscription_id", flat=True)) == [placed.pk]
    assert not WebhookDelivery.objects.filter(subscription__in=[confirmed_only, disabled, theirs]).exists()


def test_an_event_nobody_subscribed_to_queues_no_fan_out_job(seller, other_seller, httpserver):
    """The outbox asks the webhooks app which events of a write have a subscriber (one query), so
    a seller without subscriptions pays no job per event (R-NOTE-7)."""
    from sellerdesk.outbox.handlers import handler_path
    from sellerdesk.outbox.models import OutboxJob
    from sellerdesk.webhooks.handlers import fan_out

    fan = handler_path(fan_out)
    subscribe(other_seller, httpserver.url_for("/x"), ["order_placed"])
    place(seller)
    assert not OutboxJob.objects.filter(handler=fan).exists()
    subscribe(seller, httpserver.url_for("/x"), ["order_confirmed"])
    order = place(seller)
    assert not OutboxJob.objects.filter(handler=fan).exists()  # order_placed: not asked for
    order_services.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    assert list(OutboxJob.objects.filter(handler=fan).values_list("event__type", flat=True)) == [
        "order_confirmed"
    ]


def test_a_failing_receiver_is_retried_on_schedule_and_retry_after_is_honoured(seller, httpserver):
    created = subscribe(seller, httpserver.url_for("/hook"))
    httpserver.expect_ordered_request("/hook").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/hook").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3600"})
    )
    httpserver.expect_ordered_request("/hook").respond_with_data("", status=204)
    place(seller)
    drain()
    delivery = WebhookDelivery.objects.get()

    before = timezone.now()
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_status_code == 500 and delivery.attempts == 1
    wait = delivery.next_attempt_at - before
    assert schedule.RETRY_DELAYS[0] <= wait < schedule.RETRY_DELAYS[0] + dt.timedelta(seconds=5)
    assert sending.send_due() == {"sent": 0, "delivered": 0}  # not due yet

    due_now(delivery)
    before = timezone.now()
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.last_status_code == 429 and delivery.attempts == 2
    # the schedule says 5 minutes; the receiver asked for an hour, so an hour it is
    assert dt.timedelta(minutes=59) < delivery.next_attempt_at - before <= dt.timedelta(minutes=61)

    due_now(delivery)
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    ids = {r.headers["webhook-id"] for r, _ in httpserver.log}
    assert len(httpserver.log) == 3 and ids == {delivery.message_id}  # the dedupe key never changes
    assert all(verify(created.secret, r.headers, r.get_data()) for r, _ in httpserver.log)
    assert [a.status_code for a in delivery.attempt_log.order_by("id")] == [500, 429, 204]
    assert WebhookSubscription.objects.get().failing_since is None  # the success cleared it


def test_the_schedule_spans_at_least_72_hours_and_retry_after_reads_dates() -> None:
    assert sum(schedule.RETRY_DELAYS, dt.timedelta()) >= dt.timedelta(hours=72)
    delays = list(schedule.RETRY_DELAYS)
    assert delays == sorted(delays)
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert schedule.retry_after("Tue, 01 Jan 2030 02:00:00 GMT", now) == dt.timedelta(hours=2)
    assert schedule.retry_after("120", now) == dt.timedelta(seconds=120)
    assert schedule.retry_after("soon", now) is None
    assert schedule.next_attempt(len(delays) + 1, now) is None  # the last try failed: none left
    assert schedule.next_attempt(1, now, dt.timedelta(seconds=1)) == now + delays[0]  # earlier: ignored


def test_410_gone_disables_the_subscription_at_once(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_data("gone", status=410)
    sub = subscribe(seller, httpserver.url_for("/hook")).subscription
    place(seller)
    drain()
    sending.send_due()
    sub.refresh_from_db()
    delivery = WebhookDelivery.objects.get()
    assert not sub.is_active and sub.disabled_reason == DisabledReason.GONE
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    order_services.order_confirm(seller_id=seller.pk, number=delivery.order_number, actor=actor(seller))
    drain()
    assert WebhookDelivery.objects.count() == 1  # a disabled subscription gets nothing new


def test_five_days_of_failure_disable_the_subscription(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_data("down", status=503)
    sub = subscribe(seller, httpserver.url_for("/hook")).subscription
    place(seller)
    drain()
    sending.send_due()
    sub.refresh_from_db()
    assert sub.is_active and sub.failing_since is not None
    WebhookSubscription.objects.filter(pk=sub.pk).update(failing_since=timezone.now() - dt.timedelta(days=5))
    due_now(WebhookDelivery.objects.get())
    sending.send_due()
    sub.refresh_from_db()
    assert not sub.is_active and sub.disabled_reason == DisabledReason.FAILING


def test_the_last_retry_failing_disables_the_subscription(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_data("down", status=500)
    sub = subscribe(seller, httpserver.url_for("/hook")).subscription
    place(seller)
    drain()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(step=len(schedule.RETRY_DELAYS))
    sending.send_due()
    delivery.refresh_from_db()
    sub.refresh_from_db()
    assert delivery.status == "failed" and not sub.is_active and sub.disabled_reason == "failing"


def test_replay_sends_again_with_the_same_webhook_id(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    created = subscribe(seller, httpserver.url_for("/hook"))
    place(seller)
    drain()
    sending.send_due()
    delivery = WebhookDelivery.objects.get()
    services.delivery_replay(
        seller_id=seller.pk,
        actor=actor(seller, "owner"),
        webhook_id=created.subscription.pk,
        delivery_id=delivery.pk,
    )
    assert sending.send_due() == {"sent": 1, "delivered": 1}
    first, second = (r for r, _ in httpserver.log)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert first.get_data() == second.get_data()
    assert [a.manual for a in delivery.attempt_log.order_by("id")] == [False, True]


def test_during_rotation_both_secrets_verify_and_after_24_hours_only_the_new_one(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    old = subscribe(seller, httpserver.url_for("/hook"))
    new = services.subscription_rotate(
        seller_id=seller.pk, actor=actor(seller, "owner"), webhook_id=old.subscription.pk
    )
    assert new.secret != old.secret and new.secret.startswith("whsec_")
    place(seller)
    drain()
    sending.send_due()
    request, _ = httpserver.log[0]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert verify(old.secret, request.headers, request.get_data())
    assert verify(new.secret, request.headers, request.get_data())

    WebhookSubscription.objects.filter(pk=old.subscription.pk).update(
        previous_secret_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    delivery = WebhookDelivery.objects.get()
    services.delivery_replay(
        seller_id=seller.pk,
        actor=actor(seller, "owner"),
        webhook_id=old.subscription.pk,
        delivery_id=delivery.pk,
    )
    sending.send_due()
    request, _ = httpserver.log[1]
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    assert verify(new.secret, request.headers, request.get_data())
    assert not verify(old.secret, request.headers, request.get_data())


def test_redirects_are_not_followed(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_response(
        Response("", status=302, headers={"Location": httpserver.url_for("/elsewhere")})
    )
    subscribe(seller, httpserver.url_for("/hook"))
    place(seller)
    drain()
    sending.send_due()
    assert [r.path for r, _ in httpserver.log] == ["/hook"]
    assert WebhookDelivery.objects.get().last_status_code == 302  # a failure, retried later


def test_a_receiver_that_does_not_answer_is_a_logged_timeout(seller, settings):
    import socket

    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        subscribe(seller, f"http://127.0.0.1:{listener.getsockname()[1]}/hook")
        place(seller)
        drain()
        sending.send_due()
    finally:
        listener.close()
    delivery = WebhookDelivery.objects.get()
    attempt = delivery.attempt_log.get()
    assert delivery.status == "pending" and attempt.status_code is None and "Timeout" in attempt.error
    assert attempt.duration_ms >= 400


def test_prune_keeps_the_log_for_its_days_and_never_drops_a_pending_delivery(seller, httpserver, settings):
    from sellerdesk.outbox.periodic import prune

    httpserver.expect_request("/hook").respond_with_data("ok")
    subscribe(seller, httpserver.url_for("/hook"))
    place(seller)
    place(seller)
    drain()
    sending.send_due()
    old = timezone.now() - dt.timedelta(days=settings.WEBHOOKS_KEEP_DAYS + 1)
    WebhookDelivery.objects.update(created_at=old)
    waiting = WebhookDelivery.objects.first()
    WebhookDelivery.objects.filter(pk=waiting.pk).update(status="pending")
    assert prune()["webhook_deliveries"] >= 1
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [waiting.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_post_each_delivery_once(seller, httpserver, settings):
    """Claims skip rows another sender holds (SKIP LOCKED): 40 deliveries, two senders, 40 requests."""
    import threading
    from collections import Counter

    from django.db import connection

    settings.WEBHOOKS_BATCH = 3
    httpserver.expect_request("/hook").respond_with_data("ok")
    subscribe(seller, httpserver.url_for("/hook"))
    for _ in range(40):
        place(seller)
    drain()
    assert WebhookDelivery.objects.count() == 40
    results: list[dict[str, int]] = []

    def sender() -> None:
        try:
            results.append(sending.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    ids = Counter(r.headers["webhook-id"] for r, _ in httpserver.log)
    assert len(ids) == 40 and set(ids.values()) == {1}
    assert sum(r["sent"] for r in results) == 40
    assert WebhookDelivery.objects.filter(status="delivered").count() == 40


def test_a_webhook_deleted_after_its_delivery_was_claimed_is_skipped(seller, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    created = subscribe(seller, httpserver.url_for("/hook"))
    place(seller)
    drain()
    (claimed,) = sending.claim(timezone.now(), 10)
    services.subscription_delete(
        seller_id=seller.pk, actor=actor(seller, "owner"), webhook_id=created.subscription.pk
    )
    assert sending.send_one(claimed) is None
    assert httpserver.log == [] and not WebhookDelivery.objects.exists()
