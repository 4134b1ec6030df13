"""Confirming shipments from a file (R-FUL-1, R-FUL-2): preview per row, nothing written until
confirmed, one transaction per order, a row refused at confirm time reported while others go on."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from sellerdesk.orders import services
from sellerdesk.orders.models import Order
from sellerdesk.shipping.imports import RowStatus, shipment_import_run, shipment_preview
from sellerdesk.shipping.models import Shipment
from tests.conftest import actor, place, staff, table_counts
from tests.shipping.conftest import ready_to_ship

pytestmark = pytest.mark.django_db


def login(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def csv_file(rows: list[str], header: str = "order_number,carrier,tracking_number") -> SimpleUploadedFile:
    return SimpleUploadedFile("tracking.csv", ("\n".join([header, *rows]) + "\n").encode(), "text/csv")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def world(seller, other_seller):  # type: ignore[no-untyped-def]
    ok = ready_to_ship(seller)
    unpaid = ready_to_ship(seller, payment_method="bank_transfer")
    pending = place(seller)
    for _ in range(4):
        place(other_seller)
    theirs = ready_to_ship(other_seller)  # a number beyond this seller's
    return {"ok": ok, "unpaid": unpaid, "pending": pending, "theirs": theirs}


def test_preview_gives_every_row_its_result_and_writes_nothing(seller, world):  # type: ignore[no-untyped-def]
    ok, unpaid, pending, theirs = world["ok"], world["unpaid"], world["pending"], world["theirs"]
    assert not Order.objects.filter(seller=seller, number=theirs.number).exists()
    before = table_counts()
    upload = csv_file(
        [
            f"{ok.number},DHL,JD0001",
            f"{unpaid.number},DHL,JD0002",
            f"{pending.number},DHL,JD0003",
            f"{theirs.number},DHL,JD0004",  # another seller's: unknown here
            "999999,DHL,JD0005",
            f"#{ok.number},DHL,JD0006",  # the same order twice
            f"{ok.number + 100},,",
            "abc,DHL,JD0007",
        ]
    )
    response = login(seller).post("/orders/shipments/import/", {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert table_counts() == before
    assert "1 order ready to ship" in html and "7 rows rejected" in html
    assert "Unpaid:" in html and "Not shippable:" in html and "Order not found:" in html
    assert "Rejected:</span> the order is on an earlier row of this file" in html
    assert "Confirm 1 shipment" in html


def test_preview_statuses(seller, world):  # type: ignore[no-untyped-def]
    ok, unpaid, pending = world["ok"], world["unpaid"], world["pending"]
    raw = "\n".join(
        [
            "order_number,carrier,tracking_number,shipping_point",
            f"{ok.number},DHL,JD1,international",
            f"{unpaid.number},DHL,JD2,",
            f"{pending.number},DHL,JD3,",
            "424242,DHL,JD4,",
        ]
    ).encode()
    preview = shipment_preview(seller=seller, raw=raw)
    assert [r.status for r in preview.rows] == [
        RowStatus.OK,
        RowStatus.UNPAID,
        RowStatus.NOT_SHIPPABLE,
        RowStatus.NOT_FOUND,
    ]
    assert preview.rows[1].reason.startswith("The order is not paid") or "paid" in preview.rows[1].reason
    raw = f"order_number,carrier,tracking_number\n{ok.number},DHL,\n".encode()
    assert shipment_preview(seller=seller, raw=raw).rows[0].status == RowStatus.TRACKING_MISSING


def test_confirm_ships_every_ok_row_and_reports(seller, world):  # type: ignore[no-untyped-def]
    ok, unpaid = world["ok"], world["unpaid"]
    second = ready_to_ship(seller)
    client = login(seller)
    client.post(
        "/orders/shipments/import/",
        {
            "file": csv_file(
                [f"{ok.number},DHL,JD0001", f"{second.number},UPS,1Z999", f"{unpaid.number},DHL,X"]
            )
        },
    )
    response = client.post("/orders/shipments/import/confirm/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 orders shipped" in html and "1 row not shipped" in html
    for order, carrier, tracking in ((ok, "DHL", "JD0001"), (second, "UPS", "1Z999")):
        order.refresh_from_db()
        assert order.status == "shipped" and order.fulfillment_status == "fulfilled"
        shipment = Shipment.objects.get(order=order)
        assert (shipment.kind, shipment.carrier, shipment.tracking_number) == ("manual", carrier, tracking)
        assert f"shipment #{order.number}-1" in html
    assert not Shipment.objects.filter(order=unpaid).exists()
    # The plan is used once: a second confirm writes nothing.
    again = client.post("/orders/shipments/import/confirm/", follow=True)
    assert "There is nothing to confirm" in again.content.decode()
    assert Shipment.objects.filter(seller=seller).count() == 2


def test_a_row_refused_at_confirm_time_is_reported_and_the_others_go_on(seller, world):  # type: ignore[no-untyped-def]
    ok = world["ok"]
    other = ready_to_ship(seller)
    raw = f"order_number,carrier,tracking_number\n{ok.number},DHL,A1\n{other.number},DHL,A2\n".encode()
    preview = shipment_preview(seller=seller, raw=raw)
    assert preview.ok_rows == 2
    # Between preview and confirm, the first order is cancelled.
    services.order_cancel(
        seller_id=seller.pk, number=ok.number, actor=actor(seller), reason="customer_request"
    )
    report = shipment_import_run(seller=seller, actor=actor(seller), preview=preview)
    assert [r.status for r in report.rows] == [RowStatus.REFUSED, RowStatus.SHIPPED]
    assert "cancelled" in report.rows[0].reason
    assert not Shipment.objects.filter(order=ok).exists()
    assert Shipment.objects.filter(order=other).count() == 1


def test_an_xlsx_file_is_read_like_a_csv(seller, world):  # type: ignore[no-untyped-def]
    ok = world["ok"]
    raw = xlsx_bytes([["tracking_number", "order_number", "carrier"], [123456789012, ok.number, "Post"]])
    preview = shipment_preview(seller=seller, raw=raw)
    assert [(r.status, r.order_number, r.tracking_number) for r in preview.rows] == [
        (RowStatus.OK, str(ok.number), "123456789012")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"order_number,carrier\n1,DHL\n", "The header lacks the column(s): tracking_number."),
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file is empty."),
        (b"order_number,carrier,tracking_number\n", "The file has a header but no rows."),
        (b"PK\x03\x04not really a zip", "The file is not a valid XLSX workbook."),
        ("order_number;carrier\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_a_bad_file_is_a_form_error(seller, content, message):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("x.csv", content, "text/csv")
    response = login(seller).post("/orders/shipments/import/", {"file": upload})
    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_viewer_may_not_upload(seller):  # type: ignore[no-untyped-def]
    client = login(seller, "viewer")
    assert client.get("/orders/shipments/import/").status_code == 403
    assert client.post("/orders/shipments/import/confirm/").status_code == 403


# --- the API: POST /api/v1/shipments/import --------------------------------------------------------


def test_api_dry_run_writes_nothing_then_a_real_run_ships(seller, world, api):  # type: ignore[no-untyped-def]
    ok, unpaid, theirs = world["ok"], world["unpaid"], world["theirs"]
    rows = [
        {"order_number": ok.number, "carrier": "DHL", "tracking_number": "JD1"},
        {"order_number": f"#{unpaid.number}", "carrier": "DHL", "tracking_number": "JD2"},
        {"order_number": theirs.number, "carrier": "DHL", "tracking_number": "JD3"},
        {"order_number": "abc", "carrier": "DHL"},
    ]
    before = table_counts()
    dry = api.post("/shipments/import", {"rows": rows, "dry_run": True})
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert body["dry_run"] is True and body["shipped"] == 0 and body["rejected"] == 3
    assert [r["status"] for r in body["rows"]] == ["ok", "unpaid", "not_found", "not_found"]
    assert [r["line"] for r in body["rows"]] == [1, 2, 3, 4]
    assert table_counts() == before
    real = api.post("/shipments/import", {"rows": rows}).json()
    assert [r["status"] for r in real["rows"]] == ["shipped", "unpaid", "not_found", "not_found"]
    assert real["rows"][0]["shipment"] == 1 and real["shipped"] == 1
    assert Shipment.objects.get(order=ok).tracking_number == "JD1"
    assert not Shipment.objects.filter(order=theirs).exists()


def test_api_bad_body_is_a_problem_and_a_viewer_key_is_refused(seller, api, api_for):  # type: ignore[no-untyped-def]
    bad = api.post("/shipments/import", {"rows": []})
    assert bad.status_code == 422
    assert bad["Content-Type"].startswith("application/problem+json")
    viewer = api_for(seller, "viewer")
    rows = [{"order_number": 1001, "carrier": "DHL", "tracking_number": "X"}]
    assert viewer.post("/shipments/import", {"rows": rows}).status_code == 403
