"""The writer of a seller's deadline policy (R-SLA): owners and administrators change it, everyone
of the seller reads it (`policy_view`).

The rules of a valid policy live here once; the settings page and the API turn the `InvalidInput`
they raise into a form error or a problem+json answer on the named field.

A change applies to the deadlines computed after it: confirm-by and close-by of orders placed
afterwards, ship-by of orders confirmed afterwards. The deadlines an open order already carries are
the ones its customer and the marketplace were given; they stay (an agreed delay moves one order's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

import holidays
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import InvalidInput

from .deadlines import WEEKDAYS, DeadlinePolicy, MissAction, _calendar

PERMISSION = "settings.manage"
MAX_DAYS_OFF = 366


@dataclass(frozen=True)
class Bound:
    low: int
    high: int
    message: Any  # a lazily translated text


LEAD = gettext_lazy("A warning lead time is 0 to 720 hours (0: no warning).")
# The whole-number settings and their bounds (Seller field → bounds). 0 warning hours: no warning.
NUMBERS: dict[str, Bound] = {
    "confirm_within_hours": Bound(1, 720, gettext_lazy("Confirm-by is 1 to 720 hours.")),
    "ship_within_business_days": Bound(1, 60, gettext_lazy("Ship-by is 1 to 60 business days.")),
    "auto_close_days": Bound(1, 365, gettext_lazy("Auto-close is 1 to 365 days.")),
    "confirm_warn_hours": Bound(0, 720, LEAD),
    "ship_warn_hours": Bound(0, 720, LEAD),
    "close_warn_hours": Bound(0, 720, LEAD),
}
ACTIONS = ("confirm_miss_action", "ship_miss_action")
FIELDS = ("time_zone", "country", "working_days", *NUMBERS, *ACTIONS)


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    return tuple(
        sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    )


@lru_cache(maxsize=1)
def countries() -> tuple[str, ...]:
    """The countries whose public holidays are known (the `holidays` package)."""
    return tuple(sorted(holidays.list_supported_countries()))


def clean_policy(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of `values` checked and normalised (only the keys given); InvalidInput names
    the first wrong field."""
    out: dict[str, Any] = {}
    if "time_zone" in values:
        tz = str(values["time_zone"] or "").strip()
        if tz not in available_timezones():
            raise InvalidInput("invalid_time_zone", _("Choose a time zone from the list."), field="time_zone")
        out["time_zone"] = tz
    if "country" in values:
        country = str(values["country"] or "").strip().upper()
        if country not in countries():
            raise InvalidInput(
                "invalid_country",
                _("Choose a country whose public holidays are known (two letters, e.g. RU or DE)."),
                field="country",
            )
        out["country"] = country
    if "working_days" in values:
        raw = values["working_days"]
        digits = {str(d).strip() for d in (raw if isinstance(raw, (list, tuple, set)) else str(raw or ""))}
        days = "".join(d for d in WEEKDAYS if d in digits)
        if not days or digits - set(WEEKDAYS):
            raise InvalidInput(
                "invalid_working_days", _("Choose at least one working day."), field="working_days"
            )
        out["working_days"] = days
    for name, bound in NUMBERS.items():
        if name not in values:
            continue
        try:
            number = int(str(values[name]).strip())
        except (TypeError, ValueError):
            number = bound.low - 1
        if not bound.low <= number <= bound.high:
            raise InvalidInput(
                "invalid_number", str(bound.message), field=name, minimum=bound.low, maximum=bound.high
            )
        out[name] = number
    for name in ACTIONS:
        if name in values:
            action = str(values[name] or "")
            if action not in {a.value for a in MissAction}:
                raise InvalidInput("invalid_miss_action", _("Choose cancel or flag only."), field=name)
            out[name] = action
    return out


def policy_update(*, seller_id: int, actor: Actor, values: Mapping[str, Any]) -> Seller:
    """Change the settings named in `values` (one transaction). Open orders keep their deadlines."""
    actor.require(PERMISSION)
    cleaned = clean_policy(values)
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller_id)
        for name, value in cleaned.items():
            setattr(seller, name, value)
        seller.save(update_fields=list(cleaned) or None)
        return seller


def _day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput("invalid_date", _("A date, e.g. 2026-12-31."), field="day") from None


def day_off_add(*, seller_id: int, actor: Actor, day: dt.date | str) -> Seller:
    """One of the seller's own days off (no business day for ship-by). Not in the past."""
    actor.require(PERMISSION)
    when = _day(day)
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller_id)
        if when < timezone.now().astimezone(DeadlinePolicy.of(seller).tz).date():
            raise InvalidInput("date_in_past", _("A day off in the past changes nothing."), field="day")
        have = set(seller.days_off or [])
        if when.isoformat() in have:
            raise InvalidInput("day_off_exists", _("That day is a day off already."), field="day")
        if len(have) >= MAX_DAYS_OFF:
            raise InvalidInput("too_many_days_off", _("Remove past days off first."), field="day")
        seller.days_off = sorted(have | {when.isoformat()})
        seller.save(update_fields=["days_off"])
        return seller


def day_off_remove(*, seller_id: int, actor: Actor, day: dt.date | str) -> Seller:
    actor.require(PERMISSION)
    when = _day(day).isoformat()
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller_id)
        if when not in (seller.days_off or []):
            raise InvalidInput("day_off_unknown", _("That day is not one of your days off."), field="day")
        seller.days_off = [d for d in seller.days_off if d != when]
        seller.save(update_fields=["days_off"])
        return seller


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str
    own: bool  # one of the seller's days off, not a public holiday


def upcoming_days_off(seller: Seller, *, today: dt.date | None = None, days: int = 120) -> list[Holiday]:
    """The public holidays of the seller's country and the seller's own days off in the next
    `days` days, in date order (what ship-by skips besides the non-working weekdays)."""
    policy = DeadlinePolicy.of(seller)
    start = today or timezone.now().astimezone(policy.tz).date()
    end = start + dt.timedelta(days=days)
    calendar = _calendar(policy.country)
    found: dict[dt.date, Holiday] = {}
    for year in range(start.year, end.year + 1):
        calendar.get(dt.date(year, 1, 1))  # the package fills a year's days on first look-up
    for day, name in sorted(calendar.items()):
        if start <= day <= end:
            found[day] = Holiday(day, str(name), own=False)
    for day in policy.days_off:
        if start <= day <= end and day not in found:
            found[day] = Holiday(day, _("Day off"), own=True)
    return [found[d] for d in sorted(found)]
