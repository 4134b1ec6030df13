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
    """One money movement on an order (R-PAY-1). Append-only: rows are never edited or deleted."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=16, choices=PaymentKind.choices)
    state = models.CharField(max_length=16, choices=PaymentState.choices, default=PaymentState.SUCCEEDED)
    amount = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=32, default="manual")
    reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")
        ]
        ordering = ["id"]
