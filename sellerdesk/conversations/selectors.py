"""Reads of conversations. The customer's view is built field by field from an allow-list: a
message's sender as the customer may see it, its text and its files — nothing else of the order's
staff side (no notes, no staff surnames, no internal fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sellerdesk.customers.models import Customer
from sellerdesk.orders.models import Order

from . import rules
from .models import Attachment, Author, Complaint, Feedback, Message, Thread


def _attachments() -> Prefetch:  # type: ignore[type-arg]  # Prefetch's generic parameter adds nothing here
    return Prefetch("attachments", queryset=Attachment.objects.defer("data"))


def mark_unread(orders: list[Order]) -> None:
    """Set `unread_messages` on each order of a list page: customer messages staff have not seen
    (one query for the page, R-NOTE-4)."""
    unread = dict(
        Thread.objects.filter(order_id__in=[o.pk for o in orders], staff_unread__gt=0).values_list(
            "order_id", "staff_unread"
        )
    )
    for o in orders:
        o.unread_messages = unread.get(o.pk, 0)  # type: ignore[attr-defined]  # display attribute


def thread_of(order: Order) -> Thread | None:
    return Thread.objects.filter(order=order).first()


def messages_of(thread: Thread | None) -> list[Message]:
    if thread is None:
        return []
    return list(thread.messages.prefetch_related(_attachments()))


def customer_messages(thread: Thread) -> list[dict[str, Any]]:
    """The thread as the customer sees it: sender name, side, text, time and files."""
    return [
        {
            "mine": m.author_kind == Author.CUSTOMER,
            "sender": m.sender_name,
            "text": m.text,
            "at": m.created_at,
            "files": [{"id": a.pk, "name": a.name, "size": a.size} for a in m.attachments.all()],
        }
        for m in messages_of(thread)
    ]


def attachment_for_order(order: Order, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(pk=attachment_id, message__thread__order=order).first()


def attachment_for_thread(thread: Thread, attachment_id: int) -> Attachment | None:
    return Attachment.objects.filter(pk=attachment_id, message__thread=thread).first()


def feedback_of(order: Order) -> Feedback | None:
    return Feedback.objects.filter(order=order).first()


@dataclass(frozen=True)
class FeedbackState:
    feedback: Feedback | None
    is_open: bool  # the order is delivered or closed
    reminded_at: Any
    reminded_by: str
    editable: bool

    @property
    def can_remind(self) -> bool:
        return self.is_open and self.feedback is None and self.reminded_at is None


def feedback_state(order: Order, thread: Thread | None) -> FeedbackState:
    feedback = feedback_of(order)
    return FeedbackState(
        feedback=feedback,
        is_open=rules.feedback_open(order.status),
        reminded_at=thread.feedback_reminded_at if thread else None,
        reminded_by=thread.feedback_reminded_by if thread else "",
        editable=feedback is None or rules.feedback_editable(feedback.created_at, timezone.now()),
    )


def visible_complaints(customer: Customer) -> QuerySet[Complaint]:
    """What every seller of the marketplace sees about a customer (R-NOTE-6): not the hidden ones."""
    return (
        Complaint.objects.filter(customer=customer, hidden_at__isnull=True)
        .select_related("seller")
        .order_by("-created_at", "-id")
    )


def feedback_left_count(customer: Customer) -> int:
    """Marketplace-wide: how many orders the customer has left feedback on (R-PROC-8)."""
    return Feedback.objects.filter(customer=customer).count()


def complaints_of_market(marketplace_id: int) -> QuerySet[Complaint]:
    """The operator's list: every complaint of the marketplace, hidden ones too."""
    return (
        Complaint.objects.filter(marketplace_id=marketplace_id)
        .select_related("seller", "customer")
        .order_by("-created_at", "-id")
    )
