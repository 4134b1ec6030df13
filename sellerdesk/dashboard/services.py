"""Writes of the dashboard's own tables: login throttling (R-SEC-3), saved views, column choice."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import User
from sellerdesk.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from sellerdesk.orders import services as order_services

from .models import LoginThrottle, SavedView
from .selectors import orders_missing

# --- login throttling -----------------------------------------------------------

LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW = dt.timedelta(minutes=15)


def _login_key(email: str, ip: str) -> str:
    return hashlib.sha256(f"{email.strip().lower()}|{ip}".encode()).hexdigest()


def login_attempt(*, email: str, ip: str) -> bool:
    """Count one login attempt for this e-mail from this IP; False when it is over the limit.

    The count is taken before the password is checked, by one upsert that increments and returns
    the new count (`… ON CONFLICT DO UPDATE SET attempts = attempts + 1 RETURNING attempts`), so
    of N simultaneous attempts exactly LOGIN_MAX_FAILURES get through, however they interleave.
    A window older than LOGIN_WINDOW starts again at 1. A successful login clears the count.
    """
    now = timezone.now()
    q = connection.ops.quote_name
    cols = {f.name: q(f.column) for f in LoginThrottle._meta.concrete_fields}
    t, key, n, start = q(LoginThrottle._meta.db_table), cols["key"], cols["attempts"], cols["window_start"]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {t} ({key}, {n}, {start}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key}) DO UPDATE SET "
            f"{n} = CASE WHEN {t}.{start} < %s THEN 1 ELSE {t}.{n} + 1 END, "
            f"{start} = CASE WHEN {t}.{start} < %s THEN excluded.{start} ELSE {t}.{start} END "
            f"RETURNING {n}",
            [_login_key(email, ip), now, now - LOGIN_WINDOW, now - LOGIN_WINDOW],
        )
        (attempts,) = cur.fetchone()
    LoginThrottle.objects.filter(window_start__lt=now - LOGIN_WINDOW).delete()  # forget old keys
    return bool(attempts <= LOGIN_MAX_FAILURES)


def login_succeeded(*, email: str, ip: str) -> None:
    LoginThrottle.objects.filter(key=_login_key(email, ip)).delete()


# --- saved views ----------------------------------------------------------------

MAX_VIEW_NAME = 80


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("view_name_required", "Give the view a name.", field="name")
    if len(name) > MAX_VIEW_NAME:
        raise InvalidInput(
            "view_name_too_long", f"A view name has at most {MAX_VIEW_NAME} characters.", field="name"
        )
    return name


def _own_view(*, user: User, view_id: int) -> SavedView:
    if user.seller_id is None:
        raise NotFound("view_not_found", "There is no such saved view.")
    view = SavedView.objects.filter(pk=view_id, seller_id=user.seller_id).first()
    if view is None or (view.owner_id != user.pk and not view.shared):
        raise NotFound("view_not_found", "There is no such saved view.")
    if view.owner_id != user.pk:
        raise Forbidden("not_view_owner", "Only the person who saved this view can change it.")
    return view


def saved_view_create(*, user: User, name: str, query: str, shared: bool = False) -> SavedView:
    name = _clean_name(name)
    if user.seller_id is None:
        raise Forbidden("not_a_seller", "Only a seller's staff save views.")
    if len(query) > 2000:
        raise InvalidInput("view_query_too_long", "This filter is too long to save.", field="query")
    try:
        with transaction.atomic():
            return SavedView.objects.create(
                seller_id=user.seller_id, owner=user, name=name, query=query, shared=shared
            )
    except IntegrityError:
        raise Conflict("view_name_taken", f"You already have a view called “{name}”.", field="name") from None


def saved_view_update(
    *,
    user: User,
    view_id: int,
    name: str | None = None,
    query: str | None = None,
    shared: bool | None = None,
) -> SavedView:
    view = _own_view(user=user, view_id=view_id)
    if name is not None:
        view.name = _clean_name(name)
    if query is not None:
        if len(query) > 2000:
            raise InvalidInput("view_query_too_long", "This filter is too long to save.", field="query")
        view.query = query
    if shared is not None:
        view.shared = shared
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise Conflict(
            "view_name_taken", f"You already have a view called “{view.name}”.", field="name"
        ) from None
    return view


def saved_view_delete(*, user: User, view_id: int) -> None:
    _own_view(user=user, view_id=view_id).delete()


# --- per-user preferences -------------------------------------------------------


def user_set_preference(*, user: User, key: str, value: Any) -> None:
    """Store one preference in User.preferences (JSON), so it follows the user across browsers."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        prefs = dict(locked.preferences or {})
        prefs[key] = value
        locked.preferences = prefs
        locked.save(update_fields=["preferences"])
    user.preferences = prefs


# --- bulk actions (R-LIST-6) ----------------------------------------------------


@dataclass(frozen=True)
class BulkResult:
    number: int
    ok: bool
    message: str
    code: str = ""


BULK_ACTIONS = ("confirm", "mark_paid", "assign")


def bulk_run(
    *,
    seller_id: int,
    actor: Actor,
    action: str,
    numbers: list[int],
    manager_id: int | None = None,
) -> list[BulkResult]:
    """Apply one action to each order through its service, each in its own transaction.

    A refused order (wrong state, already paid) is reported and does not stop the others. A
    selection naming an order or a manager this seller does not have is not found as a whole
    (404, nothing written), whether the id is unknown or another seller's (R-SEC-2).
    """
    if action not in BULK_ACTIONS:
        raise InvalidInput("invalid_bulk_action", f"Unknown action {action!r}.", field="action")
    actor.require("order.assign" if action == "assign" else "order.act")
    if missing := orders_missing(seller_id=seller_id, numbers=numbers):
        raise NotFound("order_not_found", f"No order {missing[0]} here.", numbers=missing[:20])
    if (
        action == "assign"
        and manager_id is not None
        and not User.objects.filter(pk=manager_id, seller_id=seller_id, is_active=True).exists()
    ):
        raise NotFound("manager_not_found", "No active staff member of this seller has that id.")
    results: list[BulkResult] = []
    if action == "confirm":  # set-based: a thousand orders in a few statements
        outcome = order_services.order_confirm_many(seller_id=seller_id, numbers=numbers, actor=actor)
        for number, error in outcome.items():
            if error is None:
                results.append(BulkResult(number, True, ""))
            else:
                results.append(BulkResult(number, False, error.detail, error.code))
        return results
    for number in numbers:
        try:
            if action == "mark_paid":
                order_services.order_mark_paid(seller_id=seller_id, number=number, actor=actor)
            else:
                order_services.order_assign_manager(
                    seller_id=seller_id, number=number, actor=actor, manager_id=manager_id
                )
        except DomainError as error:
            results.append(BulkResult(number, False, error.detail, error.code))
        else:
            results.append(BulkResult(number, True, ""))
    return results
