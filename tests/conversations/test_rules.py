"""The attachment rule (R-NOTE-4) on arbitrary input: a file is accepted only as a type its bytes
prove and its name agrees with, never larger than the limit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sellerdesk.conversations import rules

EXTENSIONS = [ext for t in rules.ALLOWED for ext in t.extensions] + [".exe", ".html", ".svg", ".js", ""]
SIGNATURES = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"%PDF-",
    b"MZ",
    b"<svg",
    b"",
]


@settings(max_examples=300, deadline=None)
@given(
    stem=st.text(min_size=1, max_size=20).filter(lambda s: "." not in s),
    ext=st.sampled_from(EXTENSIONS),
    head=st.sampled_from(SIGNATURES),
    tail=st.binary(max_size=64),
    size=st.integers(min_value=0, max_value=2 * rules.MAX_FILE_BYTES),
)
def test_an_accepted_file_is_what_its_bytes_and_its_name_both_say(stem, ext, head, tail, size) -> None:  # type: ignore[no-untyped-def]
    data = head + tail
    kind, why = rules.check_file(stem + ext, size, data)
    if kind is None:
        assert why
        return
    assert 0 < size <= rules.MAX_FILE_BYTES
    assert ext in rules.BY_TYPE[kind].extensions
    assert rules.sniff(data) == kind
    if kind == "text/plain":
        assert b"\x00" not in data


def test_each_allowed_type_is_recognised_and_others_are_not() -> None:
    assert rules.sniff(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert rules.sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert rules.sniff(b"GIF87a...") == "image/gif"
    assert rules.sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert rules.sniff(b"%PDF-1.7\n") == "application/pdf"
    assert rules.sniff("Заказ №5, синий\n".encode()) == "text/plain"
    assert rules.sniff("кириллица".encode()[:-1]) == "text/plain"  # cut inside the last character
    for other in (b"MZ\x90\x00", b"\x7fELF", b"PK\x03\x04", b"text\x00with NUL", b"\x1b[31mred"):
        assert rules.sniff(other) is None, other
