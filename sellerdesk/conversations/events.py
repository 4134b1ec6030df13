"""Event types of conversations: messages both ways, feedback and its reminder, complaints.

Recorded with `orders.events.record_events` on the order's timeline and into the outbox, in the
transaction of the change. No payload carries an internal note; a message's text stays in the
thread (the customer-message event carries a short excerpt for the staff notification).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sellerdesk.core.events import Event, doc, event_type

from .rules import complaint_label


@event_type
class MessageSent(Event):
    type = "order_message_sent"
    summary = (
        "Staff wrote to the customer in the order's thread; the customer gets it by e-mail with a reply link."
    )
    example = {"message_id": 501, "attachments": 1}

    message_id: int = doc("The message's id in the thread.")
    attachments: int = doc("How many files came with it.", default=0)

    def describe(self) -> str:
        return _("Message sent to the customer.")


@event_type
class CustomerMessageReceived(Event):
    type = "customer_message_received"
    summary = "The customer replied in the order's thread (through the link of a message e-mail)."
    example = {"message_id": 502, "attachments": 0, "excerpt": "Could you ship on Friday?"}

    message_id: int = doc("The message's id in the thread.")
    attachments: int = doc("How many files came with it.", default=0)
    excerpt: str = doc("The first 140 characters of the message.", default="")

    def describe(self) -> str:
        return _("The customer wrote a message.")


@event_type
class FeedbackReceived(Event):
    type = "feedback_received"
    summary = "The customer rated the order (1–5) and maybe reviewed it; again when they change it."
    example = {"rating": 5, "edited": False}

    rating: int = doc("The rating, 1 to 5.")
    edited: bool = doc("True when the customer changed feedback left before.", default=False)

    def describe(self) -> str:
        if self.edited:
            return _("The customer changed their feedback: %(rating)s of 5.") % {"rating": self.rating}
        return _("The customer left feedback: %(rating)s of 5.") % {"rating": self.rating}


@event_type
class FeedbackReminderSent(Event):
    type = "feedback_reminder_sent"
    summary = "The seller asked the customer for feedback (once per order)."
    example = {"channel": "email"}

    channel: str = doc("How the reminder reaches the customer: email.", default="email")

    def describe(self) -> str:
        return _("Feedback reminder sent to the customer.")


@event_type
class ComplaintFiled(Event):
    type = "complaint_filed"
    summary = (
        "The seller filed a complaint against the order's customer; every seller of the marketplace sees it."
    )
    example = {"complaint_id": 31, "kind": "not_paid"}

    complaint_id: int = doc("The complaint's id.")
    kind: str = doc("The complaint's type, one of the listed types.")

    def describe(self) -> str:
        return _("Complaint filed against the customer: %(kind)s.") % {"kind": complaint_label(self.kind)}
