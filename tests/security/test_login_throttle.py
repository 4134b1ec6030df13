"""The login throttle counts atomically (R-SEC-3): simultaneous wrong passwords cannot race past it."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from sellerdesk.dashboard.services import LOGIN_MAX_FAILURES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_wrong_passwords_get_exactly_five_answers(seller) -> None:  # type: ignore[no-untyped-def]
    n = 20
    barrier = threading.Barrier(n)
    statuses: list[int | str] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            client = Client()
            barrier.wait()
            status: int | str = client.post(
                "/login/", {"email": "owner@north.test", "password": "wrong"}
            ).status_code
        except Exception as exc:  # reported in the assertion below
            status = repr(exc)
        try:
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert Counter(statuses) == {400: LOGIN_MAX_FAILURES, 429: n - LOGIN_MAX_FAILURES}


@pytest.mark.django_db
def test_a_window_that_has_passed_starts_again(seller) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from sellerdesk.dashboard.models import LoginThrottle
    from sellerdesk.dashboard.services import LOGIN_WINDOW

    client = Client()
    for _ in range(LOGIN_MAX_FAILURES):
        assert client.post("/login/", {"email": "owner@north.test", "password": "x"}).status_code == 400
    assert client.post("/login/", {"email": "owner@north.test", "password": "pw"}).status_code == 429
    LoginThrottle.objects.update(
        window_start=dt.datetime.now(dt.UTC) - LOGIN_WINDOW - dt.timedelta(seconds=1)
    )
    assert client.post("/login/", {"email": "owner@north.test", "password": "pw"}).status_code == 302
    assert not LoginThrottle.objects.exists()  # a success clears the count
