"""The printed shipping documents (R-FUL-8): 4×6 in labels, A4 packing slips and waybills. Pure.

Plain dataclasses in, PDF bytes out; no ORM here (`sellerdesk.shipping.printing` builds the data
from the rows). Many documents of a kind go into one PDF, one per
page; `merge_pdfs` joins PDFs from elsewhere (a carrier's waybills) into one bulk download.

Text is set in a TrueType font with Cyrillic (the PDF's standard fonts have none): DejaVu Sans,
which Debian installs with fontconfig (`fonts-dejavu-core`), or another sans serif with Cyrillic
found on the system; `SELLERDESK_PDF_FONT` (and `SELLERDESK_PDF_FONT_BOLD`) name a TTF file
explicitly. A machine with none of them gets `FontMissing`, saying what to install.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter

from .data import LabelData, SlipData, SlipLine, WaybillData
from .fonts import FontMissing
from .labels import LABEL_SIZE, label_pdf
from .paper import SLIP_SIZE, packing_slip_pdf, waybill_pdf

__all__ = [
    "LABEL_SIZE",
    "SLIP_SIZE",
    "FontMissing",
    "LabelData",
    "SlipData",
    "SlipLine",
    "WaybillData",
    "label_pdf",
    "merge_pdfs",
    "packing_slip_pdf",
    "waybill_pdf",
]


def merge_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """The pages of several PDFs, in order, in one (a bulk download of carriers' waybills)."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
