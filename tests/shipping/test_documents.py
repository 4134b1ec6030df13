"""The printed shipping documents (R-FUL-8): labels, packing slips, waybills, bulk PDFs."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.barcode.code128 import _patterns

from sellerdesk.bench.documents import sample_labels, sample_slips, time_bulk_documents
from sellerdesk.orders import services
from sellerdesk.shipping.carriers.base import Item, Package, Party
from sellerdesk.shipping.documents import (
    FontMissing,
    LabelData,
    SlipData,
    SlipLine,
    WaybillData,
    label_pdf,
    merge_pdfs,
    packing_slip_pdf,
    waybill_pdf,
)
from sellerdesk.shipping.documents.fonts import font_files
from sellerdesk.shipping.printing import packing_slips
from tests.conftest import actor, place

SHIPPER = Party(
    name="ООО «Ромашка»",
    phone="+7 495 123-45-67",
    country="RU",
    postcode="101000",
    city="Москва",
    line1="ул. Тверская, 7",
)
RECIPIENT = Party(
    name="Анна Петрова",
    phone="+7 912 345-67-89",
    country="RU",
    postcode="420111",
    region="Республика Татарстан",
    city="Казань",
    line1="ул. Баумана, 1",
    line2="кв. 5",
)


def pages(pdf: bytes) -> list[PageObject]:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pages(pdf)]


def label(**kw: object) -> LabelData:
    data: dict[str, object] = {
        "carrier_name": "Sandbox carrier",
        "service_name": "Express",
        "tracking_number": "SBX0123456789",
        "shipper": SHIPPER,
        "recipient": RECIPIENT,
        "weight_g": 1250,
        "date": dt.date(2026, 12, 1),
        "reference": "1042",
        "package_no": 2,
        "package_count": 3,
    }
    data.update(kw)
    return LabelData(**data)  # type: ignore[arg-type]


# --- Code 128, read back from the bars drawn on the page ---------------------------------------

_BY_WIDTHS = {
    "".join(str(ord(c.upper()) - ord("A") + 1) for c in pattern): value
    for value, pattern in _patterns.items()
}


def decode_code128(page) -> str:  # type: ignore[no-untyped-def]
    """The value of the one Code 128 barcode on `page`, from its bars' positions and widths."""
    ops = ContentStream(page.get_contents(), page.pdf).operations
    bars = sorted((float(args[0]), float(args[2])) for args, op in ops if op == b"re")
    assert bars, "no barcode on the page"
    module = min(width for _, width in bars)
    widths: list[int] = []
    for i, (x, width) in enumerate(bars):
        if i:
            prev_x, prev_w = bars[i - 1]
            widths.append(round((x - prev_x - prev_w) / module))
        widths.append(round(width / module))
    symbols = []
    while len(widths) > 7:
        symbols.append(_BY_WIDTHS["".join(map(str, widths[:6]))])
        widths = widths[6:]
    assert _BY_WIDTHS["".join(map(str, widths))] == 106, "no stop symbol"
    *data, check = symbols
    assert sum(v * max(i, 1) for i, v in enumerate(data)) % 103 == check, "bad check symbol"
    start, *values = data
    code = {103: "A", 104: "B", 105: "C"}[start]
    out = ""
    for v in values:
        if code == "C" and v < 100:
            out += f"{v:02d}"
        elif v == 99 or (code, v) in {("C", 100), ("A", 100), ("C", 101), ("B", 101)}:
            code = {99: "C", 100: "B", 101: "A"}[v]
        else:
            out += chr(v + 32) if code == "B" or v < 64 else chr(v - 64)
    return out


# --- Labels ----------------------------------------------------------------------------------


def test_a_label_is_one_4x6_inch_page_per_label() -> None:
    pdf = label_pdf([label(package_no=1), label(package_no=2), label(package_no=3)])
    assert [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages(pdf)] == [(288, 432)] * 3


def test_a_label_carries_carrier_addresses_weight_package_reference_date_in_cyrillic() -> None:
    (text,) = text_of(label_pdf([label()]))
    for expected in [
        "Sandbox carrier",
        "Express",
        "ООО «Ромашка»",
        "101000 Москва",
        "Анна Петрова",
        "ул. Баумана, 1",
        "кв. 5",
        "420111 Казань",
        "Республика Татарстан",
        "1.25 kg",
        "Package 2 of 3",
        "1042",
        "2026-12-01",
    ]:
        assert expected in text


