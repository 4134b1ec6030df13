"""Editing an order: manager (R-PROC-2), customer (R-PROC-5), notes (R-PROC-4)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.accounts.selectors import can_manage_orders
from sellerdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sellerdesk.core.events import Change
from sellerdesk.customers.selectors import customer_get

from ..deadlines import LIVE_DEADLINE, DeadlineKind, DeadlinePolicy
from ..events import (
    CustomerChanged,
    DelayAgreed,
    ManagerAssigned,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    ReminderDone,
    record_event,
)
from ..locking import ensure_open
from ..models import Order, OrderNote
from ..states import Status
from ._common import lock_order

MAX_NOTE = 5000


def order_assign_manager(*, seller_id: int, number: int | str, actor: Actor, manager_id: int | None) -> Order:
    actor.require("order.assign")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        manager = None
        if manager_id is not None:
            # Another seller's user is exactly as unknown as an id that does not exist.
            manager = User.objects.filter(pk=manager_id, seller_id=seller_id).first()
            if manager is None:
                raise NotFound(
                    "manager_not_found", "This seller has no staff member with that id.", field="manager_id"
                )
            if not can_manage_orders(manager):
                raise InvalidInput(
                    "manager_cannot_act",
                    "This staff member cannot act on orders (a viewer, or deactivated): choose someone who can.",
                    field="manager_id",
                )
        if order.manager_id == (manager.pk if manager else None):
            return order
        before = order.manager.label if order.manager is not None else None
        before_id = order.manager_id
        order.manager = manager
        order.save(update_fields=["manager", "updated_at"])
        record_event(
            actor,
            order,
            ManagerAssigned(
                manager=Change(before, manager.label if manager else None),
                manager_id=Change(before_id, manager.pk if manager else None),
            ),
        )
    return order


def order_change_customer(*, seller_id: int, number: int | str, actor: Actor, customer_id: int) -> Order:
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        # Only a customer who has ordered from this seller: any other id is unknown here (R-SEC-2).
        customer = customer_get(seller_id=seller_id, customer_id=customer_id)
        if customer is None:
            raise NotFound("customer_not_found", "There is no such customer.", field="customer_id")
        if customer.pk == order.customer_id:
            return order
        before, before_id = order.customer_name, order.customer_id
        order.customer = customer
        order.customer_name = customer.name
        order.customer_email = customer.email
        order.customer_phone = customer.phone
        order.customer_phone_digits = customer.phone_digits
        order.save()
        record_event(
            actor,
            order,
            CustomerChanged(
                customer=Change(before, customer.name), customer_id=Change(before_id, customer.pk)
            ),
        )
    return order


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("note_empty", "A note needs some text.", field="text")
    if len(text) > MAX_NOTE:
        raise InvalidInput("note_too_long", f"A note has at most {MAX_NOTE} characters.", field="text")
    return text


def note_add(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    text: str,
    remind_at: dt.datetime | None = None,
) -> OrderNote:
    actor.require("order.act")
    text = _clean_text(text)
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        note = OrderNote.objects.create(
            order=order, author=actor.user, author_label=actor.label, text=text, remind_at=remind_at
        )
        record_event(actor, order, NoteAdded(note_id=note.pk, remind_at=_iso(note.remind_at)))
    return note


def _lock_note(seller_id: int, number: int | str, note_id: int) -> tuple[Order, OrderNote]:
    order = lock_order(seller_id=seller_id, number=number)
    note = OrderNote.objects.filter(pk=note_id, order=order).first()
    if note is None:
        raise NotFound("note_not_found", f"Order {order.number} has no note {note_id}.")
    return order, note


def note_edit(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    note_id: int,
    text: str,
    remind_at: dt.datetime | None = None,
) -> OrderNote:
    actor.require("order.act")
    text = _clean_text(text)
    with transaction.atomic():
        order, note = _lock_note(seller_id, number, note_id)
        if remind_at != note.remind_at:
            note.reminder_done_at = None  # a new reminder time arms the reminder again
        note.text = text
        note.remind_at = remind_at
        note.save()
        record_event(actor, order, NoteEdited(note_id=note.pk, remind_at=_iso(note.remind_at)))
    return note


def note_reminder_done(*, seller_id: int, number: int | str, actor: Actor, note_id: int) -> OrderNote:
    """The author marks a note's reminder done (R-PROC-4): it stops alerting. Done twice is a no-op."""
    actor.require("order.act")
    with transaction.atomic():
        order, note = _lock_note(seller_id, number, note_id)
        if note.remind_at is None:
            raise Conflict("note_has_no_reminder", f"Note {note_id} has no reminder.")
        if actor.user is None or note.author_id != actor.user.pk:
            raise Forbidden("not_reminder_author", "Only the note's author can mark its reminder done.")
        if note.reminder_done_at is None:
            note.reminder_done_at = timezone.now()
            note.save(update_fields=["reminder_done_at"])
            record_event(actor, order, ReminderDone(note_id=note.pk))
    return note


def note_delete(*, seller_id: int, number: int | str, actor: Actor, note_id: int) -> None:
    actor.require("order.act")
    with transaction.atomic():
        order, note = _lock_note(seller_id, number, note_id)
        note.delete()
        record_event(actor, order, NoteDeleted(note_id=note_id))


def order_agree_delay(*, seller_id: int, number: int | str, actor: Actor, until: dt.date, note: str) -> Order:
    """Record a delay agreed with the customer (R-SLA-3): a date and a note. The ship-by deadline of
    a confirmed order moves to the end of that date (seller's time zone), and the close-by deadline
    to `auto_close_days` after it. The note is internal: it stays on the order."""
    actor.require("order.act")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("note_required", "Say what was agreed in the note.", field="note")
    if len(note) > 1000:
        raise InvalidInput("note_too_long", "The note is at most 1,000 characters.", field="note")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        ensure_open(order)
        policy = DeadlinePolicy.of(order.seller)
        today = timezone.now().astimezone(policy.tz).date()
        if until < today:
            raise InvalidInput("date_in_past", "The agreed date cannot be in the past.", field="until")
        old_ship, old_close = order.ship_by, order.close_by
        order.agreed_until, order.agreed_note = until, note
        order.close_by = policy.close_by(order.created_at, until)
        fields = ["agreed_until", "agreed_note", "close_by", "updated_at"]
        ship_change = None
        if LIVE_DEADLINE.get(Status(order.status)) == DeadlineKind.SHIP:
            order.ship_by = policy.end_of(until)
            fields.append("ship_by")
            ship_change = Change(_iso(old_ship), _iso(order.ship_by))
        order.save(update_fields=fields)
        record_event(
            actor,
            order,
            DelayAgreed(
                until=until.isoformat(),
                ship_by=ship_change,
                close_by=Change(_iso(old_close), _iso(order.close_by)),
            ),
        )
        return order
