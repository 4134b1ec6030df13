"""Deadline arithmetic (R-SLA-1, R-SLA-2): hours for confirm-by, business days for ship-by."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


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
