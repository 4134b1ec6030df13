"""Webhook subscriptions, their deliveries (one per event and subscription) and each attempt."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from sellerdesk.core import secrets


class DisabledReason(models.TextChoices):
    NONE = "", _("Active")
    MANUAL = "manual", _("Disabled by staff")
    GONE = "gone", _("The endpoint answered 410 Gone")
    FAILING = "failing", _("Deliveries kept failing")


class WebhookSubscription(models.Model):
    """One endpoint of a seller's integration and the event types it receives."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=2000)
    event_types = models.JSONField(default=list)  # wire names from core.events.EVENT_TYPES
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=10, choices=DisabledReason.choices, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Encrypted at rest (core.secrets); the plain `whsec_…` value is shown once.
    secret_encrypted = models.TextField()
    # During a rotation the old secret signs too, until `previous_secret_expires_at`.
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # The time of the first failed attempt since the last success (R-NOTE-7: 5 days → disabled).
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def signing_secrets(self, now: dt.datetime) -> list[str]:
        """The `whsec_…` secrets that sign a delivery made at `now`: the current one first."""
        out = [secrets.decrypt(self.secret_encrypted)]
        if (
            self.previous_secret_encrypted
            and self.previous_secret_expires_at
            and now < self.previous_secret_expires_at
        ):
            out.append(secrets.decrypt(self.previous_secret_encrypted))
        return [s for s in out if s]

    def rotating_until(self, now: dt.datetime) -> dt.datetime | None:
        if self.previous_secret_expires_at and now < self.previous_secret_expires_at:
            return self.previous_secret_expires_at
        return None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One message to one subscription. `message_id` is the `webhook-id`: the same on every try."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=40)
    order_number = models.BigIntegerField(null=True, blank=True)
    body = models.TextField()  # the exact JSON sent (and signed) on every attempt
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Failed attempts since the delivery was (re)queued: the position in the retry schedule.
    step = models.PositiveSmallIntegerField(default=0)
    replay_pending = models.BooleanField(default=False)  # the next attempt is a replay asked for by hand
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "message_id"], name="webhook_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: when, the answer's status and the start of its body."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=500, blank=True)
    manual = models.BooleanField(default=False)  # a replay asked for by staff or the API

    class Meta:
        ordering = ["-id"]
