"""Shipping documents from the database (R-FUL-8): labels, waybills and packing slips as PDF.

`documents.py` draws them from plain values; this module reads the rows and builds those values,
for one order or a whole selection at once. A sandbox label is drawn here from the shipment row;
a carrier's own label (CDEK's waybill) is fetched from the carrier once and kept on the row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from sellerdesk.accounts.models import Seller
from sellerdesk.core.errors import Conflict
from sellerdesk.orders.models import Order

from . import documents
from .accounts import carrier_of
from .carriers.base import CarrierError, Document, Package, Party
from .models import Registration, Shipment, ShipmentKind
from .selectors import carrier_name
from .services import carrier_failed

SANDBOX = "sandbox"


def recipient_of(order: Order) -> Party:
    """The order's customer at its shipping address, as a carrier wants them."""
    a = order.shipping_address or {}
    return Party(
        name=str(a.get("name") or order.customer_name),
        phone=str(a.get("phone") or order.customer_phone),
        email=order.customer_email,
        country=str(a.get("country", "")),
        postcode=str(a.get("postal_code", "")),
        region=str(a.get("region", "")),
        city=str(a.get("city", "")),
        line1=str(a.get("line1", "")),
        line2=str(a.get("line2", "")),
    )


def shipper_of(seller: Seller) -> Party:
    """The seller's ship-from details (settings), their name when none are set."""
    s = seller.ship_from or {}
    return Party(
        name=str(s.get("name") or seller.name),
        phone=str(s.get("phone", "")),
        email=str(s.get("email", "")),
        company=str(s.get("company") or seller.name),
        country=str(s.get("country") or seller.country),
        postcode=str(s.get("postcode", "")),
        region=str(s.get("region", "")),
        city=str(s.get("city", "")),
        line1=str(s.get("line1", "")),
        line2=str(s.get("line2", "")),
    )


def _party(data: dict[str, object] | None, fallback: Party) -> Party:
    if not data:
        return fallback
    fields = {k: str(v) for k, v in data.items() if k in Party.__dataclass_fields__ and v is not None}
    return Party(**fields) if fields.get("name") else fallback


def _packages(shipment: Shipment) -> tuple[Package, ...]:
    out = []
    for p in shipment.packages or []:
        try:
            out.append(
                Package(int(p["weight_g"]), int(p["length_cm"]), int(p["width_cm"]), int(p["height_cm"]))
            )
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(out)


def _labels(shipment: Shipment) -> list[documents.LabelData]:
    order = shipment.order
    details = shipment.details or {}
    shipper = _party(details.get("shipper"), shipper_of(order.seller))
    recipient = _party(details.get("recipient"), recipient_of(order))
    packages = _packages(shipment) or (Package(0, 0, 0, 0),)
    return [
        documents.LabelData(
            carrier_name=carrier_name(shipment.carrier),
            service_name=shipment.service_name or str(ShipmentKind(shipment.kind).label),
            tracking_number=shipment.tracking_number or f"{order.number}-{shipment.number}",
            shipper=shipper,
            recipient=recipient,
            weight_g=p.weight_g,
            date=timezone.localdate(shipment.created_at),
            reference=f"{order.number}-{shipment.number}",
            package_no=i,
            package_count=len(packages),
        )
        for i, p in enumerate(packages, start=1)
    ]


def _waybill(shipment: Shipment) -> documents.WaybillData:
    order = shipment.order
    details = shipment.details or {}
    return documents.WaybillData(
        carrier_name=shipment.carrier,
        tracking_number=shipment.tracking_number or f"{order.number}-{shipment.number}",
        sender=_party(details.get("shipper"), shipper_of(order.seller)),
        recipient=_party(details.get("recipient"), recipient_of(order)),
        packages=_packages(shipment),
        declared_value=Decimal(str(details.get("declared_value") or "0")),
        currency=order.currency,
        date=timezone.localdate(shipment.created_at),
        reference=f"{order.number}-{shipment.number}",
    )


def shipment_label(shipment: Shipment) -> Document:
    """The shipment's label (sandbox, drawn here), the carrier's own waybill (kept once fetched),
    or, for a manual shipment, a waybill drawn here."""
    name = f"label-{shipment.order.number}-{shipment.number}.pdf"
    if shipment.kind == ShipmentKind.MANUAL:
        return Document(documents.waybill_pdf([_waybill(shipment)]), filename=name)
    if shipment.carrier == SANDBOX:
        return Document(documents.label_pdf(_labels(shipment)), filename=name)
    if shipment.label_pdf:
        return Document(bytes(shipment.label_pdf), filename=name)
    if shipment.registration != Registration.REGISTERED or shipment.account is None:
        raise Conflict(
            "label_not_ready",
            f"{carrier_name(shipment.carrier)} has not registered this shipment yet; its waybill prints once "
            "the waybill number arrives.",
        )
    try:
        document = carrier_of(shipment.account).label(shipment.carrier_ref)
    except CarrierError as exc:
        raise carrier_failed(exc) from None
    with transaction.atomic():
        Shipment.objects.filter(pk=shipment.pk).update(label_pdf=document.content)
    return Document(document.content, filename=name)


def labels_pdf(shipments: Iterable[Shipment]) -> bytes:
    """Every label of a selection, one PDF (sandbox labels drawn in one go, others merged in)."""
    pdfs: list[bytes] = []
    drawn: list[documents.LabelData] = []
    for shipment in shipments:
        if shipment.kind == ShipmentKind.CARRIER and shipment.carrier == SANDBOX:
            drawn += _labels(shipment)
            continue
        if drawn:
            pdfs.append(documents.label_pdf(drawn))
            drawn = []
        try:
            pdfs.append(shipment_label(shipment).content)
        except Conflict:
            continue  # not registered yet: nothing to print for it
    if drawn:
        pdfs.append(documents.label_pdf(drawn))
    if not pdfs:
        raise Conflict("nothing_to_print", "None of the chosen orders has a label to print yet.")
    return pdfs[0] if len(pdfs) == 1 else documents.merge_pdfs(pdfs)


def _slip(order: Order, shipment: Shipment | None = None) -> documents.SlipData:
    lines = list(order.lines.all())
    in_shipment = {sl.line_id: sl.quantity for sl in shipment.lines.all()} if shipment else None
    return documents.SlipData(
        seller_name=order.seller.name,
        order_number=str(order.number),
        order_date=timezone.localdate(order.created_at),
        ship_to=recipient_of(order),
        lines=tuple(
            documents.SlipLine(
                sku=line.sku,
                name=line.name,
                quantity=(
                    in_shipment.get(line.pk, 0)
                    if in_shipment is not None
                    else line.quantity - line.quantity_cancelled
                ),
                ordered=line.quantity,
            )
            for line in lines
            if in_shipment is None or line.pk in in_shipment
        ),
        shipment_reference=(shipment.tracking_number or f"{order.number}-{shipment.number}")
        if shipment
        else "",
    )


def packing_slips(orders: Sequence[Order]) -> bytes:
    """One packing slip per order (all its units still to pack), one PDF."""
    return documents.packing_slip_pdf([_slip(o) for o in orders])


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
