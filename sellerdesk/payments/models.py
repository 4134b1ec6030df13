from __future__ import annotations

from django.db import models


class PaymentKind(models.TextChoices):
    AUTHORIZE = "authorize", "Authorization"
    CAPTURE = "capture", "Capture"
    OFFLINE = "offline", "Offline payment"
    REFUND = "refund", "Refund"


class PaymentState(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Payment(models.Model):
    """One money movement on an order (R-PAY-1).

    Append-only: rows are never deleted and their amount never changes. A pending row (an online
    payment or refund waiting for its provider) is settled once, to succeeded or failed, and
    then never changes again.
    """

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=16, choices=PaymentKind.choices)
    state = models.CharField(max_length=16, choices=PaymentState.choices, default=PaymentState.SUCCEEDED)
    amount = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=32, default="manual")
    reference = models.CharField(max_length=200, blank=True)
    # A refund row points at the payment it gives money back from (refunds follow the money).
    # Rows imported or generated without one count against the newest payments.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    # What the row is for (a refund: its lines, shipping and adjustments) and why it failed.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]
        ordering = ["id"]

    @property
    def by(self) -> str | None:
        """Who the row is by, as shown on the order page and in the API: the name recorded with it
        (a provider, a customer), else the staff member who entered it; None when neither is known
        (a webhook's capture, an imported row)."""
        recorded = self.details.get("by") if isinstance(self.details, dict) else None
        return recorded or (self.created_by.label if self.created_by else None)

    @property
    def idempotency_key(self) -> str:
        """The key sent to the provider with this row's request: a retry never moves money twice."""
        return f"sellerdesk-{self.kind}-{self.pk}"


class ProviderEvent(models.Model):
    """A provider's webhook event, once: an event id seen again is ignored (replay safety)."""

    provider = models.CharField(max_length=32)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")]
