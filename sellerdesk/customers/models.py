from __future__ import annotations

from django.db import models


class Customer(models.Model):
    """One identity across the marketplace (R-PROC-8): sellers share only its counts and complaints."""

    marketplace = models.ForeignKey(
        "accounts.Marketplace", on_delete=models.PROTECT, related_name="customers"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    phone_digits = models.CharField(max_length=20, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "email"],
                condition=~models.Q(email=""),
                name="customer_unique_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name
