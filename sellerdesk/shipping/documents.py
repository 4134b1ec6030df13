"""The printed shipping documents (R-FUL-8): 4×6 in labels, A4 packing slips and waybills. Pure.

Plain dataclasses in, PDF bytes out; no ORM here (the service layer builds the data, e.g.
`sellerdesk.shipping.slips.slip_for_order`). Many documents of a kind go into one PDF, one per
page; `merge_pdfs` joins PDFs from elsewhere (a carrier's waybills) into one bulk download.

Text is set in a TrueType font with Cyrillic (the PDF's standard fonts have none): DejaVu Sans,
which Debian installs with fontconfig (`fonts-dejavu-core`), or another sans serif with Cyrillic
found on the system; `SELLERDESK_PDF_FONT` (and `SELLERDESK_PDF_FONT_BOLD`) name a TTF file
explicitly. A machine with none of them gets `FontMissing`, saying what to install.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pypdf import PdfReader, PdfWriter
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .carriers.base import Item, Package, Party

LABEL_SIZE = (4 * inch, 6 * inch)  # 288 × 432 pt
SLIP_SIZE = A4

# ---------------------------------------------------------------------------------------------
# The data the documents are made of
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelData:
    """One package's label: a shipment of m packages has m labels, `package_no` 1..m."""

    carrier_name: str
    service_name: str
    tracking_number: str
    shipper: Party
    recipient: Party
    weight_g: int
    date: dt.date
    reference: str = ""  # the order's number as the customer knows it, e.g. "1042"
    package_no: int = 1
    package_count: int = 1


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    quantity: int  # to pack in this shipment
    ordered: int  # on the order line


@dataclass(frozen=True)
class SlipData:
    """What goes into the parcel's packing slip, and nothing else: it is read by the customer.

    There is deliberately no field for internal notes, staff or what the seller pays the carrier.
    """

    seller_name: str
    order_number: str
    order_date: dt.date
    ship_to: Party
    lines: tuple[SlipLine, ...]
    shipment_reference: str = ""  # the tracking number, or the shipment's own reference


@dataclass(frozen=True)
class WaybillData:
    """A manual shipment's waybill: who sends what to whom, its value and tracking number."""

    carrier_name: str
    tracking_number: str
    sender: Party
    recipient: Party
    packages: tuple[Package, ...]
    declared_value: Decimal
    currency: str
    date: dt.date
    reference: str = ""
    items: tuple[Item, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------

FONT = "SellerDeskSans"
FONT_BOLD = "SellerDeskSans-Bold"

# (regular, bold) TrueType files with Cyrillic, tried in order.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSansBold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),  # Fedora
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),  # macOS
)


class FontMissing(RuntimeError):
    """No TrueType font with Cyrillic was found: the documents cannot be set."""


def _fc_match() -> str | None:
    """A sans serif TTF with Russian from fontconfig, when its command-line tool is installed."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", "sans:lang=ru:fontformat=TrueType"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out.lower().endswith(".ttf") and os.path.isfile(out) else None


def font_files() -> tuple[str, str]:
    """The (regular, bold) TTF files the documents are set in."""
    explicit = os.environ.get("SELLERDESK_PDF_FONT")
    if explicit:
        return explicit, os.environ.get("SELLERDESK_PDF_FONT_BOLD") or explicit
    for regular, bold in FONT_CANDIDATES:
        if os.path.isfile(regular):
            return regular, bold if os.path.isfile(bold) else regular
    found = _fc_match()
    if found:
        return found, found
    raise FontMissing(
        "No TrueType font with Cyrillic for the PDF documents: install DejaVu "
        "(Debian/Ubuntu: apt-get install fonts-dejavu-core) or set SELLERDESK_PDF_FONT to a .ttf file."
    )


@functools.cache
def register_fonts() -> None:
    """Register the documents' fonts with reportlab (once per process)."""
    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(FONT, regular))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))


# ---------------------------------------------------------------------------------------------
# Small drawing helpers
# ---------------------------------------------------------------------------------------------


