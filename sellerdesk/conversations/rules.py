"""The rules of conversations, declared once (pure data and functions, no ORM).

- Attachments (R-NOTE-4): at most `MAX_FILES` per message, each at most `MAX_FILE_BYTES`, of a type
  in `ALLOWED`. The type is decided by the file's first bytes (its "magic"), and the name's
  extension must agree with it: a renamed executable is refused whatever it is called.
- Feedback (R-NOTE-5): possible once the order is delivered or closed; the customer may change it
  for `FEEDBACK_EDIT_DAYS` days after leaving it; the seller may send one reminder.
- Complaint kinds (R-NOTE-6): `ComplaintKind`, with their labels.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
MAX_TEXT = 5000
MAX_REVIEW = 2000
MAX_COMPLAINT = 2000
FEEDBACK_EDIT_DAYS = 14
# A link is a key anyone holding it can use: at most this many customer messages per thread per hour.
CUSTOMER_MESSAGES_PER_HOUR = 20
FEEDBACK_STATUSES = frozenset({"delivered", "closed"})


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    inline: bool  # shown in the browser (images); the others are downloaded


ALLOWED: tuple[FileType, ...] = (
    FileType("image/png", (".png",), True),
    FileType("image/jpeg", (".jpg", ".jpeg"), True),
    FileType("image/gif", (".gif",), True),
    FileType("image/webp", (".webp",), True),
    FileType("application/pdf", (".pdf",), False),
    FileType("text/plain", (".txt", ".text", ".log", ".csv"), False),
)
BY_TYPE = {t.content_type: t for t in ALLOWED}


def sniff(head: bytes) -> str | None:
    """The content type that a file's first bytes prove, or None when they prove none we accept."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if _is_text(head):
        return "text/plain"
    return None


def _is_text(head: bytes) -> bool:
    """UTF-8 text without control characters (C0, DEL, C1) other than tab, newline, carriage
    return and form feed."""
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sample may end inside a multi-byte character: accept a cut in the last 3 bytes only.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    return all(ch in "\t\n\r\f" or unicodedata.category(ch) != "Cc" for ch in text)


def check_file(name: str, size: int, head: bytes) -> tuple[str | None, str]:
    """(content type, "") for an acceptable file, else (None, the reason shown to the user)."""
    if size > MAX_FILE_BYTES:
        return None, str(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if size == 0:
        return None, str(_("“%(name)s” is empty.") % {"name": name})
    kind = sniff(head)
    if kind is None:
        return None, str(_("“%(name)s” is not an image, a PDF or plain text.") % {"name": name})
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in BY_TYPE[kind].extensions:
        return None, str(
            _("“%(name)s” does not hold what its name says (its content is %(kind)s).")
            % {"name": name, "kind": kind}
        )
    return kind, ""


def feedback_open(status: str) -> bool:
    return status in FEEDBACK_STATUSES


def feedback_editable(created_at: dt.datetime, now: dt.datetime) -> bool:
    return now - created_at <= dt.timedelta(days=FEEDBACK_EDIT_DAYS)


class ComplaintKind(StrEnum):
    NOT_PAID = "not_paid"
    NOT_COLLECTED = "not_collected"
    FAKE_ORDER = "fake_order"
    FALSE_CLAIM = "false_claim"
    ABUSIVE = "abusive"
    OTHER = "other"


COMPLAINT_LABELS = {
    ComplaintKind.NOT_PAID: _("Did not pay"),
    ComplaintKind.NOT_COLLECTED: _("Did not collect the parcel"),
    ComplaintKind.FAKE_ORDER: _("Fake or prank order"),
    ComplaintKind.FALSE_CLAIM: _("False claim or chargeback"),
    ComplaintKind.ABUSIVE: _("Rude or abusive"),
    ComplaintKind.OTHER: _("Other"),
}
COMPLAINT_CHOICES = [(k.value, COMPLAINT_LABELS[k]) for k in ComplaintKind]


def complaint_label(kind: str) -> str:
    try:
        return str(COMPLAINT_LABELS[ComplaintKind(kind)])
    except ValueError:
        return kind
