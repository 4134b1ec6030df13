"""The A4 documents: packing slips (read by the customer) and waybills of manual shipments."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from .data import SlipData, WaybillData
from .drawing import address_lines, draw_barcode, draw_text, fit, new_canvas, weight_text, wrap
from .fonts import FONT, FONT_BOLD

SLIP_SIZE = A4

_SLIP_MARGIN = 42
_ROW = 16


def _slip_header(canvas: Canvas, slip: SlipData, page: int) -> float:
    width, height = SLIP_SIZE
    m = _SLIP_MARGIN
    y = height - m - 16
    canvas.setFont(FONT_BOLD, 16)
    canvas.drawString(m, y, fit(slip.seller_name, FONT_BOLD, 16, width / 2 - m))
    canvas.setFont(FONT_BOLD, 13)
    canvas.drawRightString(width - m, y, f"Packing slip — order {slip.order_number}")
    y -= 16
    canvas.setFont(FONT, 10)
    canvas.drawRightString(width - m, y, f"Order date: {slip.order_date.isoformat()}")
    if slip.shipment_reference:
        y -= 13
        canvas.drawRightString(width - m, y, f"Shipment: {slip.shipment_reference}")
    if page > 1:
        y -= 13
        canvas.drawRightString(width - m, y, f"(continued, page {page})")
    return y - 22


def _slip_table_head(canvas: Canvas, y: float, cols: tuple[float, float, float, float]) -> float:
    width, _ = SLIP_SIZE
    m = _SLIP_MARGIN
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawString(cols[0], y, "SKU")
    canvas.drawString(cols[1], y, "Item")
    canvas.drawRightString(cols[2], y, "Pack")
    canvas.drawRightString(cols[3], y, "Ordered")
    y -= 5
    canvas.setLineWidth(0.8)
    canvas.line(m, y, width - m, y)
    return y - _ROW + 3


def _slip_pages(canvas: Canvas, slip: SlipData) -> None:
    width, _ = SLIP_SIZE
    m = _SLIP_MARGIN
    cols = (m, m + 110, width - m - 70, width - m)
    name_width = cols[2] - cols[1] - 40
    page = 1
    y = _slip_header(canvas, slip, page)

    y = draw_text(canvas, m, y, "Ship to", size=10, bold=True)
    for text in address_lines(slip.ship_to):
        y = draw_text(canvas, m, y, text, size=10, width=width / 2)
    y -= 14
    y = _slip_table_head(canvas, y, cols)

    packed = [line for line in slip.lines if line.quantity > 0]  # a cancelled line is not in the parcel
    for line in packed:
        names = wrap(line.name, FONT, 10, name_width) or [""]
        needed = _ROW + (len(names) - 1) * 12
        if y - needed < m + 30:
            canvas.showPage()
            page += 1
            y = _slip_table_head(canvas, _slip_header(canvas, slip, page), cols)
        canvas.setFont(FONT, 10)
        canvas.drawString(cols[0], y, fit(line.sku, FONT, 10, cols[1] - cols[0] - 8))
        for i, part in enumerate(names):
            canvas.drawString(cols[1], y - i * 12, part)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawRightString(cols[2], y, str(line.quantity))
        canvas.setFont(FONT, 10)
        canvas.drawRightString(cols[3], y, str(line.ordered))
        y -= needed

    canvas.setLineWidth(0.5)
    canvas.line(m, y + _ROW - 5, width - m, y + _ROW - 5)
    total = sum(line.quantity for line in packed)
    canvas.setFont(FONT, 10)
    canvas.drawRightString(cols[2], y, f"{total} item{'s' if total != 1 else ''} in this parcel")
    canvas.showPage()


def packing_slip_pdf(slips: Sequence[SlipData]) -> bytes:
    """Packing slips on A4, each starting on a new page (a long one runs on), in one PDF."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, SLIP_SIZE, "Packing slips")
    for slip in slips:
        _slip_pages(canvas, slip)
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Waybills (manual shipments)
# ---------------------------------------------------------------------------------------------


def _waybill_page(canvas: Canvas, bill: WaybillData) -> None:
    width, height = SLIP_SIZE
    m = _SLIP_MARGIN
    half = (width - 2 * m) / 2
    y = height - m - 16
    canvas.setFont(FONT_BOLD, 16)
    canvas.drawString(m, y, "Waybill")
    canvas.setFont(FONT, 11)
    canvas.drawRightString(width - m, y, fit(bill.carrier_name, FONT, 11, half))
    y -= 16
    canvas.setFont(FONT, 10)
    canvas.drawString(m, y, f"Date: {bill.date.isoformat()}")
    if bill.reference:
        canvas.drawRightString(width - m, y, f"Order: {bill.reference}")
    y -= 26

    top = y
    y_left = draw_text(canvas, m, top, "Sender", size=10, bold=True)
    for line in address_lines(bill.sender):
        y_left = draw_text(canvas, m, y_left, line, size=10, width=half - 10)
    y_right = draw_text(canvas, m + half, top, "Recipient", size=10, bold=True)
    for line in address_lines(bill.recipient):
        y_right = draw_text(canvas, m + half, y_right, line, size=10, width=half - 10)
    y = min(y_left, y_right) - 14

    y = draw_text(canvas, m, y, "Packages", size=10, bold=True)
    total_g = 0
    for n, package in enumerate(bill.packages, 1):
        total_g += package.weight_g
        dims = f"{package.length_cm} × {package.width_cm} × {package.height_cm} cm"
        y = draw_text(canvas, m, y, f"{n}. {weight_text(package.weight_g)}, {dims}", size=10)
    y = draw_text(canvas, m, y, f"Total: {len(bill.packages)} package(s), {weight_text(total_g)}", size=10)
    y -= 8
    y = draw_text(
        canvas, m, y, f"Declared value: {bill.declared_value:.2f} {bill.currency}", size=10, bold=True
    )

    if bill.items:
        y -= 10
        y = draw_text(canvas, m, y, "Contents", size=10, bold=True)
        for item in bill.items[:25]:
            text = f"{item.quantity} × {item.name} ({item.sku})"
            y = draw_text(canvas, m, y, fit(text, FONT, 10, width - 2 * m), size=10)
        if len(bill.items) > 25:
            y = draw_text(canvas, m, y, f"… and {len(bill.items) - 25} more line(s)", size=10)

    draw_barcode(canvas, bill.tracking_number, m, m + 110, width - 2 * m, 70)
    canvas.showPage()


def waybill_pdf(bills: Sequence[WaybillData]) -> bytes:
    """Waybills for manual shipments, one A4 page each, in one PDF."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, SLIP_SIZE, "Waybills")
    for bill in bills:
        _waybill_page(canvas, bill)
    canvas.save()
    return buffer.getvalue()
