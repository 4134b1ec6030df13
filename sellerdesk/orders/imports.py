"""Importing orders from CSV (R-IN-4): parse and check first, place only on confirmation.

`import_preview` reads the upload and writes nothing: every row is checked and gets a
status (ok, or rejected with the reason); rows sharing an `order_ref` form one order.
The preview's plan is plain JSON-able data, so the dashboard can keep it in the session
until the user confirms. `import_run` then places each planned order through
`order_place(source="import")` in its own transaction and reports per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.catalog.models import Product
from sellerdesk.core.errors import DomainError, InvalidInput
from sellerdesk.core.money import known_currencies

from .address import check_address
from .methods import PAYMENT_CHOICES, SHIPPING_CHOICES, needs_address
from .rules import MAX_NAME, MAX_QUANTITY, amount_refusal, missing_address_fields
from .services import CustomerIn, LineIn, OrderIn, order_place

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

COLUMNS = (
    "order_ref",
    "customer_name",
    "email",
    "phone",
    "sku",
    "quantity",
    "unit_price",
    "currency",
    "shipping_method",
    "payment_method",
    "country",
    "region",
    "city",
    "postal_code",
    "line1",
    "created_at",
)
REQUIRED_COLUMNS = ("customer_name", "sku", "quantity", "currency", "shipping_method", "payment_method")
# Fields that belong to the order, not the line: every row of one order_ref must agree on them.
ORDER_FIELDS = (
    "customer_name",
    "email",
    "phone",
    "currency",
    "shipping_method",
    "payment_method",
    "country",
    "region",
    "city",
    "postal_code",
    "line1",
    "created_at",
)
ADDRESS_FIELDS = ("country", "region", "city", "postal_code", "line1")


@dataclass
class RowResult:
    line: int  # the row's line number in the file (the header is line 1)
    ref: str
    sku: str
    quantity: str
    customer_name: str
    ok: bool = True
    reason: str = ""
    warning: str = ""
    number: int | None = None  # the placed order's number, after import_run


@dataclass
class PlannedOrder:
    ref: str
    lines: list[int]  # file line numbers
    data: dict[str, Any]  # JSON-able; see `_order_in`


@dataclass
class ImportPreview:
    rows: list[RowResult] = field(default_factory=list)
    orders: list[PlannedOrder] = field(default_factory=list)

    @property
    def ok_rows(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def rejected_rows(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def as_plan(self) -> dict[str, Any]:
        return {"rows": [asdict(r) for r in self.rows], "orders": [asdict(o) for o in self.orders]}

    @classmethod
    def from_plan(cls, plan: dict[str, Any]) -> ImportPreview:
        return cls(
            rows=[RowResult(**r) for r in plan.get("rows", [])],
            orders=[PlannedOrder(**o) for o in plan.get("orders", [])],
        )


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise InvalidInput("import_too_large", "The file is larger than 2 MB; split it.", field="file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "import_encoding", "The file is not UTF-8 text; save it as CSV UTF-8 and try again.", field="file"
        ) from None


def _created_at(raw: str) -> dt.datetime | None:
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise ValueError("created_at must be a date (YYYY-MM-DD) or an ISO 8601 time")
        value = dt.datetime.combine(day, dt.time(12, 0))
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise ValueError("created_at is in the future")
    return value


def _check_row(row: dict[str, str], skus: set[str]) -> tuple[str, dict[str, Any]]:
    """(reason, cleaned) — reason is '' when the row is fine."""
    problems: list[str] = []
    cleaned: dict[str, Any] = {k: (row.get(k) or "").strip() for k in COLUMNS}
    if not cleaned["customer_name"]:
        problems.append("customer_name is required")
    if len(cleaned["customer_name"]) > MAX_NAME or len(cleaned["email"]) > 254 or len(cleaned["phone"]) > 40:
        problems.append("a customer field is too long")
    if cleaned["email"] and "@" not in cleaned["email"]:
        problems.append(f"email {cleaned['email']!r} is not an e-mail address")
    if not cleaned["sku"]:
        problems.append("sku is required")
    elif cleaned["sku"] not in skus:
        problems.append(f"unknown SKU {cleaned['sku']!r}")
    try:
        qty = int(cleaned["quantity"])
        if not 1 <= qty <= MAX_QUANTITY:
            raise ValueError
        cleaned["quantity"] = qty
    except ValueError:
        problems.append(f"quantity must be a whole number from 1 to {MAX_QUANTITY}")
    if cleaned["unit_price"]:
        try:
            price = Decimal(cleaned["unit_price"].replace(",", "."))
            refusal = amount_refusal(price, cleaned["currency"].upper(), "unit_price")
            if refusal:
                problems.append(f"unit_price: {refusal.message}")
            cleaned["unit_price"] = str(price)
        except InvalidOperation:
            problems.append("unit_price must be a number of zero or more")
    else:
        cleaned["unit_price"] = None
    cleaned["currency"] = cleaned["currency"].upper()
    if cleaned["currency"] not in known_currencies():
        problems.append(f"currency {cleaned['currency']!r} is not an ISO 4217 code")
    if cleaned["shipping_method"] not in dict(SHIPPING_CHOICES):
        problems.append(f"shipping_method must be one of {', '.join(dict(SHIPPING_CHOICES))}")
    if cleaned["payment_method"] not in dict(PAYMENT_CHOICES):
        problems.append(f"payment_method must be one of {', '.join(dict(PAYMENT_CHOICES))}")
    cleaned["country"] = cleaned["country"].upper()
    missing = missing_address_fields(cleaned["shipping_method"], cleaned)
    if missing:
        problems.append(f"{', '.join(missing)} required for a {cleaned['shipping_method']} order")
    try:
        when = _created_at(cleaned["created_at"])
        cleaned["created_at"] = when.isoformat() if when else ""
    except ValueError as exc:
        problems.append(str(exc))
    return "; ".join(problems), cleaned


@dataclass(frozen=True)
class TableRow:
    line: int  # the row's line number in the file (the header is line 1)
    cells: dict[str, str]  # column -> the cell's text (missing cells are absent)
    extra: bool = False  # the row has more cells than the header


XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet keeps 4601234 or a tracking number as a float
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(
            "import_malformed", "The file is not a valid XLSX workbook.", field="file"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise InvalidInput("import_malformed", f"The file is not valid CSV: {exc}.", field="file") from None


def read_table(raw: bytes, *, required: tuple[str, ...], max_rows: int = MAX_ROWS) -> list[TableRow]:
    """The rows of an uploaded CSV (UTF-8) or XLSX file (its first sheet), keyed by the header's
    column names; blank rows are skipped. Shared by every import. A file that cannot be read,
    lacks a required column or holds too many rows raises InvalidInput (field 'file')."""
    if len(raw) > MAX_BYTES:
        raise InvalidInput("import_too_large", "The file is larger than 2 MB; split it.", field="file")
    rows = _xlsx_rows(raw) if raw.startswith(XLSX_MAGIC) else _csv_rows(raw)
    header = [h.strip() for h in rows[0]] if rows else []
    while header and not header[-1]:
        header.pop()  # a spreadsheet's trailing empty columns
    if not header:
        raise InvalidInput("import_empty", "The file is empty.", field="file")
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(
            "import_columns", f"The header lacks the column(s): {', '.join(missing)}.", field="file"
        )
    out: list[TableRow] = []
    for index, cells in enumerate(rows[1:], start=2):
        if not any((c or "").strip() for c in cells):
            continue  # blank line
        if len(out) >= max_rows:
            raise InvalidInput(
                "import_too_many_rows", f"A file has at most {max_rows} rows; split it.", field="file"
            )
        extra = any((c or "").strip() for c in cells[len(header) :])
        out.append(TableRow(index, dict(zip(header, cells, strict=False)), extra))
    if not out:
        raise InvalidInput("import_empty", "The file has a header but no rows.", field="file")
    return out


def import_preview(*, seller: Seller, raw: bytes) -> ImportPreview:
    """Check an uploaded CSV or XLSX without writing anything. Bad files raise InvalidInput (field 'file')."""
    rows = read_table(raw, required=REQUIRED_COLUMNS)
    skus = set(Product.objects.filter(seller=seller).values_list("sku", flat=True))
    preview = ImportPreview()
    groups: OrderedDict[str, list[tuple[RowResult, dict[str, Any]]]] = OrderedDict()
    for row in rows:
        reason, cleaned = _check_row(row.cells, skus)
        if row.extra:
            reason = "; ".join(filter(None, [reason, "the row has more cells than the header"]))
        result = RowResult(
            line=row.line,
            ref=cleaned["order_ref"],
            sku=cleaned["sku"],
            quantity=str(row.cells.get("quantity") or "").strip(),
            customer_name=cleaned["customer_name"],
            ok=not reason,
            reason=reason,
        )
        preview.rows.append(result)
        key = cleaned["order_ref"] or f"\0line{row.line}"
        groups.setdefault(key, []).append((result, cleaned))
    for key, members in groups.items():
        _plan_order(preview, key, members)
    return preview


def _plan_order(preview: ImportPreview, key: str, members: list[tuple[RowResult, dict[str, Any]]]) -> None:
    first = members[0][1]
    disagree = [f for f in ORDER_FIELDS if any(c[f] != first[f] for _, c in members[1:])]
    if disagree:
        for result, _ in members:
            result.ok = False
            result.reason = "; ".join(
                filter(
                    None,
                    [
                        result.reason,
                        f"rows of order_ref {first['order_ref']!r} disagree on {', '.join(disagree)}",
                    ],
                )
            )
    if any(not r.ok for r, _ in members):
        for result, _ in members:
            if result.ok:
                result.ok = False
                result.reason = "another row of the same order_ref is rejected"
        return
    address = {k: first[k] for k in ADDRESS_FIELDS if first[k]}
    if needs_address(first["shipping_method"]):
        problems = check_address(address)
        if problems:
            note = "address will be flagged: " + ", ".join(f"{k} {v}" for k, v in problems.items())
            for result, _ in members:
                result.warning = note
    preview.orders.append(
        PlannedOrder(
            ref=first["order_ref"],
            lines=[r.line for r, _ in members],
            data={
                "customer": {
                    "name": first["customer_name"],
                    "email": first["email"],
                    "phone": first["phone"],
                },
                "lines": [
                    {"sku": c["sku"], "quantity": c["quantity"], "unit_price": c["unit_price"]}
                    for _, c in members
                ],
                "currency": first["currency"],
                "shipping_method": first["shipping_method"],
                "payment_method": first["payment_method"],
                "shipping_address": address,
                "created_at": first["created_at"],
            },
        )
    )


def _order_in(data: dict[str, Any]) -> OrderIn:
    created = parse_datetime(data["created_at"]) if data.get("created_at") else None
    return OrderIn(
        customer=CustomerIn(**data["customer"]),
        lines=[
            LineIn(
                sku=line["sku"],
                quantity=int(line["quantity"]),
                unit_price=Decimal(line["unit_price"]) if line.get("unit_price") is not None else None,
            )
            for line in data["lines"]
        ],
        currency=data["currency"],
        shipping_method=data["shipping_method"],
        payment_method=data["payment_method"],
        shipping_address=data["shipping_address"],
        source="import",
        created_at=created,
    )


def import_run(*, seller: Seller, actor: Actor, preview: ImportPreview) -> ImportPreview:
    """Place every planned order (each in its own transaction); mark each row placed or refused."""
    actor.require("order.place")
    by_line = {r.line: r for r in preview.rows}
    for planned in preview.orders:
        try:
            order = order_place(seller=seller, actor=actor, data=_order_in(planned.data))
        except DomainError as exc:
            for line in planned.lines:
                by_line[line].ok = False
                by_line[line].reason = f"refused on import: {exc.detail}"
        else:
            for line in planned.lines:
                by_line[line].number = order.number
    return preview
