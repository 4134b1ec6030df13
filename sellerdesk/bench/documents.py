"""How long the bulk PDFs take (R-FUL-8): packing slips and labels rendered from plain data."""

from __future__ import annotations

import datetime as dt
import time

from sellerdesk.shipping.carriers.base import Party
from sellerdesk.shipping.documents import LabelData, SlipData, SlipLine, label_pdf, packing_slip_pdf

SHIPPER = Party(name="ООО «Ромашка»", country="RU", postcode="101000", city="Москва", line1="ул. Тверская, 1")


def _recipient(n: int) -> Party:
    return Party(
        name=f"Анна Петрова {n}",
        phone="+7 912 345-67-89",
        country="RU",
        postcode=f"420{n % 1000:03d}",
        region="Республика Татарстан",
        city="Казань",
        line1=f"ул. Баумана, {n % 90 + 1}",
    )


def sample_slips(count: int) -> list[SlipData]:
    """`count` slips of 1–5 lines each, Russian text."""
    return [
        SlipData(
            seller_name="Ромашка",
            order_number=str(100_000 + n),
            order_date=dt.date(2026, 11, 1) + dt.timedelta(days=n % 30),
            ship_to=_recipient(n),
            lines=tuple(
                SlipLine(
                    sku=f"SKU-{n % 97}-{i}",
                    name=f"Кружка керамическая, {i + 1} шт.",
                    quantity=i + 1,
                    ordered=i + 1,
                )
                for i in range(n % 5 + 1)
            ),
            shipment_reference=f"SBX{n:010d}",
        )
        for n in range(count)
    ]


def sample_labels(count: int) -> list[LabelData]:
    return [
        LabelData(
            carrier_name="Sandbox carrier",
            service_name="Economy",
            tracking_number=f"SBX{n:010d}",
            shipper=SHIPPER,
            recipient=_recipient(n),
            weight_g=500 + n % 4000,
            date=dt.date(2026, 12, 1),
            reference=str(100_000 + n),
        )
        for n in range(count)
    ]


def time_bulk_documents(count: int = 500) -> dict[str, float]:
    """Seconds to render `count` packing slips, and `count` labels, each set as one PDF."""
    slips, labels = sample_slips(count), sample_labels(count)
    started = time.perf_counter()
    packing_slip_pdf(slips)
    slips_s = time.perf_counter() - started
    started = time.perf_counter()
    label_pdf(labels)
    return {"packing_slips_s": slips_s, "labels_s": time.perf_counter() - started}
