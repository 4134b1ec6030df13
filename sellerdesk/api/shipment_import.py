"""POST /api/v1/shipments/import: confirm many shipments from a CSV or XLSX file (R-FUL-1, R-FUL-2).

The dashboard's upload, for integrations: the same file, the same per-row checks. With
`dry_run=true` nothing is written and the answer is the preview; otherwise every ok row is
fulfilled by hand (one transaction per order) and the answer is the per-row report.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import InvalidInput
from sellerdesk.orders.imports import MAX_BYTES
from sellerdesk.shipping.imports import RowStatus, shipment_import_run, shipment_preview

from . import auth
from .idempotency import run_idempotent
from .orders import _actor, _seller

router = Router(tags=["shipping"])


class ImportRowOut(Schema):
    line: int
    order_number: str
    carrier: str
    tracking_number: str
    shipping_point: str
    status: RowStatus
    reason: str
    shipment: int | None


class ImportOut(Schema):
    dry_run: bool
    shipped: int
    rejected: int
    rows: list[ImportRowOut]


@router.post(
    "/import",
    response={200: ImportOut},
    summary="Confirm shipments from a file of order number, carrier and tracking number",
    auth=auth.ACT,
)
def shipments_import(request: HttpRequest, file: File[UploadedFile], dry_run: bool = False) -> HttpResponse:
    """A CSV (UTF-8) or XLSX file with the columns `order_number`, `carrier`, `tracking_number`
    and optionally `shipping_point` (local, international, pickup; empty: local). Each row gets a
    status: ok (shipped, after a real run), not_found, not_shippable, unpaid, tracking_missing,
    invalid, or refused (the order changed between the check and the write). A file that cannot be
    read is 422 with the reason."""

    def handler() -> tuple[int, Any]:
        if file.size is not None and file.size > MAX_BYTES:
            raise InvalidInput("import_too_large", "The file is larger than 2 MB; split it.", field="file")
        seller = Seller.objects.get(pk=_seller(request))
        result = shipment_preview(seller=seller, raw=file.read())
        if not dry_run:
            result = shipment_import_run(seller=seller, actor=_actor(request), preview=result)
        return 200, {
            "dry_run": dry_run,
            "shipped": result.shipped,
            "rejected": result.rejected_rows,
            "rows": [vars(r) for r in result.rows],
        }

    return run_idempotent(request, auth.api_key(request), handler)
