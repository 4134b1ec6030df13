"""Export of orders (R-LIST-7): exactly the list's rows, in the list's order, as CSV or XLSX.

Rows are read with `values()` and `.iterator(chunk_size=…)`, and the lines of each chunk in
one more query, so memory stays flat whatever the number of orders. CSV is produced as a
generator for a StreamingHttpResponse; XLSX is written by openpyxl in write-only mode to a
temporary file.
"""

from __future__ import annotations

import contextlib
import csv
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sellerdesk.core.money import fmt

from .models import Order, OrderLine
from .selectors import SORTS, OrderFilter, order_filter_queryset

CHUNK = 2000
HEADER = [
    "number",
    "created_at",
    "status",
    "payment_status",
    "fulfillment_status",
    "customer_name",
    "customer_email",
    "customer_phone",
    "total",
    "currency",
    "manager",
    "items",
    "is_test",
]
_VALUES = [
    "id",
    "number",
    "created_at",
    "status",
    "payment_status",
    "fulfillment_status",
    "customer_name",
    "customer_email",
    "customer_phone",
    "total",
    "currency",
    "manager__email",
    "is_test",
]
_NUMBERISH = re.compile(r"^[+\-]?[\d\s().,\-]+$")


def export_queryset(
    *, seller_id: int, flt: OrderFilter, region: str = "RU", numbers: Iterable[int] | None = None
) -> QuerySet[Order]:
    """The list's queryset (`selectors.order_list`): same filter, same sort, same tie-break."""
    desc = flt.sort.startswith("-")
    field = SORTS[flt.sort.lstrip("-")]
    qs = order_filter_queryset(seller_id=seller_id, flt=flt, region=region)
    if field == "ship_by":
        qs = qs.filter(ship_by__isnull=False)
    if numbers is not None:
        qs = qs.filter(number__in=list(numbers))
    order_by = [f"-{field}", "-id"] if desc else [field, "id"]
    if field == "number":
        order_by = order_by[:1]
    return qs.order_by(*order_by)


def _items(order_ids: list[int]) -> dict[int, str]:
    per_order: dict[int, list[str]] = defaultdict(list)
    lines = (
        OrderLine.objects.filter(order_id__in=order_ids)
        .order_by("order_id", "id")
        .values_list("order_id", "sku", "quantity")
    )
    for order_id, sku, qty in lines:
        per_order[order_id].append(f"{sku}×{qty}")
    return {k: ", ".join(v) for k, v in per_order.items()}


def _row(values: dict[str, Any], items: str, tz: Any) -> list[Any]:
    created = values["created_at"]
    if created is not None:
        created = timezone.localtime(created, tz).replace(microsecond=0)
    return [
        values["number"],
        created.isoformat() if created else "",
        values["status"],
        values["payment_status"],
        values["fulfillment_status"],
        values["customer_name"],
        values["customer_email"],
        values["customer_phone"],
        fmt(values["total"], values["currency"]),
        values["currency"],
        values["manager__email"] or "",
        items,
        "yes" if values["is_test"] else "no",
    ]


def rows(qs: QuerySet[Order], *, tz: Any = None) -> Iterator[list[Any]]:
    """Export rows in the queryset's order; lines fetched once per chunk of orders."""
    tz = tz or timezone.get_current_timezone()
    chunk: list[dict[str, Any]] = []
    for values in qs.values(*_VALUES).iterator(chunk_size=CHUNK):
        chunk.append(values)
        if len(chunk) >= CHUNK:
            yield from _flush(chunk, tz)
            chunk = []
    if chunk:
        yield from _flush(chunk, tz)


def _flush(chunk: list[dict[str, Any]], tz: Any) -> Iterator[list[Any]]:
    items = _items([v["id"] for v in chunk])
    for values in chunk:
        yield _row(values, items.get(values["id"], ""), tz)


def _safe_cell(value: Any) -> Any:
    """Defuse spreadsheet formulas (CSV injection) without mangling phone numbers or amounts."""
    risky = isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
    if risky and not (value[0] in "+-" and _NUMBERISH.match(value)):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(data: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text, one row per yielded string (with a BOM so spreadsheet apps read UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in data:
        yield writer.writerow([_safe_cell(v) for v in row])


def xlsx_file(data: Iterable[list[Any]]) -> Any:
    """An XLSX workbook in a temporary file (rewound; deleted when closed)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Orders")
    ws.append(HEADER)
    for row in data:
        out = [_safe_cell(v) for v in row]
        with contextlib.suppress(ArithmeticError, ValueError, TypeError):
            out[8] = Decimal(out[8])  # the total as a number cell
        ws.append(out)
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    wb.save(tmp)
    tmp.seek(0)
    return tmp
