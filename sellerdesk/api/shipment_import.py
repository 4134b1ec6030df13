"""POST /api/v1/shipments/import: confirm many shipments at once (R-FUL-1, R-FUL-2).

The dashboard's tracking upload, for integrations: the rows of that file as JSON, the same per-row
checks. With `dry_run` nothing is written and the answer is the preview; otherwise every ok row is
fulfilled by hand (one transaction per order) and the answer is the per-row report.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import StrictBool, StrictInt

from sellerdesk.accounts.models import Seller
from sellerdesk.orders.imports import TableRow
from sellerdesk.shipping.imports import MAX_ROWS, RowStatus, check_rows, shipment_import_run

from . import auth
from .idempotency import run_idempotent
from .orders import _actor, _seller
from .schemas import Strict

router = Router(tags=["shipping"])


class ImportRowIn(Strict):
    order_number: StrictInt | Annotated[str, Field(max_length=20)] = Field(
        description="The order's number (#1234 or 1234)."
    )
    carrier: Annotated[str, Field(max_length=100)] = ""
    tracking_number: Annotated[str, Field(max_length=100)] = ""
    shipping_point: Annotated[str, Field(max_length=20)] = Field(
        "", description="local, international or pickup; empty: local."
    )


class ImportIn(Strict):
    rows: list[ImportRowIn] = Field(min_length=1, max_length=MAX_ROWS)
    dry_run: StrictBool = Field(False, description="Check every row and write nothing.")


class ImportRowOut(Schema):
    line: int = Field(description="The row's position in `rows`, from 1.")
    order_number: str
    carrier: str
    tracking_number: str
    shipping_point: str
    status: RowStatus
    reason: str
    shipment: int | None = Field(description="The new shipment's number within the order (status shipped).")


class ImportOut(Schema):
    dry_run: bool
    shipped: int
    rejected: int
    rows: list[ImportRowOut]


@router.post(
    "/import",
    response={200: ImportOut},
    summary="Confirm many shipments: order number, carrier and tracking number per row",
    auth=auth.ACT,
)
def shipments_import(request: HttpRequest, body: ImportIn) -> HttpResponse:
    """Each row ships every unit still to ship of one order by hand, with its carrier and tracking
    number. Each row gets a status: ok (a dry run), shipped, not_found, not_shippable, unpaid
    (R-PAY-7), tracking_missing, invalid (e.g. the order twice), or refused (the order changed
    between the check and the write). The answer is 200 whatever the rows' results."""

    def handler() -> tuple[int, Any]:
        seller = Seller.objects.get(pk=_seller(request))
        table = [
            TableRow(i, {k: str(v) for k, v in row.model_dump().items()})
            for i, row in enumerate(body.rows, start=1)
        ]
        result = check_rows(seller=seller, table=table)
        if not body.dry_run:
            result = shipment_import_run(seller=seller, actor=_actor(request), preview=result)
        return 200, {
            "dry_run": body.dry_run,
            "shipped": result.shipped,
            "rejected": result.rejected_rows,
            "rows": [vars(r) for r in result.rows],
        }

    return run_idempotent(request, auth.api_key(request), handler)
