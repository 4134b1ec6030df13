"""When a failed delivery is tried again (R-NOTE-7): a fixed exponential-ish schedule over 3.5 days.

After the first attempt fails, the next ones wait these delays in turn; a `Retry-After` answer that
asks for later is honoured (up to the longest step). When the last retry fails the delivery has
failed for good and its subscription is disabled; so is one that has failed for 5 days in a row.
"""

from __future__ import annotations

import datetime as dt
import email.utils

RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
    dt.timedelta(hours=14),
    dt.timedelta(hours=20),
    dt.timedelta(hours=24),
)
LONGEST = max(RETRY_DELAYS)
DISABLE_AFTER = dt.timedelta(days=5)  # failing continuously this long disables the subscription


def retry_after(value: str | None, now: dt.datetime) -> dt.timedelta | None:
    """The wait a `Retry-After` header asks for (delay-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return dt.timedelta(seconds=int(value[:9]))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(dt.timedelta(0), when - now)


def next_attempt(step: int, now: dt.datetime, asked: dt.timedelta | None = None) -> dt.datetime | None:
    """When to try again after the `step`-th failed attempt (1-based); None when none is left."""
    if step > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[step - 1]
    if asked is not None and asked > delay:
        delay = min(asked, LONGEST)
    return now + delay
