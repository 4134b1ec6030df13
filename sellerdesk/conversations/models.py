"""The thread of an order, its messages and attachments, the customer's feedback and the sellers'
complaints against a customer identity (R-NOTE-4..6)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sellerdesk.core.tokens import new_token


def new_thread_token() -> str:
    """The unguessable part of the customer's message link; migrations name it."""
    return new_token()


class Thread(models.Model):
    """One per order: the customer's link and both sides' read state (R-NOTE-4)."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="thread")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    # The order's number (it never changes): the customer's writers lock the order by seller and
    # number before reading anything of it (the global lock order).
    order_number = models.PositiveBigIntegerField()
    token = models.CharField(max_length=64, unique=True, default=new_thread_token)
    # Customer messages staff have not seen yet (cheap for the orders list's marker).
    staff_unread = models.PositiveIntegerField(default=0)
    staff_read_at = models.DateTimeField(null=True, blank=True)
    customer_read_at = models.DateTimeField(null=True, blank=True)
    # The seller's one feedback reminder (R-NOTE-5).
    feedback_reminded_at = models.DateTimeField(null=True, blank=True)
    feedback_reminded_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"thread of order {self.order_id}"


class Author(models.TextChoices):
    STAFF = "staff", _("Staff")
    CUSTOMER = "customer", _("Customer")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=8, choices=Author.choices)
    author_user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the customer sees as the sender: the staff member's first name, else the store's name.
    sender_name = models.CharField(max_length=200)
    # The full label staff see (their colleague's name, or the customer's name).
    staff_label = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class Attachment(models.Model):
    """A file of a message, kept in the database (small, limited, served only after a tenancy check)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    """The customer's rating and review of one order (R-NOTE-5); at most one per order."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="feedback")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    review = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")
        ]
        indexes = [models.Index(fields=["seller", "created_at"], name="feedback_seller_created")]

    def __str__(self) -> str:
        return f"{self.rating}★ on order {self.order_id}"


class Complaint(models.Model):
    """A seller's signed complaint against a customer identity, seen by every seller of the
    marketplace (R-NOTE-6, R-PROC-8) until the operator hides it."""

    marketplace = models.ForeignKey("accounts.Marketplace", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="complaints")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=24)
    comment = models.TextField(max_length=2000)
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_by_label = models.CharField(max_length=200, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "hidden_at"], name="complaint_customer_hidden")]

    def __str__(self) -> str:
        return f"complaint {self.pk}"
