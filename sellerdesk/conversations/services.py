"""The writers of conversations. Each is one transaction that locks the order row first
(`orders.locking.lock_order`, the global lock order) and records its event with `record_events`.

Staff writers take the seller's id and the order's number (another seller's order is "not found");
customer writers take the thread's token (an unknown token is "not found").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.accounts.roles import Role
from sellerdesk.api.schemas import _control_character as control_character
from sellerdesk.core.errors import Conflict, InvalidInput, NotFound
from sellerdesk.orders.events import record_event
from sellerdesk.orders.locking import lock_order
from sellerdesk.orders.models import Order

from . import rules
from .events import (
    ComplaintFiled,
    CustomerMessageReceived,
    FeedbackReceived,
    FeedbackReminderSent,
    MessageSent,
)
from .models import Attachment, Author, Complaint, Feedback, Message, Thread


@dataclass(frozen=True)
class FileIn:
    """An uploaded file as the writers see it: its name and bytes (the views read the upload)."""

    name: str
    data: bytes


def check_message(text: str, files: list[FileIn]) -> tuple[str, list[tuple[FileIn, str]]]:
    """The cleaned text and (file, content type) pairs, or InvalidInput listing every problem."""
    text = (text or "").strip()
    problems: list[str] = []
    if not text:
        problems.append(_("Write a message."))
    elif (ch := control_character(text, multiline=True)) is not None:
        problems.append(_("The message holds a control character (U+%(code)04X).") % {"code": ord(ch)})
    elif len(text) > rules.MAX_TEXT:
        problems.append(_("The message is longer than %(n)s characters.") % {"n": rules.MAX_TEXT})
    if len(files) > rules.MAX_FILES:
        problems.append(_("Attach at most %(n)s files.") % {"n": rules.MAX_FILES})
    checked: list[tuple[FileIn, str]] = []
    for f in files[: rules.MAX_FILES]:
        kind, why = rules.check_file(f.name, len(f.data), f.data[:512])
        if kind is None:
            problems.append(why)
        else:
            checked.append((f, kind))
    if problems:
        raise InvalidInput("message_invalid", " ".join(problems), problems=problems)
    return text, checked


def _thread(order: Order) -> Thread:
    thread, _created = Thread.objects.get_or_create(
        order=order, defaults={"seller_id": order.seller_id, "order_number": order.number}
    )
    return thread


def _save(thread: Thread, *, kind: str, text: str, files: list[tuple[FileIn, str]], **who: object) -> Message:
    message = Message.objects.create(
        thread=thread, author_kind=kind, text=text, created_at=timezone.now(), **who
    )
    Attachment.objects.bulk_create(
        Attachment(message=message, name=f.name[-150:], content_type=kind_, size=len(f.data), data=f.data)
        for f, kind_ in files
    )
    return message


def _sender_name(user: User | None, order: Order) -> str:
    """What the customer sees: the staff member's first name only, else the store's name."""
    first = (user.first_name if user is not None else "").strip()
    return first or order.seller.name


def message_send(
    *, seller_id: int, number: int | str, actor: Actor, text: str, files: list[FileIn]
) -> Message:
    """Staff write to the customer (R-NOTE-4); the outbox handler e-mails it with the reply link."""
    actor.require("order.act")
    clean, checked = check_message(text, files)
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        thread = _thread(order)
        message = _save(
            thread,
            kind=Author.STAFF,
            text=clean,
            files=checked,
            author_user=actor.user,
            sender_name=_sender_name(actor.user, order),
            staff_label=actor.label,
        )
        # Staff writing means staff have read what came before.
        Thread.objects.filter(pk=thread.pk).update(staff_unread=0, staff_read_at=timezone.now())
        record_event(actor, order, MessageSent(message_id=message.pk, attachments=len(checked)))
    return message


def thread_for_tracking(tracking_token: str) -> Thread:
    """The thread of the order whose tracking link this is, started if it has none yet: the
    customer's way from the tracking page to messages and feedback."""
    order = (
        Order.objects.filter(tracking_token=tracking_token).first()
        if 20 <= len(tracking_token or "") <= 64
        else None
    )
    if order is None:
        raise NotFound("order_not_found", "There is no order at this address.")
    with transaction.atomic():
        return _thread(order)


def thread_by_token(token: str) -> Thread:
    thread = Thread.objects.filter(token=token).first() if 30 <= len(token or "") <= 64 else None
    if thread is None:
        raise NotFound("thread_not_found", "There is no conversation at this address.")
    return thread


def customer_actor(order: Order) -> Actor:
    return Actor("customer", order.seller_id, Role.VIEWER, order.customer_name)


