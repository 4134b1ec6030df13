"""Deadlines (R-SLA-1, R-SLA-2): hours for confirm-by, business days for ship-by, and the policy of
which deadline is live in each status, with its "overdue" and "due within" query filters."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, reduce
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q

from .states import Status


@lru_cache(maxsize=64)
def _calendar(country: str) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:  # a country the library does not know: weekends only
        return holidays.HolidayBase()


def confirm_by(placed_at: dt.datetime, hours: int) -> dt.datetime:
    return placed_at + dt.timedelta(hours=hours)


def ship_by(confirmed_at: dt.datetime, *, business_days: int, country: str, time_zone: str) -> dt.datetime:
    """End of the Nth working day after confirmation, in the seller's time zone."""
    tz = ZoneInfo(time_zone)
    local_day = confirmed_at.astimezone(tz).date()
    due = _calendar(country).get_nth_working_day(local_day, business_days)
    return dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=tz).astimezone(dt.UTC)


# --- the deadline policy (R-SLA-1, R-SLA-2, R-LIST-5) -------------------------------------
#
# Which deadline is live in each status. One table: the list's "overdue" filter, the home
# page's "due soon", the order page's badges and the export all read it. A status that is
# not here has no live deadline (shipped orders wait on the carrier, final ones on nothing).


class DeadlineKind(StrEnum):
    CONFIRM = "confirm"
    SHIP = "ship"


# kind -> the Order field that holds it
DEADLINE_FIELDS: dict[DeadlineKind, str] = {
    DeadlineKind.CONFIRM: "confirm_by",
    DeadlineKind.SHIP: "ship_by",
}

LIVE_DEADLINE: dict[Status, DeadlineKind] = {
    Status.PENDING: DeadlineKind.CONFIRM,
    Status.CONFIRMED: DeadlineKind.SHIP,
    Status.PROCESSING: DeadlineKind.SHIP,
}


@dataclass(frozen=True)
class LiveDeadline:
    kind: DeadlineKind
    due: dt.datetime

    def overdue(self, now: dt.datetime) -> bool:
        return self.due < now


class _HasDeadlines(Protocol):
    status: str
    confirm_by: dt.datetime | None
    ship_by: dt.datetime | None


def live_deadline(order: _HasDeadlines) -> LiveDeadline | None:
    """The deadline that counts for the order now, or None (no live deadline, or not set)."""
    kind = LIVE_DEADLINE.get(Status(order.status))
    if kind is None:
        return None
    due = getattr(order, DEADLINE_FIELDS[kind])
    return LiveDeadline(kind, due) if due is not None else None


def is_overdue(order: _HasDeadlines, now: dt.datetime) -> bool:
    live = live_deadline(order)
    return live is not None and live.overdue(now)


def _deadline_q(lookup: str, bound: dt.datetime, kinds: Iterable[DeadlineKind] | None = None) -> Q:
    wanted = set(kinds) if kinds is not None else set(DeadlineKind)
    parts = [
        Q(
            status__in=[s for s, k in LIVE_DEADLINE.items() if k == kind],
            **{f"{DEADLINE_FIELDS[kind]}__{lookup}": bound},
        )
        for kind in DeadlineKind
        if kind in wanted
    ]
    return reduce(operator.or_, parts) if parts else Q(pk__in=[])  # no kind: matches nothing


def overdue_q(now: dt.datetime, kinds: Iterable[DeadlineKind] | None = None) -> Q:
    """Orders whose live deadline has passed."""
    return _deadline_q("lt", now, kinds)


def due_within_q(now: dt.datetime, within: dt.timedelta, kinds: Iterable[DeadlineKind] | None = None) -> Q:
    """Orders whose live deadline falls before now + within (overdue ones included)."""
    return _deadline_q("lte", now + within, kinds)


def time_left(due: dt.datetime, now: dt.datetime) -> tuple[bool, int, str]:
    """(overdue, amount, unit) of the time between now and a deadline, in its largest whole unit
    ("day", "hour" or "minute"); the dashboard words it ("3 h left", "overdue by 2 d")."""
    seconds = abs((due - now).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600)):
        if seconds >= size:
            return due < now, int(seconds // size), unit
    return due < now, max(1, int(seconds // 60)), "minute"
