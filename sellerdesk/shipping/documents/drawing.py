"""Small drawing helpers shared by the documents: text, wrapping, addresses, barcodes."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..carriers.base import Party
from .fonts import FONT, FONT_BOLD, register_fonts


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    register_fonts()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("SellerDesk")
    return canvas


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) if text else []


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    *,
    size: float = 9,
    bold: bool = False,
    width: float = 0,
    floor: float = 0,
    max_lines: int = 0,
) -> float:
    """Draw `text` from (x, y) downwards, wrapped to `width` when given, in at most `max_lines`
    lines (0: any number; a cut ends with "…"), none below `floor`; returns the next line's y."""
    font = FONT_BOLD if bold else FONT
    canvas.setFont(font, size)
    leading = size * 1.2
    lines = wrap(text, font, size, width) if width else [text]
    if max_lines and len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            fit(lines[max_lines - 1] + " " + lines[max_lines], font, size, width),
        ]
    for line in lines:
        if y < floor:
            break
        canvas.drawString(x, y, line)
        y -= leading
    return y


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit in `width` (table cells that must stay on one line)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def address_lines(party: Party) -> list[str]:
    """An address as printed: name, company, street, city line, region, country, phone."""
    city = " ".join(filter(None, [party.postcode, party.city]))
    return [
        line
        for line in [
            party.name,
            party.company,
            party.line1,
            party.line2,
            city,
            party.region,
            party.country,
            party.phone,
        ]
        if line
    ]


def draw_barcode(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> None:
    """A Code 128 barcode of `value`, centred in `width` with its bars at most `height` high,
    the value printed under it. Code 128 carries printable ASCII only:
    any other value is printed without bars (a barcode of part of it would be wrong)."""
    if value and all(" " <= c <= "~" for c in value):
        probe = Code128(value, barWidth=1, barHeight=height, humanReadable=False)
        bar_width = min(2.0, width / probe.width)
        code = Code128(value, barWidth=bar_width, barHeight=height, humanReadable=False)
        code.drawOn(canvas, x + (width - code.width) / 2, y - height)
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(x + width / 2, y - height - 13, value)


def weight_text(weight_g: int) -> str:
    return f"{Decimal(weight_g) / 1000:.3f}".rstrip("0").rstrip(".") + " kg"
