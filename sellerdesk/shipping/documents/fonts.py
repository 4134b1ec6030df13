"""The documents' TrueType fonts, with Cyrillic (the PDF's standard fonts have none)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
        bold = os.environ.get("SELLERDESK_PDF_FONT_BOLD") or explicit
        missing = [path for path in (explicit, bold) if not os.path.isfile(path)]
        if missing:
            raise FontMissing(f"SELLERDESK_PDF_FONT(_BOLD) names no file: {', '.join(missing)}.")
        return explicit, bold
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
