"""The seller's business calendar (R-SLA-1, R-SLA-2): working days, public holidays of the seller's
country, the seller's own days off, its time zone — as properties and as fixed cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sellerdesk.orders.deadlines import DeadlinePolicy

UTC = dt.UTC
BER = ZoneInfo("Europe/Berlin")
MSK = ZoneInfo("Europe/Moscow")

policies = st.builds(
    DeadlinePolicy,
    time_zone=st.sampled_from(["Europe/Moscow", "Europe/Berlin", "Asia/Vladivostok", "America/New_York"]),
    country=st.sampled_from(["RU", "DE", "US", "ZZ"]),
    working_days=st.frozensets(st.integers(1, 7), min_size=1),
    days_off=st.frozensets(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)), max_size=20),
)
days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
instants = st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2026, 12, 31), timezones=st.just(UTC))


@settings(deadline=None)  # the holiday tables of a year are built on first use
@given(policy=policies, start=days, n=st.integers(0, 15))
def test_a_deadline_never_lands_on_a_non_working_day(policy: DeadlinePolicy, start: dt.date, n: int) -> None:
    due = policy.add_business_days(start, n)
    assert policy.is_working_day(due)
    assert due >= start
    between = [start + dt.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    if n > 0:  # exactly n working days after the start day
        assert sum(policy.is_working_day(d) for d in between) == n


@settings(deadline=None)  # the holiday tables of a year are built on first use
@given(policy=policies, start=days, n=st.integers(1, 12), more=st.integers(1, 5))
def test_adding_business_days_is_monotonic_in_n(
    policy: DeadlinePolicy, start: dt.date, n: int, more: int
) -> None:
    # Strictly from n = 1; n = 0 (the start day if it is a working day) may equal n = 1.
    assert policy.add_business_days(start, 0) <= policy.add_business_days(start, n)
    assert policy.add_business_days(start, n) < policy.add_business_days(start, n + more)


@settings(deadline=None)  # the holiday tables of a year are built on first use
@given(policy=policies, a=instants, b=instants, n=st.integers(0, 10))
def test_ship_by_is_monotonic_in_the_start(
    policy: DeadlinePolicy, a: dt.datetime, b: dt.datetime, n: int
) -> None:
    policy = DeadlinePolicy(**{**policy.__dict__, "ship_business_days": n})
    early, late = sorted([a, b])
    assert policy.ship_by(early) <= policy.ship_by(late)
    local = policy.ship_by(late).astimezone(ZoneInfo(policy.time_zone))
    assert local.time() == dt.time(23, 59, 59) and policy.is_working_day(local.date())


def test_friday_afternoon_before_a_monday_holiday_is_due_on_thursday() -> None:
    # DE: Whit Monday 9 Jun 2025 is a public holiday. Fri 6 Jun 15:00 → Tue, Wed, Thu.
    policy = DeadlinePolicy(time_zone="Europe/Berlin", country="DE", ship_business_days=3)
    confirmed = dt.datetime(2025, 6, 6, 15, 0, tzinfo=BER)
    assert policy.ship_by(confirmed) == dt.datetime(2025, 6, 12, 23, 59, 59, tzinfo=BER)


def test_the_sellers_own_days_off_and_working_days_count() -> None:
    base = DeadlinePolicy(time_zone="Europe/Moscow", country="RU", ship_business_days=2)
    confirmed = dt.datetime(2025, 3, 11, 10, 0, tzinfo=MSK)  # a Tuesday
    assert base.ship_by(confirmed).astimezone(MSK).date() == dt.date(2025, 3, 13)
    off = DeadlinePolicy(**{**base.__dict__, "days_off": frozenset({dt.date(2025, 3, 12)})})
    assert off.ship_by(confirmed).astimezone(MSK).date() == dt.date(2025, 3, 14)
    six_days = DeadlinePolicy(**{**base.__dict__, "working_days": frozenset({1, 2, 3, 4, 5, 6})})
    friday = dt.datetime(2025, 3, 14, 10, 0, tzinfo=MSK)
    assert six_days.ship_by(friday).astimezone(MSK).date() == dt.date(2025, 3, 17)  # Sat, Mon


@pytest.mark.parametrize(
    ("confirmed", "due_utc"),
    [
        # due Mon 31 Mar 2025, after the spring change (CEST, UTC+2): 21:59:59 UTC
        (dt.datetime(2025, 3, 28, 12, 0, tzinfo=UTC), dt.datetime(2025, 3, 31, 21, 59, 59, tzinfo=UTC)),
        # due Mon 27 Oct 2025, after the autumn change (CET, UTC+1): 22:59:59 UTC
        (dt.datetime(2025, 10, 24, 12, 0, tzinfo=UTC), dt.datetime(2025, 10, 27, 22, 59, 59, tzinfo=UTC)),
    ],
)
def test_ship_by_across_daylight_saving_changes(confirmed: dt.datetime, due_utc: dt.datetime) -> None:
    policy = DeadlinePolicy(time_zone="Europe/Berlin", country="DE", ship_business_days=1)
    assert policy.ship_by(confirmed) == due_utc


def test_confirm_by_is_wall_clock_hours_even_across_a_dst_change() -> None:
    policy = DeadlinePolicy(time_zone="Europe/Berlin", country="DE", confirm_hours=24)
    placed = dt.datetime(2025, 3, 29, 12, 0, tzinfo=BER)  # the clocks go forward that night
    assert policy.confirm_by(placed) - placed == dt.timedelta(hours=24)
    assert policy.confirm_by(placed).astimezone(BER).hour == 13


def test_close_by_counts_from_placement_or_from_the_agreed_date() -> None:
    policy = DeadlinePolicy(time_zone="Europe/Moscow", close_days=14)
    placed = dt.datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    assert policy.close_by(placed) == dt.datetime(2025, 3, 15, 9, 0, tzinfo=UTC)
    agreed = policy.close_by(placed, dt.date(2025, 4, 1))
    assert agreed == dt.datetime(2025, 4, 15, 23, 59, 59, tzinfo=MSK)
