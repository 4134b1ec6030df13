"""Export of orders (R-LIST-7): exactly the list's rows, in the list's order, as CSV or XLSX.

Rows are read with `values()` and `.iterator(chunk_size=…)` (a server-side cursor on
PostgreSQL), each with its items aggregated by the database, so memory stays flat whatever the
number of orders. CSV is produced as a
generator for a StreamingHttpResponse; XLSX is written by openpyxl in write-only mode to a
temporary file.
"""

from __future__ import annotations

import contextlib
import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from sellerdesk.core.money import fmt
from sellerdesk.core.replica import on_replica

from .models import Order
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


# The order's items as "SKU×qty, SKU×qty" in line order, computed by the database in the same
# statement as the order (one index probe per order; no second query, no Python join).
_ITEMS_SQL = {
    "postgresql": (
        "(SELECT string_agg(l.sku || '×' || l.quantity, ', ' ORDER BY l.id) "
        "FROM orders_orderline l WHERE l.order_id = orders_order.id)"
    ),
    "sqlite": (
        "(SELECT group_concat(x, ', ') FROM (SELECT l.sku || '×' || l.quantity AS x "
        "FROM orders_orderline l WHERE l.order_id = orders_order.id ORDER BY l.id))"
    ),
}
# Columns a customer or a user typed: these are the ones a spreadsheet formula could hide in.
_FREE_TEXT = ("customer_name", "customer_email", "customer_phone", "manager__email")


def _row(values: dict[str, Any], tz: Any) -> list[Any]:
    created = values["created_at"]
    if created is not None:
        created = timezone.localtime(created, tz).replace(microsecond=0)
    name, email, phone, manager = (_safe_cell(values[k] or "") for k in _FREE_TEXT)
    return [
        values["number"],
        created.isoformat() if created else "",
        values["status"],
        values["payment_status"],
        values["fulfillment_status"],
        name,
        email,
        phone,
        fmt(values["total"], values["currency"]),
        values["currency"],
        manager,
        _safe_cell(values["items"] or ""),
        "yes" if values["is_test"] else "no",
    ]


def rows(qs: QuerySet[Order], *, tz: Any = None) -> Iterator[list[Any]]:
    """Export rows in the queryset's order, streamed from a server-side cursor; cells are safe."""
    tz = tz or timezone.get_current_timezone()
    qs = on_replica(qs)  # streamed after the view returns: pinned to the replica (if any) now
    items = RawSQL(_ITEMS_SQL[connections[qs.db].vendor], [])  # noqa: S611 (constant SQL, no input)
    for values in qs.annotate(items=items).values(*_VALUES, "items").iterator(chunk_size=CHUNK):
        yield _row(values, tz)


def _safe_cell(value: Any) -> Any:
    """Defuse spreadsheet formulas (CSV injection) without mangling phone numbers or amounts."""
    risky = isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
    if risky and not (value[0] in "+-" and _NUMBERISH.match(value)):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(data: Iterable[list[Any]], *, batch: int = 1000) -> Iterator[str]:
    """CSV text (with a BOM so spreadsheet apps read UTF-8), `batch` rows per yielded string.

    One string per row would cost the server one socket write per row; a batch keeps the
    stream steady and the memory flat.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    pending: list[str] = []
    for row in data:
        pending.append(writer.writerow(row))
        if len(pending) >= batch:
            yield "".join(pending)
            pending = []
    if pending:
        yield "".join(pending)


SHEET_ROWS = 1_048_575  # an XLSX sheet holds 1,048,576 rows: the header and this many orders


def xlsx_file(data: Iterable[list[Any]]) -> Any:
    """An XLSX workbook in a temporary file (rewound; deleted when closed). Orders beyond one sheet's
    capacity continue on "Orders (2)", "Orders (3)" …, each with the header."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws, sheets, in_sheet = None, 0, SHEET_ROWS
    for row in data:
        if in_sheet == SHEET_ROWS:
            sheets += 1
            ws = wb.create_sheet("Orders" if sheets == 1 else f"Orders ({sheets})")
            ws.append(HEADER)
            in_sheet = 0
        out = list(row)
        with contextlib.suppress(ArithmeticError, ValueError, TypeError):
            out[8] = Decimal(out[8])  # the total as a number cell
        ws.append(out)  # type: ignore[union-attr]  # openpyxl types the write-only sheet as optional
        in_sheet += 1
    if ws is None:  # nothing matched: a sheet with the header alone
        wb.create_sheet("Orders").append(HEADER)
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    wb.save(tmp)
    tmp.seek(0)
    return tmp
