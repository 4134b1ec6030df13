"""Export the current list (R-LIST-7): the same query string as /orders/, as CSV (streamed) or XLSX.

The page's script adds a `download_token`; the response carries it back in a short-lived cookie
with its headers, which for XLSX are sent once the file is built: the page can tell the user when
the download has started or the file is ready (a 600,000-row XLSX takes minutes to build).
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sellerdesk.accounts.models import Seller
from sellerdesk.dashboard.permissions import staff_view
from sellerdesk.orders import exports
from sellerdesk.orders.selectors import OrderFilter

from .orders_list import list_context, read_filter


def _zone(seller: Seller) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(seller.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _filename(seller: Seller, ext: str) -> str:
    stamp = timezone.localtime(timezone.now(), _zone(seller)).strftime("%Y%m%d-%H%M")
    return f"orders-{seller.slug}-{stamp}.{ext}"


def csv_response(seller: Seller, flt: OrderFilter, numbers: Iterable[int] | None = None) -> HttpResponseBase:
    qs = exports.export_queryset(seller_id=seller.pk, flt=flt, region=seller.country, numbers=numbers)
    stream = exports.csv_stream(exports.rows(qs, tz=_zone(seller)))
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(seller, "csv")}"'
    return response


def xlsx_response(seller: Seller, flt: OrderFilter, numbers: Iterable[int] | None = None) -> HttpResponseBase:
    qs = exports.export_queryset(seller_id=seller.pk, flt=flt, region=seller.country, numbers=numbers)
    tmp = exports.xlsx_file(exports.rows(qs, tz=_zone(seller)))
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=_filename(seller, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


TOKEN = re.compile(r"[A-Za-z0-9]{8,40}")
READY_COOKIE = "sd_export"


def _tell_when_ready(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    token = request.GET.get("download_token", "")
    if TOKEN.fullmatch(token):
        response.set_cookie(READY_COOKIE, token, max_age=120, samesite="Lax")
    return response


def _bad_filter(request: HttpRequest) -> HttpResponseBase:
    context, _status = list_context(request)
    return render(request, "dashboard/orders/list.html", context, status=400)


@require_GET
@staff_view("order.read")
def export_csv(request: HttpRequest) -> HttpResponseBase:
    lf = read_filter(request.GET)
    if lf.flt is None:
        return _bad_filter(request)
    return _tell_when_ready(request, csv_response(request.seller, lf.flt))  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor


@require_GET
@staff_view("order.read")
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    lf = read_filter(request.GET)
    if lf.flt is None:
        return _bad_filter(request)
    return _tell_when_ready(request, xlsx_response(request.seller, lf.flt))  # type: ignore[attr-defined]  # staff_view sets request.seller and request.actor
