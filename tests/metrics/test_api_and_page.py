"""R-SLA-5: GET /api/v1/metrics and the metrics page, on the real HTTP layer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from sellerdesk.accounts.models import Seller
from sellerdesk.metrics.definitions import METRICS, SERIES_WEEKS
from sellerdesk.orders.models import Order
from tests.conftest import place, staff

pytestmark = pytest.mark.django_db


def confirmed_after(seller: Seller, hours: int, **kw: Any) -> Order:
    o = place(seller)
    Order.objects.filter(pk=o.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2),
        confirmed_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=hours),
        **kw,
    )
    return o


def test_api_shape_and_values(seller: Seller, other_seller: Seller, api: Any) -> None:
    confirmed_after(seller, 10)
    confirmed_after(seller, 20)
    confirmed_after(seller, 500, is_test=True)  # never counts
    confirmed_after(other_seller, 300)  # not this seller's
    r = api.get("/metrics", window="7")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["window"] == 7
    assert [m["key"] for m in body["metrics"]] == [m.value for m in METRICS]
    confirm = body["metrics"][0]
    assert confirm["key"] == "confirm_time"
    assert (confirm["value"], confirm["count"], confirm["status"]) == (15.0, 2, "ok")
    assert (confirm["unit"], confirm["direction"], confirm["limit"], confirm["warning"]) == (
        "hours",
        "max",
        24.0,
        18.0,
    )
    assert len(confirm["series"]) == SERIES_WEEKS
    assert confirm["series"][-1]["value"] == 15.0
    feedback = next(m for m in body["metrics"] if m["key"] == "feedback_rating")
    assert (feedback["value"], feedback["status"]) == (None, "no_data")


def test_api_window_defaults_to_thirty_and_refuses_others(api: Any) -> None:
    assert api.get("/metrics").json()["window"] == 30
    for bad in ("5", "x", "-7"):
        r = api.get("/metrics", window=bad)
        assert r.status_code == 422
        assert r["Content-Type"] == "application/problem+json"


def test_api_needs_a_key() -> None:
    assert Client().get("/api/v1/metrics").status_code == 401


def test_openapi_documents_the_operation(api: Any) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    op = doc["paths"]["/api/v1/metrics"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"window", "at"}
    assert "MetricsOut" in doc["components"]["schemas"]


def test_page_for_a_seller_without_orders_says_no_data(seller: Seller) -> None:
    client = Client()
    client.force_login(staff(seller, "viewer"))
    r = client.get("/metrics/")
    assert r.status_code == 200
    html = r.content.decode()
    for d in METRICS.values():
        assert str(d.label) in html
    assert html.count('class="metric-nodata"') == len(METRICS)
    assert html.count('<svg class="metric-chart"') == len(METRICS)  # the charts (the bell is an SVG too)
    assert html.count("<title id=") == len(METRICS)  # each chart is named and described
    assert html.count("<desc id=") == len(METRICS)
    assert html.count("<polyline") == 0


def test_page_shows_values_a_chart_and_a_table(seller: Seller) -> None:
    confirmed_after(seller, 10)
    confirmed_after(seller, 30)  # average 20 h: past the 18 h warning level
    client = Client()
    client.force_login(staff(seller, "viewer"))
    html = client.get("/metrics/?window=7").content.decode()
    card = html[html.index('id="m-confirm_time"') : html.index('id="m-ship_time"')]
    assert "20.0 h" in card
    assert "Warning" in card
    assert re.search(r'<circle class="dot dot-warning"', card)
    assert "<table" in card
    assert 'aria-current="page">7 days' in html


def test_page_falls_back_to_thirty_days_on_a_strange_window(seller: Seller) -> None:
    client = Client()
    client.force_login(staff(seller, "viewer"))
    r = client.get("/metrics/?window=abc")
    assert r.status_code == 200
    assert 'aria-current="page">30 days' in r.content.decode()


def test_as_of_a_day_reads_the_windows_ending_that_night_in_the_sellers_time_zone(
    seller: Seller, api: Any
) -> None:
    """R-SLA-5 "as of": an order confirmed in 10 h two days ago counts as of today, not as of four days
    ago (before it was placed); the page, the API and the command agree."""
    confirmed_after(seller, 10)
    today = timezone.localdate(timezone.now(), ZoneInfo(seller.time_zone))
    earlier = today - dt.timedelta(days=4)
    body = api.get("/metrics", window="7", at=earlier.isoformat()).json()
    confirm = body["metrics"][0]
    assert (confirm["value"], confirm["count"]) == (None, 0)
    midnight = dt.datetime.combine(
        earlier + dt.timedelta(days=1), dt.time(), tzinfo=ZoneInfo(seller.time_zone)
    )
    assert dt.datetime.fromisoformat(body["as_of"].replace("Z", "+00:00")) == midnight
    assert api.get("/metrics", window="7", at=today.isoformat()).json()["metrics"][0]["count"] == 1

    client = Client()
    client.force_login(staff(seller, "viewer"))
    html = client.get(f"/metrics/?window=7&at={earlier.isoformat()}").content.decode()
    card = html[html.index('id="m-confirm_time"') : html.index('id="m-ship_time"')]
    assert 'class="metric-nodata"' in card
    assert f'value="{earlier.isoformat()}"' in html and "Back to today" in html
    assert f"window=30&amp;at={earlier.isoformat()}" in html  # the period tabs keep the day

    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("metrics", "--seller", seller.slug, "--window", "7", "--at", today.isoformat(), stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "confirm" in x.lower())
    assert "10.0 h" in line and " 1 " in line and "ok" in line


def test_a_day_that_is_no_date_is_a_form_error_and_a_422(seller: Seller, api: Any) -> None:
    client = Client()
    client.force_login(staff(seller, "viewer"))
    r = client.get("/metrics/?at=31.12.2026")
    assert r.status_code == 422
    assert "is not a date: give it as YYYY-MM-DD" in r.content.decode()
    r = api.get("/metrics", at="yesterday")
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"
    # a real date, but out of the range metrics are read over (time zones of 1917, year 9999)
    for day in ("1917-07-14", "9999-12-31"):
        r = api.get("/metrics", at=day)
        assert r.status_code == 422 and r["Content-Type"] == "application/problem+json", day
        r = client.get(f"/metrics/?at={day}")
        assert r.status_code == 422 and "Give a day from 2000-01-01" in r.content.decode()
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Give a day from"):
        call_command("metrics", "--at", "1917-07-14")


def test_chart_coordinates_are_numbers_in_russian_too(seller: Seller) -> None:
    """Russian writes 12,5 for 12.5: the SVG's coordinates must not be localised, or the dots and
    the warning line vanish from the charts."""
    confirmed_after(seller, 10)
    confirmed_after(seller, 31)
    client = Client()
    client.force_login(staff(seller, "viewer"))
    html = client.get("/metrics/?window=7", headers={"Accept-Language": "ru"}).content.decode()
    assert "Доля поздних отправок" in html
    coords = re.findall(r' (?:cx|cy|x1|y1|x2|y2)="([^"]*)"', html)
    assert coords and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coords), coords
    points = re.findall(r'points="([^"]*)"', html)
    assert all(re.fullmatch(r"[\d.\s,-]+", p) and p.count(",") == len(p.split()) for p in points), points
