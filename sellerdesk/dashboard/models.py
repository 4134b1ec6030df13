"""Tables of the dashboard: saved order views (R-LIST) and failed logins for throttling (R-SEC-3)."""

from __future__ import annotations

from django.db import models


class SavedView(models.Model):
    """A named filter of the orders list, owned by a user; `shared` lets the seller's staff see it."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="saved_views")
    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True)  # canonical query string, without "?"
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="savedview_unique_owner_name")]
        indexes = [models.Index(fields=["seller", "shared"], name="savedview_seller_shared")]

    def __str__(self) -> str:
        return self.name


class LoginThrottle(models.Model):
    """Login attempts of one (e-mail, IP) key in the current window, counted atomically (R-SEC-3).

    One row per key: an attempt increments `attempts` in a single upsert before the password is
    checked, so simultaneous attempts cannot all read "under the limit" (see `login_attempt`).
    """

    key = models.CharField(max_length=64, unique=True)  # sha256 of e-mail + IP; no plain address stored
    attempts = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["window_start"], name="loginthrottle_window")]
