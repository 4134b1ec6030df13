"""Deadlines (R-SLA-1, R-SLA-2): ship-by counts business days in the seller's time zone and country."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sellerdesk.orders.deadlines import confirm_by, ship_by

UTC = dt.UTC
MSK = ZoneInfo("Europe/Moscow")
BER = ZoneInfo("Europe/Berlin")


def end_of(day: str, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(23, 59, 59), tzinfo=tz)


def test_confirm_by_is_hours_after_placement() -> None:
    placed = dt.datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
    assert confirm_by(placed, 24) == dt.datetime(2025, 3, 15, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("confirmed", "days", "country", "zone", "due"),
    [
        # an ordinary week: Thu → Fri, Mon, Tue (the weekend does not count)
        (dt.datetime(2025, 3, 13, 10, 0, tzinfo=UTC), 3, "DE", BER, "2025-03-18"),
        # confirmed on a Saturday: counting starts on Monday
        (dt.datetime(2025, 3, 15, 10, 0, tzinfo=UTC), 1, "DE", BER, "2025-03-17"),
        # DE Easter: Good Friday 18 Apr and Easter Monday 21 Apr 2025 are holidays
        (dt.datetime(2025, 4, 17, 9, 0, tzinfo=UTC), 3, "DE", BER, "2025-04-24"),
        # RU: Russia Day (Thu 12 Jun 2025) and its bridge day (Fri 13 Jun) plus the weekend
        (dt.datetime(2025, 6, 11, 9, 0, tzinfo=UTC), 1, "RU", MSK, "2025-06-16"),
        (dt.datetime(2025, 6, 6, 9, 0, tzinfo=UTC), 3, "RU", MSK, "2025-06-11"),
        # RU: Saturday 1 Nov 2025 is a working day (moved to Mon 3 Nov)
        (dt.datetime(2025, 10, 31, 9, 0, tzinfo=UTC), 1, "RU", MSK, "2025-11-01"),
        # RU New Year: 31 Dec 2025 to 9 Jan 2026 are days off
        (dt.datetime(2025, 12, 30, 9, 0, tzinfo=UTC), 3, "RU", MSK, "2026-01-14"),
    ],
)
def test_ship_by_over_weekends_and_holidays(
    confirmed: dt.datetime, days: int, country: str, zone: ZoneInfo, due: str
) -> None:
    assert ship_by(confirmed, business_days=days, country=country, time_zone=str(zone)) == end_of(due, zone)


def test_ship_by_uses_the_sellers_local_day() -> None:
    # 22:30 UTC on Thursday is already Friday in Moscow (UTC+3) but still Thursday in Berlin (UTC+1).
    confirmed = dt.datetime(2025, 3, 13, 22, 30, tzinfo=UTC)
    moscow = ship_by(confirmed, business_days=3, country="RU", time_zone="Europe/Moscow")
    berlin = ship_by(confirmed, business_days=3, country="DE", time_zone="Europe/Berlin")
    assert moscow == end_of("2025-03-19", MSK) == dt.datetime(2025, 3, 19, 20, 59, 59, tzinfo=UTC)
    assert berlin == end_of("2025-03-18", BER) == dt.datetime(2025, 3, 18, 22, 59, 59, tzinfo=UTC)
    assert moscow.tzinfo is not None and moscow.utcoffset() == dt.timedelta(0)


def test_unknown_country_counts_weekends_only() -> None:
    # "ZZ" is no country; Fri → Mon, Tue
    confirmed = dt.datetime(2025, 12, 26, 9, 0, tzinfo=UTC)
    assert ship_by(confirmed, business_days=2, country="ZZ", time_zone="UTC") == end_of("2025-12-30", UTC)


@given(
    confirmed=st.datetimes(
        min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    days=st.integers(1, 10),
    place=st.sampled_from([("RU", "Europe/Moscow"), ("DE", "Europe/Berlin"), ("RU", "Asia/Vladivostok")]),
)
def test_ship_by_properties(confirmed: dt.datetime, days: int, place: tuple[str, str]) -> None:
    """The due day is a working day, exactly `days` working days after the local confirmation day."""
    country, zone = place
    tz = ZoneInfo(zone)
    due = ship_by(confirmed, business_days=days, country=country, time_zone=zone)
    local_due = due.astimezone(tz)
    assert local_due.time() == dt.time(23, 59, 59)
    assert due > confirmed
    calendar = holidays.country_holidays(country)

    def working(day: dt.date) -> bool:
        return calendar.is_working_day(day)

    assert working(local_due.date())
    day, counted = confirmed.astimezone(tz).date(), 0
    while day < local_due.date():
        day += dt.timedelta(days=1)
        counted += working(day)
    assert counted == days
