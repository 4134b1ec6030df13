"""Shipping labels: 4×6 in (288 × 432 pt), one page per package."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from .data import LabelData
from .drawing import address_lines, draw_barcode, draw_text, fit, new_canvas, weight_text
from .fonts import FONT, FONT_BOLD

LABEL_SIZE = (4 * inch, 6 * inch)  # 288 × 432 pt


def _label_page(canvas: Canvas, label: LabelData) -> None:
    width, height = LABEL_SIZE
    margin = 12
    inner = width - 2 * margin
    # The addresses stop above the smallest barcode and the two rows of details over it.
    floor = margin + 36 + 18 + 30 + 20
    y = height - margin - 14

    # Carrier and service.
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawString(margin, y, fit(label.carrier_name, FONT_BOLD, 14, inner * 0.6))
    canvas.setFont(FONT, 10)
    canvas.drawRightString(width - margin, y + 2, fit(label.service_name, FONT, 10, inner * 0.4))
    y -= 8
    canvas.setLineWidth(1.5)
    canvas.line(margin, y, width - margin, y)
    y -= 12

    # From: small.
    y = draw_text(canvas, margin, y, "FROM", size=7, bold=True)
    for line in address_lines(label.shipper)[:6]:
        y = draw_text(canvas, margin, y, line, size=8, width=inner, floor=floor + 120, max_lines=2)
    y -= 4
    canvas.setLineWidth(0.5)
    canvas.line(margin, y, width - margin, y)
    y -= 14

    # To: large.
    y = draw_text(canvas, margin, y, "TO", size=8, bold=True)
    to_lines = address_lines(label.recipient)
    if to_lines:
        y = draw_text(
            canvas, margin, y - 2, to_lines[0], size=13, bold=True, width=inner, floor=floor, max_lines=2
        )
    for line in to_lines[1:]:
        y = draw_text(canvas, margin, y, line, size=11, width=inner, floor=floor, max_lines=3)
    y -= 4
    canvas.setLineWidth(1.5)
    canvas.line(margin, y, width - margin, y)
    y -= 13

    # Weight, package n of m, order reference, date.
    canvas.setFont(FONT, 9)
    canvas.drawString(margin, y, f"Weight: {weight_text(label.weight_g)}")
    canvas.drawRightString(width - margin, y, f"Package {label.package_no} of {label.package_count}")
    y -= 12
    if label.reference:
        canvas.drawString(margin, y, fit(f"Order: {label.reference}", FONT, 9, inner * 0.6))
    canvas.drawRightString(width - margin, y, label.date.isoformat())

    # The tracking number's barcode at the bottom.
    bar_height = min(90.0, max(36.0, y - margin - 30))
    draw_barcode(canvas, label.tracking_number, margin, margin + bar_height + 18, inner, bar_height)


def label_pdf(labels: Sequence[LabelData]) -> bytes:
    """Labels, one 4×6 in page (288 × 432 pt) each, in one PDF."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, LABEL_SIZE, "Shipping labels")
    for label in labels:
        _label_page(canvas, label)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
