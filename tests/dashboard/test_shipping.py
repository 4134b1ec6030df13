"""The order page's shipping (R-FUL-1..3, R-FUL-6, R-FUL-8..10, R-PAY-7) through the Django test client:
each form's happy path, its refusals as form errors or messages (never a 500), a viewer's 403 and
another seller's order or shipment as a 404."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from sellerdesk.catalog.models import Product
from sellerdesk.orders import services as orders
from sellerdesk.orders.models import Order
from sellerdesk.shipping import services as shipping
from sellerdesk.shipping.models import Return, Shipment
from tests.conftest import actor, place, staff
from tests.shipping.conftest import line_ids, ready_to_ship

pytestmark = pytest.mark.django_db


def client_for(seller: Any, role: str = "manager") -> Client:
    client = Client()
    client.force_login(staff(seller, role))
    return client


def page(client: Client, order: Order) -> str:
    res = client.get(f"/orders/{order.number}/")
    assert res.status_code == 200
    return res.content.decode()


def manual_body(order: Order, qty: dict[str, int] | None = None, **kw: str) -> dict[str, str]:
    """The hand-fulfil form: every unit still to ship unless `qty` (sku → units) says otherwise."""
    body = {
        "ship-shipping_point": "local",
        "ship-carrier": "",
        "ship-tracking_number": "",
        "ship-expected_delivery": "",
    }
    for line in order.lines.all():
        left = line.quantity - line.quantity_cancelled - line.quantity_fulfilled
        body[f"ship-qty_{line.pk}"] = str((qty or {}).get(line.sku, left))
    body.update(kw)
    return body


def test_confirmed_paid_order_offers_both_ship_forms_with_what_is_left(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    html = page(client_for(seller), order)
    assert 'id="carrier-form"' in html and 'id="manual-form"' in html
    ids = line_ids(order)
    # Quantities default to what is left: 2 mugs, 1 bowl.
    assert f'name="ship-qty_{ids["MUG-01"]}" value="2"' in html
    assert f'name="lbl-qty_{ids["BOWL-01"]}" value="1"' in html
    # The recipient comes from the order, the shipper from the seller; the sandbox account is offered.
    assert 'name="to-city" value="Berlin"' in html
    assert f'name="from-name" value="{seller.name}"' in html
    assert "Sandbox carrier" in html
    # The customer's tracking link and the packing slip.
    assert f"/track/{order.tracking_token}/" in html
    assert f"/orders/{order.number}/packing-slip.pdf" in html


def test_unpaid_order_shows_the_refusal_instead_of_the_forms(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller, payment_method="online")
    orders.order_confirm(seller_id=seller.pk, number=order.number, actor=actor(seller))
    html = page(client_for(seller), order)
    assert "data-ship-refusal" in html and "must be paid before it leaves" in html
    assert "Mark as paid" in html
    assert 'id="manual-form"' not in html and 'id="carrier-form"' not in html
    # Posting anyway is refused with the reason, and nothing is written.
    client = client_for(seller)
    res = client.post(f"/orders/{order.number}/fulfil/", manual_body(order))
    assert res.status_code == 302
    assert not Shipment.objects.filter(order=order).exists()
    html = page(client, order)
    assert "Not done: The order is unpaid" in html


def test_pay_on_delivery_ships_unpaid(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller, payment_method="cash_on_delivery")
    html = page(client_for(seller), order)
    assert "data-ship-refusal" not in html and 'id="manual-form"' in html


def test_fulfil_by_hand_in_two_parts_then_deliver(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller)
    ids = line_ids(order)
    body = manual_body(order, {"MUG-01": 1, "BOWL-01": 0})
    res = client.post(f"/orders/{order.number}/fulfil/", body)
    assert res.status_code == 302
    order.refresh_from_db()
    assert order.fulfillment_status == "partially_fulfilled"
    html = page(client, order)
    assert f"Shipment {order.number}-1" in html
    assert f'name="ship-qty_{ids["MUG-01"]}" value="1"' in html  # one mug is left
    # The rest, by courier with a tracking number and notify the customer.
    body = manual_body(
        order, **{"ship-carrier": "DHL", "ship-tracking_number": "JD0002", "ship-notify_customer": "on"}
    )
    assert client.post(f"/orders/{order.number}/fulfil/", body).status_code == 302
    order.refresh_from_db()
    assert order.status == "shipped"
    html = page(client, order)
    assert 'id="manual-form"' not in html  # nothing left to ship
    assert "JD0002" in html and "Print waybill" in html
    for n in (1, 2):
        assert client.post(f"/orders/{order.number}/shipments/{n}/deliver/").status_code == 302
    order.refresh_from_db()
    assert (order.status, order.fulfillment_status) == ("delivered", "delivered")
    assert f"Shipment {order.number}-2 marked delivered." in page(client, order)


def test_international_without_tracking_is_a_form_error(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    res = client_for(seller).post(
        f"/orders/{order.number}/fulfil/",
        manual_body(order, **{"ship-shipping_point": "international", "ship-carrier": "DHL"}),
    )
    assert res.status_code == 422
    html = res.content.decode()
    assert "An international shipment needs its carrier and tracking number." in html
    assert 'value="DHL"' in html  # what was typed stays
    assert not Shipment.objects.filter(order=order).exists()


def test_more_than_is_left_is_a_form_error(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    res = client_for(seller).post(f"/orders/{order.number}/fulfil/", manual_body(order, {"MUG-01": 3}))
    assert res.status_code == 422
    assert "Ensure this value is less than or equal to 2." in res.content.decode()
    res = client_for(seller).post(
        f"/orders/{order.number}/fulfil/",
        manual_body(order, {"MUG-01": 0, "BOWL-01": 0}),
    )
    assert res.status_code == 422
    assert "Choose at least one unit that is still to ship." in res.content.decode()
    assert not Shipment.objects.filter(order=order).exists()


def test_edit_a_manual_shipment_forward_only(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller)
    client.post(f"/orders/{order.number}/fulfil/", manual_body(order))
    body = {
        "s1-carrier": "UPS",
        "s1-tracking_number": "1Z999",
        "s1-status": "in_transit",
        "s1-expected_delivery": "2030-01-15",
        "s1-notify_customer": "on",
    }
    assert client.post(f"/orders/{order.number}/shipments/1/edit/", body).status_code == 302
    s = Shipment.objects.get(order=order, number=1)
    assert (s.carrier, s.tracking_number, s.status, str(s.expected_delivery)) == (
        "UPS",
        "1Z999",
        "in_transit",
        "2030-01-15",
    )
    # Back to "shipped" is not offered, and sent anyway it is a form error.
    html = page(client, order)
    assert '<option value="shipped"' not in html.split('name="s1-status"', 1)[1].split("</select>", 1)[0]
    res = client.post(f"/orders/{order.number}/shipments/1/edit/", {**body, "s1-status": "shipped"})
    assert res.status_code == 422
    assert Shipment.objects.get(pk=s.pk).status == "in_transit"


def test_void_a_pickup_shipment_puts_its_units_back(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller)
    client.post(f"/orders/{order.number}/fulfil/", manual_body(order, **{"ship-shipping_point": "pickup"}))
    html = page(client, order)
    assert 'data-ship-action="void-1"' in html and "data-confirm-danger" in html
    assert client.post(f"/orders/{order.number}/shipments/1/void/").status_code == 302
    assert Shipment.objects.get(order=order, number=1).status == "canceled"
    html = page(client, order)
    assert 'id="manual-form"' in html  # everything is to ship again
    # Voiding twice is a refusal shown as a message, not an error page.
    res = client.post(f"/orders/{order.number}/shipments/1/void/", follow=True)
    assert res.status_code == 200
    assert "Not done:" in res.content.decode()


def test_shipped_manual_shipment_cannot_be_voided(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller)
    client.post(f"/orders/{order.number}/fulfil/", manual_body(order))
    assert 'data-ship-action="void-1"' not in page(client, order)
    res = client.post(f"/orders/{order.number}/shipments/1/void/", follow=True)
    assert "Not done: The carrier already has the parcel" in res.content.decode()
    assert Shipment.objects.get(order=order, number=1).status == "shipped"


def test_record_a_return_with_restock(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller)
    client.post(f"/orders/{order.number}/fulfil/", manual_body(order))
    html = page(client, order)
    assert "Record a return" not in html  # nothing delivered yet
    client.post(f"/orders/{order.number}/shipments/1/deliver/")
    html = page(client, order)
    assert "Record a return" in html
    ids = line_ids(order)
    stock = Product.objects.get(seller=seller, sku="MUG-01").stock
    body = {
        f"ret-qty_{ids['MUG-01']}": "1",
        f"ret-qty_{ids['BOWL-01']}": "0",
        "ret-restock": "on",
        "ret-reason": "Broken",
    }
    assert client.post(f"/orders/{order.number}/returns/", body).status_code == 302
    order.refresh_from_db()
    assert order.fulfillment_status == "partially_returned"
    assert Product.objects.get(seller=seller, sku="MUG-01").stock == stock + 1
    html = page(client, order)
    assert "Broken" in html and "restocked" in html
    # More than came back is a form error.
    res = client.post(f"/orders/{order.number}/returns/", {**body, f"ret-qty_{ids['MUG-01']}": "2"})
    assert res.status_code == 422
    assert Return.objects.filter(order=order).count() == 1


def test_documents_are_pdfs(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller, "viewer")  # reading is enough
    res = client.get(f"/orders/{order.number}/packing-slip.pdf")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    assert res.content.startswith(b"%PDF")
    client_for(seller).post(f"/orders/{order.number}/fulfil/", manual_body(order))
    res = client.get(f"/orders/{order.number}/shipments/1/label.pdf")
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    assert 'inline; filename="label-' in res["Content-Disposition"]


def test_hand_delivered_order_has_no_ship_panel_but_mark_delivered(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller, shipping_method="pickup", payment_method="cash_on_delivery")
    orders.order_process(seller_id=seller.pk, number=order.number, actor=actor(seller))
    html = page(client_for(seller), order)
    assert 'id="ship"' not in html
    assert 'data-action="deliver"' in html
    res = client_for(seller).post(f"/orders/{order.number}/fulfil/", manual_body(order))
    assert res.status_code == 302 and not Shipment.objects.filter(order=order).exists()


POSTS = [
    "fulfil/",
    "ship/rates/",
    "ship/label/",
    "returns/",
    "shipments/1/track/",
    "shipments/1/deliver/",
    "shipments/1/void/",
    "shipments/1/edit/",
]


@pytest.mark.parametrize("path", POSTS)
def test_viewer_cannot_act(seller, path: str) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    ids = line_ids(order)
    shipping.fulfill_manual(
        seller_id=seller.pk,
        number=order.number,
        actor=actor(seller),
        data=shipping.ManualFulfillment(lines={ids["MUG-01"]: 1}, shipping_point="pickup"),
    )
    before = list(Shipment.objects.values())
    res = client_for(seller, "viewer").post(f"/orders/{order.number}/{path}", manual_body(order))
    assert res.status_code == 403
    assert list(Shipment.objects.values()) == before
    html = page(client_for(seller, "viewer"), order)
    assert 'id="manual-form"' not in html and 'data-ship-action="void-1"' not in html
    assert f"Shipment {order.number}-1" in html  # reading stays
    assert 'data-ship-action="void-1"' in page(client_for(seller), order)  # what the viewer does not get


@pytest.mark.parametrize("path", POSTS)
def test_another_sellers_order_and_shipment_are_404(seller, other_seller, path: str) -> None:  # type: ignore[no-untyped-def]
    theirs = ready_to_ship(other_seller)
    shipping.fulfill_manual(
        seller_id=other_seller.pk,
        number=theirs.number,
        actor=actor(other_seller),
        data=shipping.ManualFulfillment(shipping_point="pickup"),
    )
    mine = ready_to_ship(seller)  # own order with no shipment 1
    before = list(Shipment.objects.values())
    client = client_for(seller, "owner")
    assert client.post(f"/orders/{theirs.number + 1000}/{path}", manual_body(mine)).status_code == 404
    if theirs.number != mine.number:
        assert client.post(f"/orders/{theirs.number}/{path}", manual_body(mine)).status_code == 404
    if path.startswith("shipments/"):
        assert client.post(f"/orders/{mine.number}/{path}").status_code == 404
        assert client.get(f"/orders/{mine.number}/shipments/1/label.pdf").status_code == 404
    assert list(Shipment.objects.values()) == before


# --- a carrier label through the sandbox carrier (R-FUL-3, R-FUL-5) ---------------------------------


def carrier_body(order: Order, qty: dict[str, int] | None = None, **kw: str) -> dict[str, str]:
    """The carrier label form as the page fills it: the sandbox account, one package, both parties."""
    from sellerdesk.shipping.accounts import sandbox_account

    body = {
        "lbl-account": str(sandbox_account(order.seller_id).pk),
        "lbl-declared_value": "49.90",
        "lbl-drop_off_date": "",
        "pkg-TOTAL_FORMS": "1",
        "pkg-INITIAL_FORMS": "0",
        "pkg-MIN_NUM_FORMS": "1",
        "pkg-MAX_NUM_FORMS": "20",
        "pkg-0-weight_g": "1200",
        "pkg-0-length_cm": "30",
        "pkg-0-width_cm": "20",
        "pkg-0-height_cm": "10",
        "to-name": "Anna Petrova",
        "to-country": "DE",
        "to-postcode": "10115",
        "to-city": "Berlin",
        "to-line1": "Invalidenstr. 1",
        "from-name": "North",
        "from-country": "DE",
        "from-postcode": "20095",
        "from-city": "Hamburg",
    }
    for line in order.lines.all():
        left = line.quantity - line.quantity_cancelled - line.quantity_fulfilled
        body[f"lbl-qty_{line.pk}"] = str((qty or {}).get(line.sku, left))
    body.update(kw)
    return body


def test_get_rates_with_htmx_answers_the_rates_with_the_sellers_cost(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller, shipping_price=Decimal("3.00"))
    res = client_for(seller).post(
        f"/orders/{order.number}/ship/rates/", carrier_body(order), HTTP_HX_REQUEST="true"
    )
    assert res.status_code == 200
    html = res.content.decode()
    assert "<html" not in html  # just the rates block
    codes = re.findall(r'name="service_code" value="([^"]+)"', html)
    assert codes, html
    assert "your cost" in html and "customer paid €3.00" in html
    assert 'data-ship-action="buy-label"' in html
    assert not Shipment.objects.filter(order=order).exists()  # a quote writes nothing


def test_get_rates_without_javascript_shows_the_page_with_the_rates(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    res = client_for(seller).post(f"/orders/{order.number}/ship/rates/", carrier_body(order))
    assert res.status_code == 200
    html = res.content.decode()
    assert "<html" in html and 'name="service_code"' in html
    assert 'value="1200"' in html  # the package as typed


def test_bad_parcel_is_said_in_the_rates_block(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    body = carrier_body(order, **{"pkg-0-weight_g": "0", "to-country": ""})
    res = client_for(seller).post(f"/orders/{order.number}/ship/rates/", body, HTTP_HX_REQUEST="true")
    assert res.status_code == 200
    html = res.content.decode()
    assert "data-rates-error" in html and "Weight, g" in html and "Country" in html
    assert 'name="service_code"' not in html


def test_add_package_without_javascript_adds_a_row(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    res = client_for(seller).post(
        f"/orders/{order.number}/ship/rates/", {**carrier_body(order), "add_package": "1"}
    )
    assert res.status_code == 200
    html = res.content.decode()
    assert 'name="pkg-1-weight_g"' in html and 'name="pkg-0-weight_g" value="1200"' in html


def test_buy_a_label_records_the_shipment_and_its_cost(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller, shipping_price=Decimal("3.00"))
    client = client_for(seller)
    rates = client.post(f"/orders/{order.number}/ship/rates/", carrier_body(order), HTTP_HX_REQUEST="true")
    code = re.findall(r'name="service_code" value="([^"]+)"', rates.content.decode())[-1]
    body = {
        **carrier_body(order, {"BOWL-01": 0}),
        "pkg-TOTAL_FORMS": "2",
        "pkg-1-weight_g": "300",
        "pkg-1-length_cm": "10",
        "pkg-1-width_cm": "10",
        "pkg-1-height_cm": "10",
        "lbl-signature": "on",
        "service_code": code,
    }
    res = client.post(f"/orders/{order.number}/ship/label/", body)
    assert res.status_code == 302
    s = Shipment.objects.get(order=order)
    assert (s.kind, s.carrier, s.service_code, s.registration) == ("carrier", "sandbox", code, "registered")
    assert len(s.packages) == 2 and s.details["signature"] is True
    assert s.details["recipient"]["city"] == "Berlin" and s.details["shipper"]["city"] == "Hamburg"
    assert s.seller_cost == s.price - s.charged and s.charged == min(s.price, order.shipping_price)
    assert [(sl.line.sku, sl.quantity) for sl in s.lines.all()] == [("MUG-01", 2)]
    html = page(client, order)
    assert "Label bought" in html and s.tracking_number in html and "Print label" in html
    assert 'data-ship-action="track-1"' in html and 'data-ship-action="void-1"' in html
    assert 'data-ship-action="deliver-1"' not in html  # the carrier delivers it, not staff
    label = client.get(f"/orders/{order.number}/shipments/1/label.pdf")
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    # Staff cannot mark it delivered by hand; the refusal is a message.
    res = client.post(f"/orders/{order.number}/shipments/1/deliver/", follow=True)
    assert "Not done:" in res.content.decode() and "still tracks this parcel" in res.content.decode()
    # Void before the carrier has it: the units are to ship again.
    assert client.post(f"/orders/{order.number}/shipments/1/void/").status_code == 302
    s.refresh_from_db()
    assert s.status == "canceled"


def test_buy_without_a_chosen_rate_or_with_a_bad_service_is_a_form_error(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    client = client_for(seller)
    res = client.post(f"/orders/{order.number}/ship/label/", carrier_body(order))
    assert res.status_code == 422
    assert "Get rates, then choose a service." in res.content.decode()
    res = client.post(
        f"/orders/{order.number}/ship/label/", {**carrier_body(order), "service_code": "teleport"}
    )
    assert res.status_code == 422
    assert "get rates again" in res.content.decode()
    assert 'value="1200"' in res.content.decode()  # the form keeps what was typed
    assert not Shipment.objects.filter(order=order).exists()


def test_track_now_moves_the_shipment_and_a_carrier_error_is_a_message(seller) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.shipping.accounts import sandbox_account

    order = ready_to_ship(seller)
    client = client_for(seller)
    rates = client.post(f"/orders/{order.number}/ship/rates/", carrier_body(order), HTTP_HX_REQUEST="true")
    code = re.findall(r'name="service_code" value="([^"]+)"', rates.content.decode())[0]
    client.post(f"/orders/{order.number}/ship/label/", {**carrier_body(order), "service_code": code})
    account = sandbox_account(seller.pk)
    account.options = {"step_seconds": "soon"}
    account.save()
    res = client.post(f"/orders/{order.number}/shipments/1/track/", follow=True)
    assert res.status_code == 200
    assert "Not done: The sandbox account" in res.content.decode()
    account.options = {"step_seconds": 0}  # the whole journey has happened
    account.save()
    assert client.post(f"/orders/{order.number}/shipments/1/track/").status_code == 302
    order.refresh_from_db()
    assert order.status == "delivered"
    html = page(client, order)
    assert "Tracking history (4 events)" in html and "Delivered" in html


# --- CDEK (asynchronous registration) and a carrier that cannot be reached -------------------------


@pytest.fixture
def cdek(httpserver):  # type: ignore[no-untyped-def]
    from tests.shipping.cdek_fake import running_fake

    yield from running_fake(httpserver)


def cdek_account(seller: Any, base_url: str, client_id: str = "id", secret: str = "secret") -> Any:
    from sellerdesk.shipping.accounts import set_client_secret
    from sellerdesk.shipping.models import CarrierAccount

    account = CarrierAccount(
        seller=seller, carrier="cdek", name="CDEK", base_url=base_url, client_id=client_id
    )
    set_client_secret(account, secret)
    account.save()
    return account


RU_PARTIES = {
    "to-name": "Boris Buyer",
    "to-phone": "+79217654321",
    "to-country": "RU",
    "to-postcode": "190000",
    "to-city": "Санкт-Петербург",
    "to-line1": "Невский пр., 10",
    "from-name": "Anna Sellers",
    "from-phone": "+79161234567",
    "from-company": "Anna's Shop",
    "from-country": "RU",
    "from-postcode": "101000",
    "from-city": "Москва",
    "from-line1": "ул. Мясницкая, 1",
}


def test_a_cdek_label_waits_for_the_carrier_then_shows_its_number(seller, cdek) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    account = cdek_account(seller, cdek.base_url, cdek.client_id, cdek.client_secret)
    client = client_for(seller)
    body = {**carrier_body(order), **RU_PARTIES, "lbl-account": str(account.pk)}
    rates = client.post(f"/orders/{order.number}/ship/rates/", body, HTTP_HX_REQUEST="true")
    code = re.findall(r'name="service_code" value="([^"]+)"', rates.content.decode())[0]
    assert (
        client.post(f"/orders/{order.number}/ship/label/", {**body, "service_code": code}).status_code == 302
    )
    s = Shipment.objects.get(order=order)
    assert (s.carrier, s.registration, s.tracking_number) == ("cdek", "waiting", "")
    html = page(client, order)
    assert "Waiting for the carrier" in html
    assert "Print label" not in html  # nothing to print before CDEK has the waybill number
    # CDEK registers it; "Track now" asks and shows the number.
    number = cdek.register(s.carrier_ref)
    assert client.post(f"/orders/{order.number}/shipments/1/track/").status_code == 302
    html = page(client, order)
    assert number in html and "Waiting for the carrier" not in html and "Print label" in html


def test_a_refused_cdek_registration_shows_the_carriers_errors(seller, cdek) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    account = cdek_account(seller, cdek.base_url, cdek.client_id, cdek.client_secret)
    client = client_for(seller)
    body = {**carrier_body(order), **RU_PARTIES, "lbl-account": str(account.pk)}
    rates = client.post(f"/orders/{order.number}/ship/rates/", body, HTTP_HX_REQUEST="true")
    code = re.findall(r'name="service_code" value="([^"]+)"', rates.content.decode())[0]
    client.post(f"/orders/{order.number}/ship/label/", {**body, "service_code": code})
    s = Shipment.objects.get(order=order)
    cdek.reject(s.carrier_ref, "Street not found")
    client.post(f"/orders/{order.number}/shipments/1/track/")
    html = page(client, order)
    assert "The carrier refused this shipment." in html and "Street not found" in html
    assert 'id="carrier-form"' in html  # its units are to ship again


def test_an_unreachable_carrier_is_an_error_on_the_form_and_nothing_is_written(seller) -> None:  # type: ignore[no-untyped-def]
    order = ready_to_ship(seller)
    account = cdek_account(seller, "http://127.0.0.1:9")  # nothing listens there
    client = client_for(seller)
    body = {**carrier_body(order), **RU_PARTIES, "lbl-account": str(account.pk)}
    res = client.post(f"/orders/{order.number}/ship/rates/", body, HTTP_HX_REQUEST="true")
    assert res.status_code == 200
    assert "data-rates-error" in res.content.decode()
    res = client.post(f"/orders/{order.number}/ship/label/", {**body, "service_code": "139"})
    assert res.status_code == 422
    html = res.content.decode()
    assert "data-carrier-error" in html and "The carrier answered:" in html and "Nothing was bought." in html
    assert not Shipment.objects.filter(order=order).exists()


def test_another_sellers_carrier_account_is_not_a_choice(seller, other_seller) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.shipping.accounts import sandbox_account

    order = ready_to_ship(seller)
    theirs = sandbox_account(other_seller.pk)
    body = {**carrier_body(order), "lbl-account": str(theirs.pk), "service_code": "economy"}
    res = client_for(seller).post(f"/orders/{order.number}/ship/label/", body)
    assert res.status_code == 422
    assert "Select a valid choice" in res.content.decode()
    assert not Shipment.objects.filter(order=order).exists()


def test_the_ship_panel_speaks_russian(seller) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    order = ready_to_ship(seller)
    client = client_for(seller)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.post(f"/orders/{order.number}/fulfil/", manual_body(order, {"BOWL-01": 0}))
    html = page(client, order)
    for text in ("Отгрузка", "Узнать тарифы", "Отгрузить вручную", "Отправления", "Печать накладной"):
        assert text in html, text
