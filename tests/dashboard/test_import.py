"""CSV import (R-IN-4): preview writes nothing, confirm places orders, per-row report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sellerdesk.orders.imports import import_preview
from sellerdesk.orders.models import Order
from tests.conftest import staff, table_counts

pytestmark = pytest.mark.django_db

HEADER = "order_ref,customer_name,email,phone,sku,quantity,unit_price,currency,shipping_method,payment_method,country,region,city,postal_code,line1,created_at\n"
GOOD = (
    "A1,Anna Petrova,anna@example.com,+49 30 111,MUG-01,2,12.50,EUR,carrier,bank_transfer,DE,,Berlin,10115,Invalidenstraße 43,2024-03-01\n"
    "A1,Anna Petrova,anna@example.com,+49 30 111,BOWL-01,1,,EUR,carrier,bank_transfer,DE,,Berlin,10115,Invalidenstraße 43,2024-03-01\n"
    ",Boris Ivanov,boris@example.com,,EBOOK-01,1,5.00,EUR,digital,online,,,,,,\n"
)
BAD = (
    "B1,Vera,vera@example.com,,NOPE-9,1,1,EUR,carrier,online,DE,,Berlin,10115,Street 1,\n"
    "C1,Gleb,gleb@example.com,,MUG-01,zero,1,EUR,carrier,online,DE,,Berlin,10115,Street 1,\n"
    "D1,Dana,dana@example.com,,MUG-01,1,1,EUR,carrier,online,DE,,Berlin,10115,Street 1,\n"
    "D1,Dana,dana@example.com,,BOWL-01,1,1,USD,carrier,online,DE,,Berlin,10115,Street 1,\n"
    "E1,Egor,,,MUG-01,1,1,EUR,teleport,online,DE,,Berlin,10115,Street 1,\n"
)


def client_for(seller, role: str = "manager") -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff(seller, role))
    return client


def upload(client: Client, text: str | bytes, name: str = "orders.csv"):  # type: ignore[no-untyped-def]
    raw = text.encode() if isinstance(text, str) else text
    return client.post("/orders/import/", {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


def test_page_documents_the_columns(seller) -> None:  # type: ignore[no-untyped-def]
    html = client_for(seller).get("/orders/import/").content.decode()
    for column in ("order_ref", "customer_name", "unit_price", "postal_code", "created_at"):
        assert f"<code>{column}</code>" in html


def test_preview_writes_nothing_then_confirm_imports(seller) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller)
    before = table_counts()
    res = upload(client, HEADER + GOOD + BAD)
    assert res.status_code == 200
    html = res.content.decode()
    assert "2 orders ready to import" in html and "5 rows rejected" in html
    assert "unknown SKU &#x27;NOPE-9&#x27;" in html
    assert "quantity must be a whole number" in html
    assert "disagree on currency" in html
    assert "shipping_method must be one of" in html
    assert table_counts() == before  # nothing written by the preview
    res = client.post("/orders/import/confirm/")
    assert res.status_code == 200
    html = res.content.decode()
    assert "2 orders placed." in html
    orders = list(Order.objects.filter(seller=seller).order_by("number"))
    assert [o.source for o in orders] == ["import", "import"]
    assert [o.lines.count() for o in orders] == [2, 1]
    assert orders[0].created_at.date().isoformat() == "2024-03-01"
    assert f'href="/orders/{orders[0].number}/"' in html
    # The plan is used once: confirming again imports nothing.
    res = client.post("/orders/import/confirm/", follow=True)
    assert "nothing to import" in res.content.decode()
    assert Order.objects.filter(seller=seller).count() == 2


def test_rows_refused_at_import_time_are_reported(seller) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller)
    big = HEADER + "Z1,Zoe,zoe@example.com,,BOWL-01,40,,EUR,carrier,online,DE,,Berlin,10115,Street 1,\n"
    upload(client, big + big.replace("Z1", "Z2").split("\n", 1)[1])
    html = client.post("/orders/import/confirm/").content.decode()
    assert "1 order placed." in html
    assert "refused on import: Not enough stock" in html
    assert Order.objects.filter(seller=seller).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00b\x00a\x00d", "not UTF-8"),
        (b"", "The submitted file is empty."),
        (b"customer_name,sku\nAnna,MUG-01\n", "lacks the column"),
        (HEADER.encode(), "no rows"),
        (
            b'customer_name,sku,quantity,currency,shipping_method,payment_method\n"Anna,MUG-01\n',
            "not valid CSV",
        ),
    ],
)
def test_bad_files_are_form_errors(seller, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    res = upload(client_for(seller), content)
    assert res.status_code == 422
    html = res.content.decode()
    assert "error-summary" in html and message in html
    assert table_counts() == before


def test_too_large_file_is_a_form_error(seller) -> None:  # type: ignore[no-untyped-def]
    res = upload(client_for(seller), HEADER + GOOD * 20_000)
    assert res.status_code == 422 and "larger than 2 MB" in res.content.decode()


def test_no_file_is_a_form_error(seller) -> None:  # type: ignore[no-untyped-def]
    assert client_for(seller).post("/orders/import/", {}).status_code == 422


def test_viewer_may_not_import(seller) -> None:  # type: ignore[no-untyped-def]
    client = client_for(seller, "viewer")
    assert client.get("/orders/import/").status_code == 403
    assert upload(client, HEADER + GOOD).status_code == 403
    assert client.post("/orders/import/confirm/").status_code == 403


def test_preview_checks_skus_of_this_seller_only(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.catalog.models import Product

    Product.objects.create(seller=other_seller, sku="ONLY-SOUTH", name="x", price=1, currency="EUR", stock=9)
    text = HEADER + ",Anna,,,ONLY-SOUTH,1,,EUR,digital,online,,,,,,\n"
    preview = import_preview(seller=seller, raw=text.encode())
    assert not preview.orders and "unknown SKU" in preview.rows[0].reason


def test_future_created_at_and_invalid_address_are_reported(seller) -> None:  # type: ignore[no-untyped-def]
    text = (
        HEADER
        + ",Anna,,,MUG-01,1,,EUR,carrier,online,DE,,Berlin,ABC,Street 1,\n"
        + ",Boris,,,MUG-01,1,,EUR,carrier,online,DE,,Berlin,10115,Street 1,2999-01-01\n"
    )
    preview = import_preview(seller=seller, raw=text.encode())
    assert preview.rows[0].ok and "address will be flagged" in preview.rows[0].warning
    assert not preview.rows[1].ok and "future" in preview.rows[1].reason


def test_malformed_header_is_a_form_error(seller) -> None:  # type: ignore[no-untyped-def]
    res = upload(client_for(seller), b'"customer_name,sku\n')
    assert res.status_code == 422 and "not valid CSV" in res.content.decode()