@pytest.mark.parametrize("tracking", ["SBX0123456789", "1234567890123", "CDEK-42/7a"])
def test_the_barcode_encodes_the_tracking_number_printed_under_it(tracking: str) -> None:
    (page,) = pages(label_pdf([label(tracking_number=tracking)]))
    assert decode_code128(page) == tracking
    assert page.extract_text().rstrip().endswith(tracking)


def test_the_barcode_fits_on_the_label() -> None:
    (page,) = pages(label_pdf([label(tracking_number="SBX" + "7" * 30)]))
    ops = ContentStream(page.get_contents(), page.pdf).operations
    offsets = [args for args, op in ops if op == b"cm"]
    dx = sum(float(a[4]) for a in offsets)
    bars = [(dx + float(a[0]), float(a[2])) for a, op in ops if op == b"re"]
    assert min(x for x, _ in bars) >= 0 and max(x + w for x, w in bars) <= 288
    assert decode_code128(page) == "SBX" + "7" * 30


def test_long_addresses_wrap_instead_of_running_off_the_label() -> None:
    street = "проспект Академика Сахарова, дом 123, корпус 4, строение 5, подъезд 6, этаж 7"
    (text,) = text_of(label_pdf([label(recipient=Party(name="Анна", line1=street, country="RU"))]))
    assert street not in text  # not on one line…
    assert street in " ".join(text.split())  # …but all of it, over several


def test_an_address_too_long_for_the_label_never_runs_into_the_barcode() -> None:
    crowded = replace(RECIPIENT, line1="ул. Очень Длинная, дом 1, " * 12, line2="корпус 2, подъезд 3, " * 10)
    (page,) = pages(label_pdf([label(recipient=crowded)]))
    ops = ContentStream(page.get_contents(), page.pdf).operations
    dy = sum(float(a[5]) for a, op in ops if op == b"cm")
    bars_top = max(dy + float(a[1]) + float(a[3]) for a, op in ops if op == b"re")
    heights: dict[str, float] = {}
    page.extract_text(visitor_text=lambda text, cm, tm, *_: heights.setdefault(text.strip(), tm[5]))
    above = {t: y for t, y in heights.items() if t and t != "SBX0123456789"}
    assert min(above.values()) > bars_top
    assert "Package 2 of 3" in above and "420111 Казань" in above  # the city line is never cut off
    assert decode_code128(page) == "SBX0123456789"


def test_a_number_code_128_cannot_carry_is_printed_without_bars() -> None:
    (page,) = pages(label_pdf([label(tracking_number="ПОЧТА-123")]))
    assert "ПОЧТА-123" in page.extract_text()
    assert not [op for _, op in ContentStream(page.get_contents(), page.pdf).operations if op == b"re"]


# --- Packing slips ---------------------------------------------------------------------------


def slip(lines: int = 2, **kw: object) -> SlipData:
    data: dict[str, object] = {
        "seller_name": "Ромашка",
        "order_number": "1042",
        "order_date": dt.date(2026, 11, 30),
        "ship_to": RECIPIENT,
        "lines": tuple(
            SlipLine(sku=f"MUG-{i:02d}", name=f"Кружка керамическая №{i}", quantity=1, ordered=2)
            for i in range(lines)
        ),
        "shipment_reference": "SBX0123456789",
    }
    data.update(kw)
    return SlipData(**data)  # type: ignore[arg-type]


def test_a_packing_slip_is_an_a4_page_with_seller_order_address_lines_and_shipment() -> None:
    pdf = packing_slip_pdf([slip()])
    (page,) = pages(pdf)
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    for expected in [
        "Ромашка",
        "order 1042",
        "2026-11-30",
        "Анна Петрова",
        "420111 Казань",
        "MUG-00",
        "Кружка керамическая №1",
        "SBX0123456789",
        "2 items in this parcel",
    ]:
        assert expected in text


def test_a_line_with_nothing_to_pack_is_left_off_the_slip() -> None:
    lines = (
        SlipLine(sku="MUG-01", name="Кружка", quantity=2, ordered=2),
        SlipLine(sku="BOWL-01", name="Миска", quantity=0, ordered=1),
    )
    (text,) = text_of(packing_slip_pdf([replace(slip(), lines=lines)]))
    assert "MUG-01" in text and "BOWL-01" not in text and "2 items in this parcel" in text