def customer_reply(*, token: str, text: str, files: list[FileIn]) -> Message:
    """The customer answers through their link (R-NOTE-4): one message, one event."""
    thread = thread_by_token(token)
    clean, checked = check_message(text, files)
    with transaction.atomic():
        order = lock_order(seller_id=thread.seller_id, number=thread.order_number)
        recent = thread.messages.filter(
            author_kind=Author.CUSTOMER, created_at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= rules.CUSTOMER_MESSAGES_PER_HOUR:
            raise Conflict(
                "too_many_messages",
                _("You have sent many messages in the last hour; please wait a little before writing again."),
            )
        message = _save(
            thread,
            kind=Author.CUSTOMER,
            text=clean,
            files=checked,
            sender_name=order.customer_name,
            staff_label=order.customer_name,
        )
        Thread.objects.filter(pk=thread.pk).update(
            staff_unread=F("staff_unread") + 1, customer_read_at=timezone.now()
        )
        record_event(
            customer_actor(order),
            order,
            CustomerMessageReceived(message_id=message.pk, attachments=len(checked), excerpt=clean[:140]),
        )
    return message


def mark_read_by_staff(thread: Thread) -> None:
    """Staff have seen the thread: clears the unread marker (a no-op when nothing is unread)."""
    if thread.staff_unread:
        Thread.objects.filter(pk=thread.pk, staff_unread__gt=0).update(
            staff_unread=0, staff_read_at=timezone.now()
        )
        thread.staff_unread = 0


def mark_read_by_customer(thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(customer_read_at=timezone.now())


# --- feedback (R-NOTE-5) --------------------------------------------------------------------------


def feedback_leave(*, token: str, rating: int | str, review: str) -> Feedback:
    """The customer rates the order 1–5 and may review it; they may change it for a while."""
    thread = thread_by_token(token)
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise InvalidInput("rating_invalid", _("Choose a rating from 1 to 5 stars."))
    review = (review or "").strip()
    if control_character(review, multiline=True) is not None:
        raise InvalidInput("review_invalid", _("The review holds a control character."))
    if len(review) > rules.MAX_REVIEW:
        raise InvalidInput(
            "review_too_long", _("The review is longer than %(n)s characters.") % {"n": rules.MAX_REVIEW}
        )
    now = timezone.now()
    with transaction.atomic():
        order = lock_order(seller_id=thread.seller_id, number=thread.order_number)
        if not rules.feedback_open(order.status):
            raise Conflict("feedback_not_open", _("Feedback opens once the order has been delivered."))
        feedback = Feedback.objects.filter(order=order).first()
        if feedback is not None and not rules.feedback_editable(feedback.created_at, now):
            raise Conflict(
                "feedback_final",
                _("Feedback can be changed for %(days)s days after it was left.")
                % {"days": rules.FEEDBACK_EDIT_DAYS},
            )
        edited = feedback is not None
        if feedback is None:
            feedback = Feedback(
                order=order, seller_id=order.seller_id, customer_id=order.customer_id, created_at=now
            )
        feedback.rating, feedback.review, feedback.updated_at = stars, review, now
        feedback.save()
        record_event(customer_actor(order), order, FeedbackReceived(rating=stars, edited=edited))
    return feedback


def feedback_remind(*, seller_id: int, number: int | str, actor: Actor) -> Thread:
    """The seller's ONE feedback reminder (R-NOTE-5); a second one is refused with the reason."""
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        if not rules.feedback_open(order.status):
            raise Conflict("feedback_not_open", _("Feedback opens once the order has been delivered."))
        if Feedback.objects.filter(order=order).exists():
            raise Conflict("feedback_left", _("The customer has already left feedback."))
        if not order.customer_email:
            raise Conflict("no_customer_email", _("The order has no customer e-mail to send a reminder to."))
        thread = _thread(order)
        if thread.feedback_reminded_at is not None:
            raise Conflict(
                "reminder_already_sent",
                _("A reminder was already sent on %(when)s by %(who)s; only one is allowed.")
                % {
                    "when": timezone.localtime(thread.feedback_reminded_at).strftime("%Y-%m-%d %H:%M"),
                    "who": thread.feedback_reminded_by,
                },
            )
        thread.feedback_reminded_at = timezone.now()
        thread.feedback_reminded_by = actor.label
        thread.save(update_fields=["feedback_reminded_at", "feedback_reminded_by"])
        record_event(actor, order, FeedbackReminderSent())
    return thread


# --- complaints (R-NOTE-6) ------------------------------------------------------------------------


def complaint_file(*, seller_id: int, number: int | str, actor: Actor, kind: str, comment: str) -> Complaint:
    """A signed complaint against the order's customer; every seller of the marketplace sees it."""
    actor.require("order.act")
    if kind not in rules.ComplaintKind.__members__.values():
        raise InvalidInput("complaint_kind_invalid", _("Choose a type of complaint from the list."))
    comment = (comment or "").strip()
    if control_character(comment, multiline=True) is not None:
        raise InvalidInput("complaint_comment_invalid", _("The comment holds a control character."))
    if not comment:
        raise InvalidInput("complaint_comment_required", _("Say what happened."))
    if len(comment) > rules.MAX_COMPLAINT:
        raise InvalidInput(
            "complaint_too_long",
            _("The comment is longer than %(n)s characters.") % {"n": rules.MAX_COMPLAINT},
        )
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        complaint = Complaint.objects.create(
            marketplace_id=order.seller.marketplace_id,
            customer_id=order.customer_id,
            seller_id=order.seller_id,
            order=order,
            kind=kind,
            comment=comment,
            author=actor.user,
            author_label=actor.label,
            created_at=timezone.now(),
        )
        record_event(actor, order, ComplaintFiled(complaint_id=complaint.pk, kind=kind))
    return complaint


def complaint_set_hidden(*, operator: User, complaint_id: int, hidden: bool, reason: str = "") -> Complaint:
    """The marketplace operator hides an abusive complaint (or shows it again). Another
    marketplace's complaint is "not found"."""
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update()
            .filter(pk=complaint_id, marketplace_id=operator.operator_of_id)
            .first()
            if operator.is_operator and operator.operator_of_id is not None
            else None
        )
        if complaint is None:
            raise NotFound("complaint_not_found", "There is no such complaint.")
        if hidden:
            complaint.hidden_at = timezone.now()
            complaint.hidden_by = operator
            complaint.hidden_by_label = operator.label
            complaint.hidden_reason = (reason or "").strip()[:500]
        else:
            complaint.hidden_at, complaint.hidden_by, complaint.hidden_by_label = None, None, ""
            complaint.hidden_reason = ""
        complaint.save(update_fields=["hidden_at", "hidden_by", "hidden_by_label", "hidden_reason"])
    return complaint
