"""SMS (R-NOTE-1): the console provider, and Twilio's Messages API against a local HTTP fake that
checks what we send (path, basic auth, form body) and answers like Twilio."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from urllib.parse import parse_qs

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sellerdesk.notifications import deliveries
from sellerdesk.notifications.models import Delivery, DeliveryStatus, StaffSettings
from sellerdesk.notifications.sms import ConsoleProvider
from sellerdesk.outbox.worker import OutboxWorker
from tests.conftest import place, staff

SID, TOKEN, FROM = "AC0123456789abcdef0123456789abcdef", "tw-secret-token-0042", "+15005550006"


class TwilioFake:
    """Twilio's POST /2010-04-01/Accounts/{sid}/Messages.json, as documented."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.fail_next: list[int] = []  # statuses to answer before accepting

    def handle(self, request: Request) -> Response:
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return Response(json.dumps({"code": 20003, "message": "Authenticate", "status": 401}), 401)
        if request.content_type != "application/x-www-form-urlencoded":
            return Response(json.dumps({"code": 21601, "message": "bad content type"}), 400)
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        if self.fail_next:
            status = self.fail_next.pop(0)
            return Response(
                json.dumps({"code": 20500, "message": "Internal error", "status": status}), status
            )
        if not form.get("To", "").startswith("+") or not form.get("Body"):
            return Response(
                json.dumps({"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}), 400
            )
        self.received.append(form)
        body = {
            "sid": f"SM{len(self.received):032d}",
            "status": "queued",
            "to": form["To"],
            "from": form["From"],
        }
        return Response(json.dumps(body), 201, content_type="application/json")


@pytest.fixture
def twilio(httpserver: HTTPServer, settings) -> TwilioFake:  # type: ignore[no-untyped-def]
    fake = TwilioFake()
    httpserver.expect_request(
        f"/2010-04-01/Accounts/{SID}/Messages.json", method="POST"
    ).respond_with_handler(fake.handle)
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = SID, TOKEN, FROM
    settings.TWILIO_API_BASE = httpserver.url_for("/")
    return fake


def _sms(seller, to: str = "+4915112345678", key: str = "ev1:7:sms") -> Delivery:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        d = deliveries.queue(
            key=key,
            channel="sms",
            to=to,
            subject="New order #1001",
            body="New order #1001\nOpen it",
            seller_id=seller.pk,
        )
    assert d is not None
    return d


def test_an_sms_reaches_twilio_with_basic_auth_and_the_documented_form(seller, twilio) -> None:
    d = _sms(seller)
    assert deliveries.send_due() == 1
    assert twilio.received == [{"To": "+4915112345678", "From": FROM, "Body": "New order #1001\nOpen it"}]
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT


def test_twilio_errors_are_retried_and_the_token_is_never_logged(seller, twilio, settings, caplog) -> None:
    settings.DELIVERY_MAX_ATTEMPTS = 2
    caplog.set_level(logging.DEBUG)
    twilio.fail_next = [500]
    d = _sms(seller)
    assert deliveries.send_due() == 0
    d.refresh_from_db()
    assert d.status == DeliveryStatus.QUEUED and "500" in d.last_error
    assert deliveries.send_due(now=timezone.now() + dt.timedelta(hours=1)) == 1
    assert len(twilio.received) == 1
    bad = _sms(seller, to="12345", key="ev2:7:sms")  # Twilio refuses the number: retried, then failed
    later = timezone.now()
    for _ in range(2):
        later += dt.timedelta(hours=1)
        deliveries.send_due(now=later)
    bad.refresh_from_db()
    assert bad.status == DeliveryStatus.FAILED and "400" in bad.last_error
    assert TOKEN not in caplog.text
    assert not Delivery.objects.filter(last_error__contains=TOKEN).exists()


def test_a_wrong_token_is_a_refused_hand_off(seller, twilio, settings) -> None:
    settings.TWILIO_AUTH_TOKEN = "wrong"
    d = _sms(seller)
    deliveries.send_due()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.QUEUED and "401" in d.last_error and "wrong" not in d.last_error
    assert twilio.received == []


def test_twilio_unreachable_is_retried(seller, settings) -> None:
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = SID, TOKEN, FROM
    settings.TWILIO_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    d = _sms(seller)
    deliveries.send_due()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.QUEUED and d.attempts == 1


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between jobs
def test_a_staff_member_who_chose_sms_gets_the_new_order_by_sms(seller, twilio) -> None:
    owner = staff(seller, "owner")
    StaffSettings.objects.create(user=owner, phone="+4915112345678", channels={"new_order": ["sms"]})
    order = place(seller)
    OutboxWorker(batch=True, interval=0).run()
    (sms,) = twilio.received
    assert sms["To"] == "+4915112345678" and f"#{order.number}" in sms["Body"]


def test_the_console_provider_sends_nothing_and_keeps_the_message(seller, settings) -> None:
    settings.SMS_PROVIDER = "console"
    ConsoleProvider.outbox.clear()
    _sms(seller)
    assert deliveries.send_due() == 1
    assert ConsoleProvider.outbox == [("+4915112345678", "New order #1001\nOpen it")]