def test_many_slips_make_one_pdf_with_a_page_each() -> None:
    slips = [slip(order_number=str(2000 + n)) for n in range(25)]
    texts = text_of(packing_slip_pdf(slips))
    assert len(texts) == 25
    assert [f"order {2000 + n}" in t for n, t in enumerate(texts)] == [True] * 25


def test_a_long_slip_runs_on_to_more_pages_with_every_line() -> None:
    texts = text_of(packing_slip_pdf([slip(lines=120), slip(lines=1, order_number="77")]))
    assert len(texts) > 3
    first, last = texts[:-1], texts[-1]
    joined = "\n".join(first)
    assert all(f"MUG-{i:02d}" in joined for i in range(120))
    assert "continued, page 2" in first[1]
    assert "order 77" in last and "order 1042" not in last


def test_bulk_slips_are_fast() -> None:
    timings = time_bulk_documents(200)
    assert timings["packing_slips_s"] < 5 and timings["labels_s"] < 5


@pytest.mark.django_db
def test_the_slip_of_a_real_order_leaves_out_its_internal_notes_and_costs(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(
        seller,
        lines=[services.LineIn(sku="MUG-01", quantity=2), services.LineIn(sku="BOWL-01", quantity=1)],
        shipping_address={
            "country": "RU",
            "region": "Республика Татарстан",
            "city": "Казань",
            "postal_code": "420111",
            "line1": "ул. Баумана, 1",
        },
    )
    services.note_add(
        seller_id=seller.pk, number=order.number, actor=actor(seller), text="Клиент грубит, не звонить"
    )
    (text,) = text_of(packing_slips([order]))
    assert seller.name in text and f"order {order.number}" in text and "Казань" in text
    assert "MUG-01" in text and "BOWL-01" in text and "3 items in this parcel" in text
    assert "грубит" not in text
    assert "manager" not in text.lower()  # no staff
    assert not any(price in text for price in ["4.00", "12.50", "24.90", "Total"])  # no prices or costs


def test_the_font_can_be_named_and_a_missing_one_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    regular, bold = font_files()
    assert regular.endswith(".ttf") and bold.endswith(".ttf")
    monkeypatch.setenv("SELLERDESK_PDF_FONT", regular)
    assert font_files() == (regular, regular)
    monkeypatch.setenv("SELLERDESK_PDF_FONT_BOLD", "/nonexistent/Bold.ttf")
    with pytest.raises(FontMissing) as missing:
        font_files()
    assert "/nonexistent/Bold.ttf" in str(missing.value)


# --- Waybills and merging -----------------------------------------------------------------------


def test_a_waybill_has_parties_packages_value_and_the_tracking_barcode() -> None:
    bill = WaybillData(
        carrier_name="Почта России",
        tracking_number="RA123456785RU",
        sender=SHIPPER,
        recipient=RECIPIENT,
        packages=(Package(1500, 30, 20, 10), Package(500, 10, 10, 10)),
        declared_value=Decimal("2500"),
        currency="RUB",
        date=dt.date(2026, 12, 1),
        reference="1042",
        items=(Item(sku="MUG-01", name="Кружка", quantity=2, unit_price=Decimal("1250")),),
    )
    (page,) = pages(waybill_pdf([bill]))
    text = page.extract_text()
    for expected in ["Почта России", "ООО «Ромашка»", "Анна Петрова", "1.5 kg", "30 × 20 × 10 cm", "2 kg"]:
        assert expected in text
    assert "2500.00 RUB" in text and "2 × Кружка (MUG-01)" in text
    assert decode_code128(page) == "RA123456785RU"


def test_merging_keeps_every_page_in_order() -> None:
    labels = label_pdf(sample_labels(3))
    slips = packing_slip_pdf(sample_slips(2))
    merged = pages(merge_pdfs([labels, slips, labels]))
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in merged] == (
        [(288, 432)] * 3 + [(595, 842)] * 2 + [(288, 432)] * 3
    )
    assert "SBX0000000002" in merged[2].extract_text() and "100001" in merged[4].extract_text()