def _new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], title: str) -> Canvas:
    register_fonts()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("SellerDesk")
    return canvas


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) if text else []


def _text(
    canvas: Canvas, x: float, y: float, text: str, *, size: float = 9, bold: bool = False, width: float = 0
) -> float:
    """Draw `text` from (x, y) downwards, wrapped to `width` when given; returns the next line's y."""
    font = FONT_BOLD if bold else FONT
    canvas.setFont(font, size)
    leading = size * 1.2
    for line in _lines(text, font, size, width) if width else [text]:
        canvas.drawString(x, y, line)
        y -= leading
    return y


def _fit(text: str, font: str, size: float, width: float) -> str:
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


def _barcode(canvas: Canvas, value: str, x: float, y: float, width: float, height: float) -> float:
    """A Code 128 barcode of `value`, centred in `width` with its bars at most `height` high,
    the value printed under it; returns the height used."""
    probe = Code128(value, barWidth=1, barHeight=height, humanReadable=False)
    bar_width = min(2.0, width / probe.width)
    code = Code128(value, barWidth=bar_width, barHeight=height, humanReadable=False)
    code.drawOn(canvas, x + (width - code.width) / 2, y - height)
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(x + width / 2, y - height - 13, value)
    return height + 16


def weight_text(weight_g: int) -> str:
    return f"{Decimal(weight_g) / 1000:.3f}".rstrip("0").rstrip(".") + " kg"


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------


def _label_page(canvas: Canvas, label: LabelData) -> None:
    width, height = LABEL_SIZE
    margin = 12
    inner = width - 2 * margin
    y = height - margin - 14

    # Carrier and service.
    canvas.setFont(FONT_BOLD, 14)
    canvas.drawString(margin, y, _fit(label.carrier_name, FONT_BOLD, 14, inner * 0.6))
    canvas.setFont(FONT, 10)
    canvas.drawRightString(width - margin, y + 2, _fit(label.service_name, FONT, 10, inner * 0.4))
    y -= 8
    canvas.setLineWidth(1.5)
    canvas.line(margin, y, width - margin, y)
    y -= 12

    # From: small.
    y = _text(canvas, margin, y, "FROM", size=7, bold=True)
    for line in address_lines(label.shipper)[:6]:
        y = _text(canvas, margin, y, line, size=8, width=inner)
    y -= 4
    canvas.setLineWidth(0.5)
    canvas.line(margin, y, width - margin, y)
    y -= 14

    # To: large.
    y = _text(canvas, margin, y, "TO", size=8, bold=True)
    to_lines = address_lines(label.recipient)
    if to_lines:
        y = _text(canvas, margin, y - 2, to_lines[0], size=13, bold=True, width=inner)
    for line in to_lines[1:8]:
        y = _text(canvas, margin, y, line, size=11, width=inner)
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
        canvas.drawString(margin, y, _fit(f"Order: {label.reference}", FONT, 9, inner * 0.6))
    canvas.drawRightString(width - margin, y, label.date.isoformat())

    # The tracking number's barcode at the bottom.
    bar_height = min(90.0, max(36.0, y - margin - 30))
    _barcode(canvas, label.tracking_number, margin, margin + bar_height + 18, inner, bar_height)


