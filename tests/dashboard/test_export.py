"""Export (R-LIST-7): the CSV and XLSX hold exactly the list's rows, in its order."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from sellerdesk.orders import services
from sellerdesk.orders.exports import HEADER
from tests.conftest import actor, place, staff

pytestmark = pytest.mark.django_db


def login(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def list_numbers(client: Client, query: str) -> list[int]:
    html = client.get(f"/orders/?{query}").content.decode()
    return [int(n) for n in re.findall(r'<tr data-row data-number="(\d+)"', html)]


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def orders(seller, other_seller):  # type: ignore[no-untyped-def]
    made = [
        place(seller, name="Anna Export", lines=[services.LineIn(sku="MUG-01", quantity=2)]),
        place(seller, name="Boris Export", lines=[services.LineIn(sku="BOWL-01", quantity=3)]),
        place(
            seller,
            name="=HYPERLINK(1)",
            lines=[services.LineIn(sku="MUG-01", quantity=1), services.LineIn(sku="EBOOK-01", quantity=2)],
        ),
        place(seller, name="Dora Export", lines=[services.LineIn(sku="BOWL-01", quantity=1)]),
    ]
    services.order_confirm(seller_id=seller.pk, number=made[1].number, actor=actor(seller))
    place(other_seller, name="Other Seller")
    return made


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=pending",
        "total_min=20&total_max=40",
        "q=export",
        "q=sku:BOWL-01",
        "sort=total",
        "sort=-total",
    ],
)
def test_csv_has_exactly_the_list_rows(seller, orders, query):  # type: ignore[no-untyped-def]
    client = login(seller)
    response = client.get(f"/orders/export.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [int(r["number"]) for r in rows] == list_numbers(client, query)
    assert all(r["customer_name"] != "Other Seller" for r in rows)


def test_csv_columns_items_and_formula_defused(seller, orders):  # type: ignore[no-untyped-def]
    rows = {int(r["number"]): r for r in read_csv(login(seller).get("/orders/export.csv"))}
    assert list(next(iter(rows.values())).keys()) == HEADER
    third = rows[orders[2].number]
    assert third["items"] == "MUG-01×1, EBOOK-01×2"
    assert third["customer_name"] == "'=HYPERLINK(1)"
    assert third["customer_phone"] == "+7 912 345-67-89"  # phones are not mangled
    second = rows[orders[1].number]
    assert second["status"] == "confirmed" and second["total"] == "78.70" and second["currency"] == "EUR"


def test_xlsx_has_the_same_rows(seller, orders):  # type: ignore[no-untyped-def]
    client = login(seller)
    response = client.get("/orders/export.xlsx?status=pending")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = list(wb.active.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    assert [int(r[0]) for r in values[1:]] == list_numbers(client, "status=pending")


def test_xlsx_continues_on_a_new_sheet_when_one_is_full(seller, orders, monkeypatch):  # type: ignore[no-untyped-def]
    """An XLSX sheet holds 1,048,576 rows; a larger export goes on over further sheets, each with
    the header (shown here with sheets of 3 orders)."""
    from sellerdesk.orders import exports

    monkeypatch.setattr(exports, "SHEET_ROWS", 3)
    client = login(seller)
    wb = load_workbook(
        io.BytesIO(b"".join(client.get("/orders/export.xlsx").streaming_content)), read_only=True
    )
    assert wb.sheetnames == ["Orders", "Orders (2)"]
    first, second = ([list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets)
    assert first[0] == second[0] == HEADER
    assert len(first) == 4 and len(second) == 2
    assert [int(r[0]) for r in first[1:] + second[1:]] == list_numbers(client, "")
    empty = load_workbook(
        io.BytesIO(b"".join(client.get("/orders/export.xlsx?q=nobody-at-all").streaming_content)),
        read_only=True,
    )
    assert empty.sheetnames == ["Orders"] and [list(r) for r in empty.active.iter_rows(values_only=True)] == [
        HEADER
    ]


def test_export_bad_filter_is_400_not_500(seller, orders):  # type: ignore[no-untyped-def]
    response = login(seller).get("/orders/export.csv?status=lost")
    assert response.status_code == 400 and "error-summary" in response.content.decode()


def test_export_needs_login_and_a_viewer_may_export(seller, orders):  # type: ignore[no-untyped-def]
    assert Client().get("/orders/export.csv").status_code == 302
    assert login(seller, "viewer").get("/orders/export.csv").status_code == 200


def test_export_memory_stays_flat_across_chunks(seller, orders, monkeypatch):  # type: ignore[no-untyped-def]
    from sellerdesk.orders import exports

    monkeypatch.setattr(exports, "CHUNK", 3)  # several chunks: lines are fetched per chunk
    rows = read_csv(login(seller).get("/orders/export.csv"))
    assert len(rows) == 4 and all(r["items"] for r in rows)


def test_export_echoes_a_well_formed_download_token_in_a_cookie(seller, orders):  # type: ignore[no-untyped-def]
    """The page learns that the download started (CSV) or the file is ready (XLSX)."""
    client = login(seller)
    for path in ("/orders/export.csv", "/orders/export.xlsx"):
        response = client.get(path, {"download_token": "abc123XYZ9"})
        assert response.status_code == 200
        assert response.cookies["sd_export"].value == "abc123XYZ9", path
        assert response.cookies["sd_export"]["max-age"] == 120
        for bad in ("short", "x" * 41, "abc123XYZ9;path=/", "<script>1234"):
            assert "sd_export" not in client.get(path, {"download_token": bad}).cookies, (path, bad)
