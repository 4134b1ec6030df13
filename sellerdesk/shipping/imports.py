"""Confirming many shipments at once from a file (R-FUL-1, R-FUL-2 at scale): order number,
carrier and tracking number per row, optionally the shipping point.

The shape of the order import (orders/imports.py, whose file reading it shares): `shipment_preview`
reads the upload and writes nothing — every row gets a result (ok, order not found, not
shippable, unpaid, tracking missing, invalid); its plan is plain JSON-able data the dashboard
keeps until the user confirms. `shipment_import_run` then fulfils every unit still to ship of each
ok row by hand (`fulfill_manual`, one transaction per order): a row refused at that moment (the
order changed meanwhile) is reported and the others go on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import DomainError
from sellerdesk.orders.imports import TableRow, read_table
from sellerdesk.orders.models import Order

from .models import ShippingPoint
from .services import ManualFulfillment, fulfill_manual, shipping_refusal

MAX_ROWS = 5000
COLUMNS = ("order_number", "carrier", "tracking_number", "shipping_point")
REQUIRED_COLUMNS = ("order_number", "carrier", "tracking_number")
DEFAULT_POINT = ShippingPoint.LOCAL


class RowStatus(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"
    NOT_SHIPPABLE = "not_shippable"
    UNPAID = "unpaid"
    TRACKING_MISSING = "tracking_missing"
    INVALID = "invalid"
    SHIPPED = "shipped"  # after the run: the shipment was created
    REFUSED = "refused"  # after the run: the order changed between preview and confirm


@dataclass
class ShipmentRow:
    line: int  # the row's line in the file (the header is line 1)
    order_number: str
    carrier: str
    tracking_number: str
    shipping_point: str
    status: str = RowStatus.OK
    reason: str = ""
    shipment: int | None = None  # the shipment's number within the order, after the run

    @property
    def ok(self) -> bool:
        return self.status in (RowStatus.OK, RowStatus.SHIPPED)


@dataclass
class ShipmentImport:
    rows: list[ShipmentRow] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def ok_rows(self) -> int:
        return self.count(RowStatus.OK)

    @property
    def rejected_rows(self) -> int:
        return len(self.rows) - self.count(RowStatus.OK, RowStatus.SHIPPED)

    @property
    def shipped(self) -> int:
        return self.count(RowStatus.SHIPPED)

    def as_plan(self) -> dict[str, Any]:
        return {"rows": [asdict(r) for r in self.rows]}

    @classmethod
    def from_plan(cls, plan: dict[str, Any]) -> ShipmentImport:
        return cls(rows=[ShipmentRow(**r) for r in plan.get("rows", [])])


# refusal code of the shipping writers -> the row's result
REFUSALS: dict[str, RowStatus] = {
    "payment_required": RowStatus.UNPAID,
    "order_not_found": RowStatus.NOT_FOUND,
}


def _number(raw: str) -> int | None:
    text = raw.strip().lstrip("#")
    return int(text) if text.isdigit() and len(text) <= 12 else None


def shipment_preview(*, seller: Seller, raw: bytes) -> ShipmentImport:
    """Check an uploaded CSV or XLSX file without writing anything. A file that cannot be read
    raises InvalidInput (field 'file'); a bad row is a row result."""
    return check_rows(seller=seller, table=read_table(raw, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS))


def check_rows(*, seller: Seller, table: list[TableRow]) -> ShipmentImport:
    """The per-row checks of a preview, for rows read from a file or sent by an API client."""
    numbers = {n for r in table if (n := _number(r.cells.get("order_number", ""))) is not None}
    orders = {
        o.number: o
        for o in Order.objects.filter(seller_id=seller.pk, number__in=numbers)
        .select_related("seller")
        .prefetch_related("lines")
    }
    preview = ShipmentImport()
    seen: set[int] = set()
    for r in table:
        cell = {k: (r.cells.get(k) or "").strip() for k in COLUMNS}
        row = ShipmentRow(
            line=r.line,
            order_number=cell["order_number"][:20],
            carrier=cell["carrier"][:100],
            tracking_number=cell["tracking_number"][:100],
            shipping_point=cell["shipping_point"].lower() or DEFAULT_POINT,
        )
        preview.rows.append(row)
        number = _number(cell["order_number"])
        if number is not None:
            row.order_number = str(number)
        order = orders.get(number) if number is not None else None
        if order is None:
            row.status, row.reason = RowStatus.NOT_FOUND, "no order with this number"
        elif number in seen:
            row.status, row.reason = RowStatus.INVALID, "the order is on an earlier row of this file"
        elif not (row.carrier and row.tracking_number):
            missing = [c for c in ("carrier", "tracking_number") if not cell[c]]
            row.status, row.reason = RowStatus.TRACKING_MISSING, f"{' and '.join(missing)} missing"
        elif row.shipping_point not in ShippingPoint.values:
            row.status = RowStatus.INVALID
            row.reason = f"shipping_point must be one of {', '.join(ShippingPoint.values)}"
        elif len(cell["carrier"]) > 100 or len(cell["tracking_number"]) > 100:
            row.status, row.reason = (
                RowStatus.INVALID,
                "carrier or tracking_number longer than 100 characters",
            )
        elif r.extra:
            row.status, row.reason = RowStatus.INVALID, "the row has more cells than the header"
        else:
            refusal = shipping_refusal(order, seller)
            if refusal is not None:
                row.status = REFUSALS.get(refusal.code, RowStatus.NOT_SHIPPABLE)
                row.reason = refusal.detail
        if number is not None:
            seen.add(number)
    return preview


def shipment_import_run(*, seller: Seller, actor: Actor, preview: ShipmentImport) -> ShipmentImport:
    """Fulfil every ok row (each order in its own transaction); mark each shipped or refused."""
    actor.require("order.act")
    for row in preview.rows:
        if row.status != RowStatus.OK:
            continue
        try:
            shipment = fulfill_manual(
                seller_id=seller.pk,
                number=row.order_number,
                actor=actor,
                data=ManualFulfillment(
                    shipping_point=row.shipping_point,
                    carrier=row.carrier,
                    tracking_number=row.tracking_number,
                ),
            )
        except DomainError as error:
            row.status, row.reason = RowStatus.REFUSED, error.detail
        else:
            row.status, row.shipment = RowStatus.SHIPPED, shipment.number
    return preview
