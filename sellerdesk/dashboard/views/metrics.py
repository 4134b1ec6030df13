"""The metrics page (R-SLA-5): a card per metric with its value over a window, its limit, its
status and a weekly chart drawn on the server as SVG (no script, no inline style)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sellerdesk.accounts.roles import can
from sellerdesk.core.errors import DomainError
from sellerdesk.metrics.definitions import WINDOWS, Unit, shown
from sellerdesk.metrics.selectors import MetricReport, as_of, seller_metrics
from sellerdesk.metrics.services import metric_limit_set

from ..forms import MetricLimitForm, error_list
from ..permissions import staff_view

W, H = 320, 120  # the chart's viewBox
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 8, 20  # room for the axis labels


def chart(r: MetricReport) -> dict[str, Any]:
    """Coordinates of the weekly line (broken where a week has no data), the limit and warning lines."""
    values = [p.reading.value for p in r.series]
    known = [v for v in values if v is not None]
    lo = min([*known, r.limit, r.warning])
    hi = max([*known, r.limit, r.warning])
    pad = (hi - lo) / 10 or Decimal(1)
    lo, hi = max(lo - pad, Decimal(0)), hi + pad
    if r.unit == Unit.PERCENT:
        hi = min(hi, Decimal(100))
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = len(values)

    def x(i: int) -> float:
        return round(LEFT + plot_w * i / max(n - 1, 1), 1)

    def y(v: Decimal) -> float:
        return round(float(TOP + plot_h * (hi - v) / (hi - lo)), 1)

    segments: list[list[tuple[float, float]]] = [[]]
    dots = []
    for i, v in enumerate(values):
        if v is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((x(i), y(v)))
        dots.append({"x": x(i), "y": y(v), "label": shown(v, r.unit), "status": r.series[i].reading.status})
    return {
        "width": W,
        "height": H,
        "left": LEFT,
        "right": W - RIGHT,
        "bottom": H - BOTTOM,
        "lines": [" ".join(f"{a},{b}" for a, b in s) for s in segments if len(s) > 1],
        "dots": dots,
        "limit_y": y(r.limit),
        "warning_y": y(r.warning),
        "hi": _tick(hi, r.unit),
        "lo": _tick(lo, r.unit),
        "hi_y": TOP + 4,
        "lo_y": H - BOTTOM,
        "label_y": H - 4,
        "empty": not known,
        "tick_x": LEFT - 4,
        "mid_x": LEFT + plot_w // 2,
        "mid_y": TOP + plot_h // 2,
        "first": r.series[0].period.start if r.series else None,
        "last": r.series[-1].period.end if r.series else None,
    }


def _tick(v: Decimal, unit: Unit) -> str:
    """A short axis label: whole numbers unless the value is small."""
    text = f"{v:.0f}" if v >= 10 else f"{v:.1f}"
    return {Unit.PERCENT: f"{text}%", Unit.HOURS: f"{text}h"}.get(unit, text)


def _window(raw: str | None) -> int:
    try:
        window = int(raw or "30")
    except ValueError:
        return 30
    return window if window in WINDOWS else 30


def _day(raw: str | None) -> tuple[dt.date | None, list[str]]:
    """The "as of" day of the page (empty: now), or the form error of a value that is no date."""
    if not raw:
        return None, []
    try:
        return dt.date.fromisoformat(raw), []
    except ValueError:
        return None, [_("“%(value)s” is not a date: give it as YYYY-MM-DD.") % {"value": raw[:40]}]


def _page(
    request: HttpRequest,
    window: int,
    day: dt.date | None = None,
    *,
    errors: list[str] | None = None,
    day_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    try:
        now = as_of(seller, day)
    except DomainError as e:
        day, day_errors, status, now = None, [e.detail], 422, as_of(seller, None)
    reports = seller_metrics(seller, now=now)
    cards = [
        {
            "r": r,
            "key": r.metric.value,
            "reading": r.windows[window],
            "value": shown(r.windows[window].value, r.unit),
            "limit": shown(r.limit, r.unit),
            "warning": shown(r.warning, r.unit),
            "symbol": {Unit.PERCENT: "%", Unit.HOURS: "h"}.get(r.unit, ""),
            "chart": chart(r),
            "rows": [
                {
                    "start": p.period.start,
                    "end": p.period.end,
                    "value": shown(p.reading.value, r.unit),
                    "count": p.reading.count,
                    "status": p.reading.status,
                }
                for p in r.series
            ],
        }
        for r in reports
    ]
    return TemplateResponse(
        request,
        "dashboard/metrics.html",
        {
            "cards": cards,
            "window": window,
            "windows": WINDOWS,
            "may_configure": can(request.user.role, "metrics.configure"),  # type: ignore[union-attr]  # staff_view admits only a signed-in User
            "limit_errors": errors or [],
            "day": day,
            "day_errors": day_errors or [],
            "as_of": now,
            "today": timezone.localdate(timezone.now(), ZoneInfo(seller.time_zone)),
        },
        status=status,
    )


@require_GET
@staff_view("order.read")
def metrics(request: HttpRequest) -> HttpResponse:
    day, day_errors = _day(request.GET.get("at"))
    window = _window(request.GET.get("window"))
    return _page(request, window, day, day_errors=day_errors, status=422 if day_errors else 200)


@require_POST
@staff_view("metrics.configure")
def metric_limits(request: HttpRequest) -> HttpResponse:
    """Set (or, with "reset", drop) the seller's own limit of one metric."""
    seller = request.seller  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
    window = _window(request.POST.get("window"))
    form = MetricLimitForm(request.POST)
    if not form.is_valid():
        return _page(request, window, errors=[e[2] for e in error_list(form)], status=422)
    reset = "reset" in request.POST
    try:
        metric_limit_set(
            seller_id=seller.pk,
            metric=form.cleaned_data["metric"],
            limit=None if reset else form.cleaned_data["limit"],
            warning=None if reset else form.cleaned_data["warning"],
        )
    except DomainError as e:
        return _page(request, window, errors=[e.detail], status=e.status)
    messages.success(request, _("The limit is saved.") if not reset else _("The default limit is back."))
    return redirect(f"{reverse('dashboard:metrics')}?window={window}")
