"""A 4xx is logged once: one record of django.request, written by exactly one handler."""

from __future__ import annotations

import logging

import pytest
from django.test import Client


def _writers(record: logging.LogRecord) -> list[logging.Handler]:
    """The handlers, outside pytest's own capture, that would write this record."""
    out: list[logging.Handler] = []
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest"):
                continue
            if record.levelno >= handler.level and handler.filter(record):
                out.append(handler)
        logger = logger.parent if logger.propagate else None
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/no-such-page/", "/api/v1/orders/1001", "/api/v1/no-such-path"])
def test_a_4xx_is_written_once(settings, caplog, debug: bool, path: str) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = debug
    with caplog.at_level(logging.WARNING):
        status = Client().get(path).status_code
    assert 400 <= status < 500
    records = [r for r in caplog.records if r.name.startswith("django")]
    assert len(records) == 1, [r.getMessage() for r in caplog.records]
    assert len(_writers(records[0])) == 1, _writers(records[0])