def label_pdf(labels: Sequence[LabelData]) -> bytes:
    """Labels, one 4×6 in page (288 × 432 pt) each, in one PDF."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, LABEL_SIZE, "Shipping labels")
    for label in labels:
        _label_page(canvas, label)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Packing slips
# ---------------------------------------------------------------------------------------------

_SLIP_MARGIN = 42
_ROW = 16


def _slip_header(canvas: Canvas, slip: SlipData, page: int) -> float:
    width, height = SLIP_SIZE
    m = _SLIP_MARGIN
    y = height - m - 16
    canvas.setFont(FONT_BOLD, 16)
    canvas.drawString(m, y, _fit(slip.seller_name, FONT_BOLD, 16, width / 2 - m))
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

    y = _text(canvas, m, y, "Ship to", size=10, bold=True)
    for text in address_lines(slip.ship_to):
        y = _text(canvas, m, y, text, size=10, width=width / 2)
    y -= 14
    y = _slip_table_head(canvas, y, cols)

    for line in slip.lines:
        names = _lines(line.name, FONT, 10, name_width) or [""]
        needed = _ROW + (len(names) - 1) * 12
        if y - needed < m + 30:
            canvas.showPage()
            page += 1
            y = _slip_table_head(canvas, _slip_header(canvas, slip, page), cols)
        canvas.setFont(FONT, 10)
        canvas.drawString(cols[0], y, _fit(line.sku, FONT, 10, cols[1] - cols[0] - 8))
        for i, part in enumerate(names):
            canvas.drawString(cols[1], y - i * 12, part)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawRightString(cols[2], y, str(line.quantity))
        canvas.setFont(FONT, 10)
        canvas.drawRightString(cols[3], y, str(line.ordered))
        y -= needed

    canvas.setLineWidth(0.5)
    canvas.line(m, y + _ROW - 5, width - m, y + _ROW - 5)
    total = sum(line.quantity for line in slip.lines)
    canvas.setFont(FONT, 10)
    canvas.drawRightString(cols[2], y, f"{total} item{'s' if total != 1 else ''} in this parcel")
    canvas.showPage()


def packing_slip_pdf(slips: Sequence[SlipData]) -> bytes:
    """Packing slips on A4, each starting on a new page (a long one runs on), in one PDF."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, SLIP_SIZE, "Packing slips")
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
    canvas.drawRightString(width - m, y, _fit(bill.carrier_name, FONT, 11, half))
    y -= 16
    canvas.setFont(FONT, 10)
    canvas.drawString(m, y, f"Date: {bill.date.isoformat()}")
    if bill.reference:
        canvas.drawRightString(width - m, y, f"Order: {bill.reference}")
    y -= 26

    top = y
    y_left = _text(canvas, m, top, "Sender", size=10, bold=True)
    for line in address_lines(bill.sender):
        y_left = _text(canvas, m, y_left, line, size=10, width=half - 10)
    y_right = _text(canvas, m + half, top, "Recipient", size=10, bold=True)
    for line in address_lines(bill.recipient):
        y_right = _text(canvas, m + half, y_right, line, size=10, width=half - 10)
    y = min(y_left, y_right) - 14

    y = _text(canvas, m, y, "Packages", size=10, bold=True)
    total_g = 0
    for n, package in enumerate(bill.packages, 1):
        total_g += package.weight_g
        dims = f"{package.length_cm} × {package.width_cm} × {package.height_cm} cm"
        y = _text(canvas, m, y, f"{n}. {weight_text(package.weight_g)}, {dims}", size=10)
    y = _text(canvas, m, y, f"Total: {len(bill.packages)} package(s), {weight_text(total_g)}", size=10)
    y -= 8
    y = _text(canvas, m, y, f"Declared value: {bill.declared_value:.2f} {bill.currency}", size=10, bold=True)

    if bill.items:
        y -= 10
        y = _text(canvas, m, y, "Contents", size=10, bold=True)
        for item in bill.items[:25]:
            text = f"{item.quantity} × {item.name} ({item.sku})"
            y = _text(canvas, m, y, _fit(text, FONT, 10, width - 2 * m), size=10)
        if len(bill.items) > 25:
            y = _text(canvas, m, y, f"… and {len(bill.items) - 25} more line(s)", size=10)

    _barcode(canvas, bill.tracking_number, m, m + 110, width - 2 * m, 70)
    canvas.showPage()


def waybill_pdf(bills: Sequence[WaybillData]) -> bytes:
    """Waybills for manual shipments, one A4 page each, in one PDF."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, SLIP_SIZE, "Waybills")
    for bill in bills:
        _waybill_page(canvas, bill)
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Bulk
# ---------------------------------------------------------------------------------------------


def merge_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """The pages of several PDFs, in order, in one (a bulk download of carriers' waybills)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
