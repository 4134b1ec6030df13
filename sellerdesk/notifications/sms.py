"""SMS providers behind one interface: `send(to=..., body=..., key=...)` (settings SMS_PROVIDER).

- console: writes the message to the log and keeps it in `ConsoleProvider.outbox` (development,
  demo data, tests); sends nothing.
- twilio: Twilio's Messages API, POST {base}/2010-04-01/Accounts/{sid}/Messages.json with HTTP
  basic auth (account SID, auth token) and a form body To / From / Body.

A provider raises `HandoffFailed` when the provider surely did not take the message (no
connection, a 4xx/5xx answer); a timeout after the request left is an open outcome.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import requests
from django.conf import settings

from .channels import HandoffFailed

log = logging.getLogger("sellerdesk.notifications.sms")


class SmsProvider(Protocol):
    def send(self, *, to: str, body: str, key: str) -> str: ...


@dataclass
class ConsoleProvider:
    """Logs the message instead of sending it; the last messages are kept for inspection."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, to: str, body: str, key: str) -> str:
        log.info("SMS to %s: %s", to, body)
        ConsoleProvider.outbox.append((to, body))
        del ConsoleProvider.outbox[:-100]
        return f"console-{len(ConsoleProvider.outbox)}"


@dataclass
class TwilioProvider:
    account_sid: str
    auth_token: str = field(repr=False)  # never in a log line or a repr
    sender: str
    base: str = "https://api.twilio.com"
    timeout: float = 20.0

    def send(self, *, to: str, body: str, key: str) -> str:
        url = f"{self.base.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        try:
            response = requests.post(
                url,
                data={"To": to, "From": self.sender, "Body": body},
                auth=(self.account_sid, self.auth_token),
                timeout=self.timeout,
                headers={"I-Twilio-Idempotency-Token": key[:64]},
            )
        except requests.ConnectionError as exc:
            raise HandoffFailed("the SMS provider could not be reached") from exc
        if response.status_code >= 400:
            try:
                detail = response.json().get("message", "")
            except ValueError:
                detail = ""
            raise HandoffFailed(f"the SMS provider answered {response.status_code} {detail}".strip())
        sid: str = response.json().get("sid", "")
        return sid


def provider() -> SmsProvider:
    if settings.SMS_PROVIDER == "twilio":
        return TwilioProvider(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            sender=settings.TWILIO_FROM,
            base=settings.TWILIO_API_BASE,
            timeout=settings.TWILIO_TIMEOUT,
        )
    if settings.SMS_PROVIDER == "console":
        return ConsoleProvider()
    raise ValueError(f"unknown SMS_PROVIDER {settings.SMS_PROVIDER!r}")
