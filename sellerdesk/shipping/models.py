"""Shipments, their lines and tracking history, returns, and the seller's carrier accounts (R-FUL)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sellerdesk.core.tokens import new_token
from sellerdesk.orders.models import money_field

from .carriers.registry import CARRIER_CHOICES
from .states import ShipmentStatus


class ShipmentKind(models.TextChoices):
    MANUAL = "manual", "Manual"  # the seller's own delivery or a carrier we do not integrate (R-FUL-2)
    CARRIER = "carrier", "Carrier label"  # bought through an integrated carrier (R-FUL-3)


class ShippingPoint(models.TextChoices):
    """Where a manual shipment leaves from (R-FUL-2)."""

    LOCAL = "local", "Local delivery"
    INTERNATIONAL = "international", "International"
    PICKUP = "pickup", "In-store pickup"


class Registration(models.TextChoices):
    """The carrier's registration of a carrier shipment (blank for manual ones)."""

    NONE = "", "—"
    WAITING = "waiting", "Waiting for the carrier"
    REGISTERED = "registered", "Registered"
    INVALID = "invalid", "Refused by the carrier"


def new_webhook_token() -> str:
    """The unguessable part of a carrier account's webhook address; migrations name it."""
    return new_token()


class CarrierAccount(models.Model):
    """A seller's account with a carrier. Secrets are stored encrypted (core.secrets) or read from
    the environment when blank (CDEK_CLIENT_ID, CDEK_CLIENT_SECRET, CDEK_BASE_URL)."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="carrier_accounts")
    carrier = models.CharField(max_length=16, choices=CARRIER_CHOICES)
    name = models.CharField(max_length=100)
    base_url = models.CharField(max_length=300, blank=True)
    client_id = models.CharField(max_length=200, blank=True)
    client_secret_encrypted = models.TextField(blank=True)
    # The secret part of the webhook address registered with the carrier (/webhooks/carriers/<token>).
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token)
    options = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Shipment(models.Model):
    """One parcel (or one hand-over) of some of an order's units (R-FUL-1)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="shipments")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+", db_index=False)
    number = models.PositiveSmallIntegerField()  # 1, 2, … within the order: "#1001-2"
    kind = models.CharField(max_length=8, choices=ShipmentKind.choices)
    shipping_point = models.CharField(max_length=16, choices=ShippingPoint.choices, blank=True)
    carrier = models.CharField(max_length=100, blank=True)  # registry code, or the name typed for manual
    account = models.ForeignKey(
        CarrierAccount, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    service_code = models.CharField(max_length=40, blank=True)
    service_name = models.CharField(max_length=200, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    carrier_ref = models.CharField(max_length=100, blank=True)
    registration = models.CharField(max_length=12, choices=Registration.choices, blank=True)
    registration_errors = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20,
        choices=[(s.value, s.value) for s in ShipmentStatus],
        default=ShipmentStatus.AWAITING_SHIPMENT,
    )
    raw_status = models.CharField(max_length=100, blank=True)  # the carrier's last code, as sent
    expected_delivery = models.DateField(null=True, blank=True)
    packages = models.JSONField(default=list, blank=True)  # [{weight_g, length_cm, width_cm, height_cm}]
    details = models.JSONField(default=dict, blank=True)  # recipient, shipper, options of R-FUL-3
    currency = models.CharField(max_length=3)
    price = money_field()  # what the carrier charges the seller
    charged = money_field()  # what the customer paid for this shipment at checkout
    seller_cost = money_field()  # price - charged, borne by the seller (R-FUL-5)
    label_pdf = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    handed_over_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    tracked_at = models.DateTimeField(null=True, blank=True)  # last poll of the carrier

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="shipment_unique_number")]
        indexes = [
            # The tracking poll and the webhooks find open carrier shipments by carrier and reference.
            models.Index(
                fields=["carrier", "carrier_ref"],
                name="shipment_open_by_ref",
                condition=Q(kind="carrier") & ~Q(status__in=["delivered", "canceled"]),
            ),
            models.Index(fields=["seller", "tracking_number"], name="shipment_seller_tracking"),
        ]

    def __str__(self) -> str:
        return f"#{self.order_id}-{self.number}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_quantity_positive"),
            models.UniqueConstraint(fields=["shipment", "line"], name="shipment_line_unique"),
        ]


class TrackingEvent(models.Model):
    """One status report from the carrier (or staff), kept as sent; the same report twice is one row."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="tracking")
    raw_code = models.CharField(max_length=100)
    status = models.CharField(max_length=20, blank=True)  # ours, or blank for an unknown code
    occurred_at = models.DateTimeField()
    description = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "raw_code", "occurred_at"], name="tracking_event_unique"
            )
        ]


class Return(models.Model):
    """Units that came back (R-FUL-10), with or without restock (R-INV-2)."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="returns")
    restock = models.BooleanField(default=False)
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]


class ReturnLine(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="return_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="return_line_quantity_positive")
        ]
