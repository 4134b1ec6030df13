"""Deliveries (one message to one recipient on one channel), in-app alerts, staff settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    INAPP = "inapp", _("In-app")
    PUSH = "push", _("Push")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")  # claimed and committed before the hand-off
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # every try's hand-off was refused
    UNKNOWN = "unknown", _("Unknown outcome")  # stuck in "sending": the worker died mid-hand-off


class Delivery(models.Model):
    """One message to one recipient on one channel. `key` makes queueing it idempotent."""

    key = models.CharField(max_length=255, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=320)  # e-mail address, E.164 phone, or the staff user's id
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    reply_to = models.CharField(max_length=320, blank=True)
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="deliveries")
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, default="en")
    kind = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField()
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)  # when the current try began
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["order", "created_at"], name="delivery_order_log"),
        ]

    def __str__(self) -> str:
        return self.key


class Alert(models.Model):
    """An in-app alert: the bell in the dashboard header counts the unread ones (R-NOTE-1)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="alert")
    kind = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="alert_unread")]


class StaffSettings(models.Model):
    """A staff member's notification settings: the channels per event, and a phone for SMS."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    phone = models.CharField(max_length=20, blank=True)  # E.164
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    channels = models.JSONField(default=dict, blank=True)  # event → [channel, …]; absent: the defaults


class PushSubscription(models.Model):
    """A browser's Web Push subscription (its endpoint and keys), one row per browser of a user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField()


class VapidKey(models.Model):
    """The server's VAPID key pair, made on first use when settings VAPID_PRIVATE_KEY is empty."""

    name = models.CharField(max_length=20, unique=True, default="default")
    private_pem = models.TextField()
    created_at = models.DateTimeField()
