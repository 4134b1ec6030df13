from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from sellerdesk.core.tokens import new_token

from .roles import ROLE_CHOICES, Role


class Marketplace(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self) -> str:
        return self.name


class Seller(models.Model):
    marketplace = models.ForeignKey(Marketplace, on_delete=models.PROTECT, related_name="sellers")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    country = models.CharField(
        max_length=2, default="RU", help_text="ISO 3166-1 alpha-2; holidays and phone parsing"
    )
    time_zone = models.CharField(max_length=64, default="Europe/Moscow")
    currency = models.CharField(max_length=3, default="RUB")
    # Per-seller deadline policy (R-SLA-1, R-SLA-2).
    confirm_within_hours = models.PositiveIntegerField(default=24)
    ship_within_business_days = models.PositiveIntegerField(default=3)
    # The rest of the deadline policy (R-SLA-1..4); read as one `DeadlinePolicy` (orders/deadlines.py).
    working_days = models.CharField(
        max_length=7, default="12345", help_text="ISO weekdays the seller works: 1 = Monday … 7 = Sunday"
    )
    days_off = models.JSONField(
        default=list, blank=True, help_text="The seller's own days off (ISO dates), on top of public holidays"
    )
    auto_close_days = models.PositiveIntegerField(default=14)
    confirm_miss_action = models.CharField(
        max_length=8, default="cancel", choices=[("cancel", "Cancel"), ("flag", "Flag only")]
    )
    ship_miss_action = models.CharField(
        max_length=8, default="cancel", choices=[("cancel", "Cancel"), ("flag", "Flag only")]
    )
    confirm_warn_hours = models.PositiveIntegerField(default=4)
    ship_warn_hours = models.PositiveIntegerField(default=24)
    close_warn_hours = models.PositiveIntegerField(default=24)  # before auto-close (R-SLA-3, R-SLA-4)
    # R-PAY-7: orders leave only once paid (or paid on delivery) unless the seller allows it.
    ship_unpaid_allowed = models.BooleanField(default=False)
    # The shipper and origin address prefilled on carrier shipments (R-FUL-3): name, phone, email,
    # country, postcode, city, line1.
    ship_from = models.JSONField(default=dict, blank=True)
    # Next human order number (R-IN-5); incremented under the row lock at placement.
    next_order_number = models.PositiveBigIntegerField(default=1001)

    def __str__(self) -> str:
        return self.name


class EmailUserManager(UserManager["User"]):
    def create_user(self, username=None, email=None, password=None, **extra):  # type: ignore[no-untyped-def, override]  # the signature of Django's UserManager
        email = self.normalize_email(email or username)
        return super().create_user(username=email, email=email, password=password, **extra)


class User(AbstractUser):
    """A staff member of one seller, or the operator of a marketplace (no seller). Logs in with e-mail."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="staff", null=True, blank=True)
    # The marketplace this account operates (its operator pages); None for every seller's staff.
    operator_of = models.ForeignKey(
        Marketplace, on_delete=models.CASCADE, related_name="operators", null=True, blank=True
    )
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=Role.VIEWER)
    preferences = models.JSONField(default=dict, blank=True)

    objects = EmailUserManager()  # type: ignore[misc]  # e-mail login; django-stubs types the base manager as a ClassVar

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seller__isnull=True) | models.Q(operator_of__isnull=True),
                name="user_staff_or_operator",
            )
        ]

    @property
    def is_operator(self) -> bool:
        return self.operator_of_id is not None and self.seller_id is None

    @property
    def label(self) -> str:
        return self.get_full_name() or self.email


class ApiKey(models.Model):
    """A seller's API key. Only a SHA-256 of the secret is stored; the key is shown once."""

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=Role.MANAGER)
    scopes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def generate(cls) -> tuple[str, str, str]:
        """(full key, prefix, hash). Keys are 'sd_<prefix>_<secret>' (the secret: `new_token`)."""
        prefix = secrets.token_hex(4)
        secret = new_token()
        return f"sd_{prefix}_{secret}", prefix, cls.hash_secret(secret)

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, self.hash_secret(secret))
