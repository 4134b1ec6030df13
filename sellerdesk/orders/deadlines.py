"""Deadlines (R-SLA-1, R-SLA-2): hours for confirm-by, business days for ship-by, and the policy of
which deadline is live in each status, with its "overdue" and "due within" query filters."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, reduce
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q

from .states import Status

T = TypeVar("T")


@lru_cache(maxsize=64)
def _calendar(country: str) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:  # a country the library does not know: weekends only
        return holidays.HolidayBase()


class MissAction(StrEnum):
    """What happens when a confirm-by or ship-by deadline passes (R-SLA-1, R-SLA-2)."""

    CANCEL = "cancel"
    FLAG = "flag"


WEEKDAYS = "1234567"  # ISO weekday digits, as Seller.working_days stores them


@dataclass(frozen=True)
class DeadlinePolicy:
    """A seller's deadline policy (R-SLA-1..4), declared once; built from the Seller row.

    Confirm-by is wall-clock hours from placement (a customer waits through nights and weekends
    too); ship-by is the end of the Nth working day after confirmation in the seller's calendar;
    close-by is `close_days` after placement, or after the agreed date when a delay is recorded.
    """

    time_zone: str = "Europe/Moscow"
    country: str = "RU"
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekdays
    days_off: frozenset[dt.date] = frozenset()
    confirm_hours: int = 24
    ship_business_days: int = 3
    close_days: int = 14
    on_confirm_miss: MissAction = MissAction.CANCEL
    on_ship_miss: MissAction = MissAction.CANCEL
    warn_confirm: dt.timedelta = dt.timedelta(hours=4)
    warn_ship: dt.timedelta = dt.timedelta(hours=24)
    warn_close: dt.timedelta = dt.timedelta(hours=24)

    @classmethod
    def of(cls, seller: _SellerPolicy) -> DeadlinePolicy:
        return cls(
            time_zone=seller.time_zone,
            country=seller.country,
            working_days=frozenset(int(d) for d in seller.working_days if d in WEEKDAYS) or frozenset({1}),
            days_off=frozenset(dt.date.fromisoformat(d) for d in seller.days_off or ()),
            confirm_hours=seller.confirm_within_hours,
            ship_business_days=seller.ship_within_business_days,
            close_days=seller.auto_close_days,
            on_confirm_miss=MissAction(seller.confirm_miss_action),
            on_ship_miss=MissAction(seller.ship_miss_action),
            warn_confirm=dt.timedelta(hours=seller.confirm_warn_hours),
            warn_ship=dt.timedelta(hours=seller.ship_warn_hours),
            warn_close=dt.timedelta(hours=seller.close_warn_hours),
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_working_day(self, day: dt.date) -> bool:
        """A working weekday of the seller, or a weekend day the country moved work to (RU); never
        a public holiday or one of the seller's days off."""
        if day in self.days_off:
            return False
        calendar = _calendar(self.country)
        if day in calendar:
            return False
        return day.isoweekday() in self.working_days or day in calendar.weekend_workdays

    def add_business_days(self, start: dt.date, n: int) -> dt.date:
        """The Nth working day after `start` (n = 0: `start` itself if working, else the next)."""
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        while n > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def end_of(self, day: dt.date) -> dt.datetime:
        """The last second of `day` in the seller's time zone, as UTC."""
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=self.tz).astimezone(dt.UTC)

    def confirm_by(self, placed_at: dt.datetime) -> dt.datetime:
        # in UTC: arithmetic on a local time would add wall-clock hours (23 or 25 across a DST change)
        return placed_at.astimezone(dt.UTC) + dt.timedelta(hours=self.confirm_hours)

    def ship_by(self, confirmed_at: dt.datetime) -> dt.datetime:
        local_day = confirmed_at.astimezone(self.tz).date()
        return self.end_of(self.add_business_days(local_day, self.ship_business_days))

    def close_by(self, placed_at: dt.datetime, agreed_until: dt.date | None = None) -> dt.datetime:
        if agreed_until is not None:
            return self.end_of(agreed_until) + dt.timedelta(days=self.close_days)
        return placed_at.astimezone(dt.UTC) + dt.timedelta(days=self.close_days)

    def on_miss(self, kind: DeadlineKind) -> MissAction:
        return self.on_confirm_miss if kind == DeadlineKind.CONFIRM else self.on_ship_miss

    def warn_before(self, kind: str) -> dt.timedelta:
        """The lead time of the warning before a deadline: confirm, ship or close (R-SLA-4)."""
        return {"confirm": self.warn_confirm, "ship": self.warn_ship, "close": self.warn_close}[str(kind)]


class _SellerPolicy(Protocol):
    time_zone: str
    country: str
    working_days: str
    days_off: list[str]
    confirm_within_hours: int
    ship_within_business_days: int
    auto_close_days: int
    confirm_miss_action: str
    ship_miss_action: str
    confirm_warn_hours: int
    ship_warn_hours: int
    close_warn_hours: int


def manager_else_admins(manager: T | None, admins: Iterable[T]) -> list[T]:
    """Who follows an order up (R-SLA-4 warnings and missed deadlines, customer messages): its
    assigned manager, else the seller's owners and administrators (ids or users alike)."""
    return [manager] if manager else list(admins)


def confirm_by(placed_at: dt.datetime, hours: int) -> dt.datetime:
    return DeadlinePolicy(confirm_hours=hours).confirm_by(placed_at)


def ship_by(confirmed_at: dt.datetime, *, business_days: int, country: str, time_zone: str) -> dt.datetime:
    """End of the Nth working day (Mon–Fri, no public holiday) after confirmation, in the seller's
    time zone. The seller's own working days and days off: `DeadlinePolicy.ship_by`."""
    policy = DeadlinePolicy(time_zone=time_zone, country=country, ship_business_days=business_days)
    return policy.ship_by(confirmed_at)


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
