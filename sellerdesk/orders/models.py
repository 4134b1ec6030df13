from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from sellerdesk.catalog.models import StockState
from sellerdesk.core.tokens import new_token

from .methods import PAYMENT_CHOICES, SHIPPING_CHOICES
from .states import FulfillmentStatus, PaymentStatus, Status


def new_tracking_token() -> str:
    """The unguessable part of the customer's tracking link (R-FUL-11); migrations name it."""
    return new_token()


SOURCES = [("api", "API"), ("staff", "Staff"), ("import", "Import"), ("test", "Test")]


def money_field() -> models.DecimalField:  # type: ignore[type-arg]  # DecimalField's generic parameters add nothing here
    """An amount: DECIMAL(14, 4) holds every ISO 4217 minor unit (ADR 2)."""
    return models.DecimalField(max_digits=14, decimal_places=4, default=Decimal("0"))


class Order(models.Model):
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="orders")
    number = models.PositiveBigIntegerField()
    source = models.CharField(max_length=8, choices=SOURCES, default="api")
    is_test = models.BooleanField(default=False)

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="orders")
    # Snapshot of the customer at placement (and on change): what the list shows and searches.
    customer_name = models.CharField(max_length=200)
    customer_email = models.CharField(max_length=254, blank=True)
    customer_phone = models.CharField(max_length=40, blank=True)
    customer_phone_digits = models.CharField(max_length=20, blank=True)

    status = models.CharField(
        max_length=16, choices=[(s.value, s.value) for s in Status], default=Status.PENDING
    )
    payment_status = models.CharField(
        max_length=20,
        choices=[(s.value, s.value) for s in PaymentStatus],
        default=PaymentStatus.UNPAID,
    )
    fulfillment_status = models.CharField(
        max_length=20,
        choices=[(s.value, s.value) for s in FulfillmentStatus],
        default=FulfillmentStatus.UNFULFILLED,
    )

    currency = models.CharField(max_length=3)
    subtotal = money_field()
    discount = money_field()
    shipping_price = money_field()
    total = money_field()
    # Ledger sums, recomputed from payments by the one function that derives payment_status.
    paid_amount = money_field()
    refunded_amount = money_field()

    shipping_method = models.CharField(
        max_length=16, choices=SHIPPING_CHOICES
    )  # declared once, with their behaviour, in methods.py
    payment_method = models.CharField(max_length=20, choices=PAYMENT_CHOICES)
    shipping_address = models.JSONField(default=dict, blank=True)
    address_errors = models.JSONField(default=dict, blank=True)  # R-PROC-9: empty when valid

    manager = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stock_state = models.CharField(max_length=10, default=StockState.RESERVED, choices=StockState.choices)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    confirm_by = models.DateTimeField(null=True, blank=True)
    ship_by = models.DateTimeField(null=True, blank=True)
    # R-SLA-3: when a delivered order closes by itself; an agreed delay (date + note) moves it.
    close_by = models.DateTimeField(null=True, blank=True)
    agreed_until = models.DateField(null=True, blank=True)
    agreed_note = models.CharField(max_length=1000, null=True, blank=True)  # noqa: DJ001  # nullable: SQLite adds it without rebuilding the table (its search triggers)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    processing_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=40, blank=True)
    cancel_comment = models.CharField(max_length=1000, blank=True)
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "number"], name="order_unique_number"),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=F("paid_amount")), name="order_refunded_le_paid"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]
        indexes = [
            models.Index(F("seller"), F("created_at").desc(), F("id").desc(), name="order_seller_created"),
            models.Index(
                F("seller"),
                F("status"),
                F("created_at").desc(),
                F("id").desc(),
                name="order_seller_status",
            ),
            models.Index(
                F("seller"),
                F("payment_status"),
                F("created_at").desc(),
                F("id").desc(),
                name="order_seller_payment",
            ),
            models.Index(
                F("seller"),
                F("fulfillment_status"),
                F("created_at").desc(),
                F("id").desc(),
                name="order_seller_fulfil",
            ),
            models.Index(
                F("seller"),
                F("payment_status"),
                F("fulfillment_status"),
                F("created_at").desc(),
                F("id").desc(),
                name="order_seller_pay_fulfil",
            ),
            models.Index(F("seller"), F("total"), F("id"), name="order_seller_total"),
            models.Index(F("seller"), F("manager"), F("created_at").desc(), name="order_seller_manager"),
            # the auto-close sweep (R-SLA-3): delivered orders past close_by, across sellers
            models.Index(F("status"), F("close_by"), name="order_status_close_by"),
            models.Index(F("seller"), F("ship_by"), name="order_seller_ship_by"),
            models.Index(F("seller"), F("customer_email"), name="order_seller_email"),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = money_field()
    line_total = money_field()
    quantity_fulfilled = models.PositiveIntegerField(default=0)
    quantity_cancelled = models.PositiveIntegerField(default=0)
    quantity_returned = models.PositiveIntegerField(default=0)
    # Copies of the order's seller and creation time, written once at placement (neither ever
    # changes), so that "orders with SKU X, newest first" is read in order from one index.
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+", db_index=False)
    order_created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["seller", "sku", "-order_created_at", "-order"], name="orderline_seller_sku_newest"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity__gte=F("quantity_fulfilled") + F("quantity_cancelled")),
                name="line_fulfilled_cancelled_le_ordered",
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity_fulfilled")),
                name="line_returned_le_fulfilled",
            ),
        ]


class ActorKind(models.TextChoices):
    STAFF = "staff"
    CUSTOMER = "customer"
    SYSTEM = "system"
    INTEGRATION = "integration"


class OrderEvent(models.Model):
    """The timeline (R-AUD-1): one row per change, append-only."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=40)
    # The version of the payload schema of `type` (sellerdesk.core.events); rows written before
    # versions were recorded are version 1.
    version = models.PositiveSmallIntegerField(default=1, db_default=1)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]


class OrderNote(models.Model):
    """Internal note (R-PROC-4). Never shown to a customer."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5000)
    remind_at = models.DateTimeField(null=True, blank=True)
    # When the author marked the reminder done; editing the reminder time arms it again.
    reminder_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # An author's open reminders by time (the dashboard's "Your reminders" and its live alerts).
            models.Index(
                fields=["author", "remind_at"],
                name="note_open_reminder",
                condition=models.Q(remind_at__isnull=False, reminder_done_at__isnull=True),
            ),
        ]


class DeadlineNotice(models.Model):
    """One row per (order, deadline kind, deadline value, stage): a warning sent before a deadline
    or a missed deadline flagged (R-SLA-4). The unique key is what makes each happen once."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deadline_notices")
    kind = models.CharField(max_length=10)  # confirm | ship | close
    due = models.DateTimeField()
    stage = models.CharField(max_length=10)  # warning | missed
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "kind", "due", "stage"], name="deadline_notice_once"),
        ]
