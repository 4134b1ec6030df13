"""The CDEK adapter (R-FUL-4) against a local fake of CDEK's API v2 that checks what we send."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_httpserver import HTTPServer

from sellerdesk.accounts.models import Seller
from sellerdesk.shipping import services as shipping
from sellerdesk.shipping.accounts import set_client_secret
from sellerdesk.shipping.carriers.base import (
    CarrierConfig,
    CarrierError,
    Item,
    Package,
    Party,
    Registration,
    ShipmentRequest,
)
from sellerdesk.shipping.carriers.cdek import CDEK_STATUS, CdekCarrier, clear_token_cache
from sellerdesk.shipping.carriers.registry import carrier_for
from sellerdesk.shipping.models import CarrierAccount
from sellerdesk.shipping.services import Parcel
from sellerdesk.shipping.states import ShipmentStatus as S
from tests.conftest import actor

from .cdek_fake import CdekFake, running_fake
from .conftest import ready_to_ship


@pytest.fixture
def fake(httpserver: HTTPServer) -> Iterator[CdekFake]:
    yield from running_fake(httpserver)


def config(fake: CdekFake, **options: Any) -> CarrierConfig:
    return CarrierConfig(
        base_url=fake.base_url,
        client_id=fake.client_id,
        client_secret=fake.client_secret,
        webhook_secret=fake.webhook_secret,
        options={"sleep": lambda _s: None, **options},
    )


@pytest.fixture
def cdek(fake: CdekFake) -> CdekCarrier:
    return CdekCarrier(config(fake))


SHIPPER = Party(
    name="Anna Sellers",
    phone="+79161234567",
    email="anna@example.com",
    company="Anna's Shop",
    country="RU",
    postcode="101000",
    city="Москва",
    line1="ул. Мясницкая, 1",
)
RECIPIENT = Party(
    name="Boris Buyer",
    phone="+79217654321",
    country="RU",
    postcode="190000",
    city="Санкт-Петербург",
    line1="Невский пр., 10",
    line2="кв. 5",
)


def shipment(**kw: Any) -> ShipmentRequest:
    values: dict[str, Any] = {
        "shipper": SHIPPER,
        "recipient": RECIPIENT,
        "packages": (Package(weight_g=1250, length_cm=30, width_cm=20, height_cm=10),),
        "currency": "RUB",
        "declared_value": Decimal("2500.00"),
        "items": (
            Item(sku="MUG-1", name="Mug", quantity=2, unit_price=Decimal("750.00"), weight_g=400),
            Item(sku="TEA-9", name="Tea", quantity=1, unit_price=Decimal("1000.50")),
        ),
        "reference": "SD-1042",
        "drop_off_date": dt.date(2026, 12, 2),
    }
    values.update(kw)
    return ShipmentRequest(**values)


def test_the_registry_builds_it(fake: CdekFake) -> None:
    carrier = carrier_for("cdek", config(fake))
    assert isinstance(carrier, CdekCarrier)
    assert (carrier.code, carrier.name, carrier.has_webhooks) == ("cdek", "CDEK", True)


# ---------------------------------------------------------------- the token


def test_the_token_is_fetched_once_and_shared_across_calls_and_instances(fake: CdekFake) -> None:
    CdekCarrier(config(fake)).rates(shipment())
    CdekCarrier(config(fake)).rates(shipment())
    assert fake.token_requests == 1
    assert len(fake.calls) == 2


def test_the_token_is_renewed_shortly_before_it_expires(fake: CdekFake) -> None:
    now = [1000.0]
    carrier = CdekCarrier(config(fake, clock=lambda: now[0]))
    carrier.rates(shipment())
    now[0] += 3600 - 61  # a minute and a bit before expiry: still good
    carrier.rates(shipment())
    assert fake.token_requests == 1
    now[0] += 2  # within the last minute: fetch a new one
    carrier.rates(shipment())
    assert fake.token_requests == 2


def test_an_expired_token_is_dropped_renewed_and_the_call_retried_once(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    cdek.rates(shipment())
    fake.expire_tokens()  # CDEK no longer accepts the cached token; we do not know yet
    rates = cdek.rates(shipment())
    assert rates
    assert fake.token_requests == 2
    assert fake.calls == [("POST", "/v2/calculator/tarifflist")] * 2  # the refused try is not counted


def test_a_401_after_the_retry_is_carrier_auth(
    fake: CdekFake, cdek: CdekCarrier, httpserver: HTTPServer
) -> None:
    cdek.rates(shipment())
    original = fake._authorised
    fake._authorised = lambda request: False  # type: ignore[method-assign]  # CDEK refuses every token
    with pytest.raises(CarrierError) as err:
        cdek.rates(shipment())
    fake._authorised = original  # type: ignore[method-assign]  # restore for the teardown check
    assert err.value.code == "carrier_auth"
    assert fake.token_requests == 2  # one renewal, not a loop


def test_wrong_credentials_are_carrier_auth_and_never_in_the_message(fake: CdekFake) -> None:
    cfg = CarrierConfig(base_url=fake.base_url, client_id=fake.client_id, client_secret="not-the-secret")
    with pytest.raises(CarrierError) as err:
        CdekCarrier(cfg).rates(shipment())
    assert err.value.code == "carrier_auth"
    assert "not-the-secret" not in str(err.value) + repr(cfg) + repr(CdekCarrier(cfg))


def test_the_token_is_fetched_once_by_concurrent_threads(fake: CdekFake) -> None:
    errors: list[BaseException] = []

    def quote() -> None:
        try:
            CdekCarrier(config(fake)).rates(shipment())
        except BaseException as exc:  # noqa: BLE001  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=quote) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert fake.token_requests == 1


def test_without_a_base_url_it_talks_to_cdeks_test_server() -> None:
    assert CdekCarrier(CarrierConfig()).base_url == "https://api.edu.cdek.ru"


# ---------------------------------------------------------------- rates


def test_rates_send_grams_centimetres_and_locations_and_map_each_tariff(
    fake: CdekFake, cdek: CdekCarrier, httpserver: HTTPServer
) -> None:
    rates = cdek.rates(shipment(insurance=True))
    sent = json.loads(httpserver.log[-1][0].get_data())
    assert sent["packages"] == [{"weight": 1250, "length": 30, "width": 20, "height": 10}]
    assert sent["from_location"] == {"country_code": "RU", "postal_code": "101000", "city": "Москва"}
    assert sent["to_location"]["postal_code"] == "190000"
    assert sent["currency"] == 1
    assert sent["services"] == [{"code": "INSURANCE", "parameter": "2500.00"}]
    # Only the door-to-door tariff: the others need a drop-off office or a pick-up point.
    assert [(r.service_code, r.price, r.currency, r.days_min, r.days_max) for r in rates] == [
        ("139", Decimal("350.0"), "RUB", 2, 4),
    ]
    assert rates[0].service_name == "Посылка дверь-дверь"
    assert rates[0].estimated_delivery == dt.date(2026, 12, 6)  # drop-off + period_max


def test_with_a_drop_off_office_tariffs_from_an_office_are_offered_and_registered(fake: CdekFake) -> None:
    carrier = CdekCarrier(config(fake, shipment_point="MSK123"))
    rates = carrier.rates(shipment())
    assert [r.service_code for r in rates] == ["139", "137"]
    assert rates[1].estimated_delivery == dt.date(2026, 12, 7)
    carrier.create_shipment(shipment(), "137")
    body = fake.only_order().body
    assert body["shipment_point"] == "MSK123"
    assert "from_location" not in body


def test_a_tariff_to_a_pick_up_point_is_not_registered(fake: CdekFake, cdek: CdekCarrier) -> None:
    with pytest.raises(CarrierError) as err:
        cdek.create_shipment(shipment(), "136")  # learns the tariff's mode from a quote first
    assert err.value.code == "carrier_unsupported"
    assert fake.orders == {}


def test_without_a_drop_off_date_the_estimate_counts_from_today(fake: CdekFake, cdek: CdekCarrier) -> None:
    rates = cdek.rates(shipment(drop_off_date=None))
    assert rates[0].estimated_delivery == dt.date.today() + dt.timedelta(days=4)


def test_a_currency_cdek_does_not_quote_in_is_refused_before_calling(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    with pytest.raises(CarrierError) as err:
        cdek.rates(shipment(currency="XAU"))
    assert err.value.code == "carrier_unsupported"
    assert fake.calls == []


def test_a_4xx_with_cdeks_errors_is_carrier_refused_with_their_message(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    error = {"code": "v2_recipient_location_not_recognized", "message": "Recipient city is not recognized"}
    fake.refuse_next["POST /v2/calculator/tarifflist"] = (400, {"errors": [error]})
    with pytest.raises(CarrierError) as err:
        cdek.rates(shipment())
    assert err.value.code == "carrier_refused"
    assert err.value.detail == "CDEK refused to quote rates: Recipient city is not recognized."
    assert err.value.errors == [error]


def test_a_403_with_cdeks_errors_is_refused_not_a_credentials_problem(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    error = {"code": "v2_order_forbidden", "message": "The order belongs to another client"}
    fake.refuse_next["GET /v2/orders/u-3"] = (403, {"errors": [error]})
    with pytest.raises(CarrierError) as err:
        cdek.track("u-3")
    assert (err.value.code, err.value.errors) == ("carrier_refused", [error])


def test_options_that_are_not_positive_numbers_fall_back_to_the_defaults(fake: CdekFake) -> None:
    carrier = CdekCarrier(
        config(fake, read_timeout="soon", connect_timeout=-1, print_attempts=None, copy_count="3")
    )
    assert (carrier.timeout, carrier.print_attempts, carrier.copy_count) == ((5.0, 20.0), 10, 3)


def test_a_5xx_or_an_unreadable_answer_is_carrier_error(fake: CdekFake, cdek: CdekCarrier) -> None:
    fake.refuse_next["POST /v2/calculator/tarifflist"] = (502, {"message": "Bad gateway"})
    with pytest.raises(CarrierError) as err:
        cdek.rates(shipment())
    assert err.value.code == "carrier_error"
    fake.refuse_next["POST /v2/calculator/tarifflist"] = (200, ["not", "an", "object"])
    with pytest.raises(CarrierError) as err:
        cdek.rates(shipment())
    assert err.value.code == "carrier_error"


def test_a_timeout_is_carrier_unreachable(fake: CdekFake) -> None:
    carrier = CdekCarrier(config(fake, read_timeout=0.1))
    carrier.rates(shipment())  # the token is cached; now the calculator is slow
    fake.delay["/v2/calculator"] = 0.5
    with pytest.raises(CarrierError) as err:
        carrier.rates(shipment())
    assert err.value.code == "carrier_unreachable"
    assert err.value.detail == "CDEK did not answer in time; nothing was registered. Try again."


def test_a_server_that_is_not_there_is_carrier_unreachable() -> None:
    clear_token_cache()
    cfg = CarrierConfig(base_url="http://127.0.0.1:9", client_id="x", client_secret="y")
    with pytest.raises(CarrierError) as err:
        CdekCarrier(cfg).rates(shipment())
    assert err.value.code == "carrier_unreachable"


# ---------------------------------------------------------------- registration


def test_create_sends_the_order_and_waits_for_cdeks_waybill_number(fake: CdekFake, cdek: CdekCarrier) -> None:
    created = cdek.create_shipment(shipment(insurance=True, dangerous_goods=True), "139")
    order = fake.only_order()
    assert created.carrier_ref == order.uuid
    assert created.registration == Registration.WAITING
    assert created.tracking_number == ""  # nothing made up before CDEK gives it

    body = order.body
    assert (body["tariff_code"], body["number"], body["type"]) == (139, "SD-1042", 1)
    assert body["from_location"]["address"] == "ул. Мясницкая, 1"
    assert "shipment_point" not in body
    assert body["sender"] == {
        "name": "Anna Sellers",
        "company": "Anna's Shop",
        "email": "anna@example.com",
        "phones": [{"number": "+79161234567"}],
    }
    assert body["recipient"]["phones"] == [{"number": "+79217654321"}]
    assert body["to_location"] == {
        "country_code": "RU",
        "postal_code": "190000",
        "city": "Санкт-Петербург",
        "address": "Невский пр., 10, кв. 5",
    }
    [package] = body["packages"]
    assert {k: package[k] for k in ("number", "weight", "length", "width", "height")} == {
        "number": "1",
        "weight": 1250,
        "length": 30,
        "width": 20,
        "height": 10,
    }
    assert package["items"] == [
        {
            "name": "Mug",
            "ware_key": "MUG-1",
            "payment": {"value": 0},
            "cost": 750.0,
            "weight": 400,
            "amount": 2,
        },
        # no item weight given: the package's weight shared among the units
        {
            "name": "Tea",
            "ware_key": "TEA-9",
            "payment": {"value": 0},
            "cost": 1000.5,
            "weight": 416,
            "amount": 1,
        },
    ]
    assert body["services"] == [{"code": "DANGER_CARGO"}]  # insured by the items' cost

    assert cdek.shipment_state(order.uuid).registration == Registration.WAITING
    number = fake.register(order.uuid)
    state = cdek.shipment_state(order.uuid)
    assert (state.registration, state.tracking_number, state.carrier_ref) == (
        Registration.REGISTERED,
        number,
        order.uuid,
    )


def test_an_order_cdek_refuses_later_is_invalid_with_its_errors(fake: CdekFake, cdek: CdekCarrier) -> None:
    created = cdek.create_shipment(shipment(), "139")
    fake.reject(created.carrier_ref, "Recipient's address is not recognized")
    state = cdek.shipment_state(created.carrier_ref)
    assert state.registration == Registration.INVALID
    assert state.errors == ("Recipient's address is not recognized.",)
    assert state.tracking_number == ""


def test_an_answer_that_already_says_invalid_is_returned_as_invalid(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    error = {"code": "v2_field_is_empty", "message": "Field recipient.phones is empty"}
    fake.refuse_next["POST /v2/orders"] = (
        202,
        {"entity": {"uuid": "u-1"}, "requests": [{"type": "CREATE", "state": "INVALID", "errors": [error]}]},
    )
    created = cdek.create_shipment(shipment(), "139")
    assert (created.carrier_ref, created.registration, created.errors) == (
        "u-1",
        Registration.INVALID,
        ("Field recipient.phones is empty.",),
    )


def test_a_refused_order_is_carrier_refused_with_cdeks_messages(fake: CdekFake, cdek: CdekCarrier) -> None:
    errors = [
        {"code": "v2_field_is_empty", "message": "Field to_location.address is empty"},
        {"code": "v2_invalid_value_type", "message": "Invalid tariff"},
    ]
    fake.refuse_next["POST /v2/orders"] = (
        400,
        {"requests": [{"type": "CREATE", "state": "INVALID", "errors": errors}]},
    )
    with pytest.raises(CarrierError) as err:
        cdek.create_shipment(shipment(), "139")
    assert err.value.code == "carrier_refused"
    assert err.value.detail == (
        "CDEK refused to register the shipment: Field to_location.address is empty. Invalid tariff."
    )
    assert [e["code"] for e in err.value.errors] == ["v2_field_is_empty", "v2_invalid_value_type"]
    assert fake.orders == {}


def test_a_service_code_that_is_no_tariff_is_refused_before_calling(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    with pytest.raises(CarrierError) as err:
        cdek.create_shipment(shipment(), "express")
    assert err.value.code == "carrier_refused"
    assert fake.calls == []


def test_a_timeout_on_create_says_the_order_may_exist(fake: CdekFake) -> None:
    carrier = CdekCarrier(config(fake, read_timeout=0.1))
    carrier.rates(shipment())
    fake.delay["/v2/orders"] = 0.5
    with pytest.raises(CarrierError) as err:
        carrier.create_shipment(shipment(), "139")
    assert err.value.code == "carrier_unreachable"
    assert "may have registered" in err.value.detail


def test_an_unknown_order_is_carrier_refused(fake: CdekFake, cdek: CdekCarrier) -> None:
    with pytest.raises(CarrierError) as err:
        cdek.shipment_state("no-such-uuid")
    assert err.value.code == "carrier_refused"
    assert "Entity is not found." in err.value.detail


# ---------------------------------------------------------------- print forms


def test_the_waybill_is_requested_polled_until_ready_and_downloaded(fake: CdekFake) -> None:
    slept: list[float] = []
    carrier = CdekCarrier(config(fake, sleep=slept.append, print_interval=0.25))
    ref = carrier.create_shipment(shipment(), "139").carrier_ref
    fake.register(ref)
    fake.polls_before_ready = 2
    document = carrier.label(ref)
    assert document.content.startswith(b"%PDF")
    assert document.content_type == "application/pdf"
    assert document.filename == f"cdek-waybill-{ref}.pdf"
    [form] = fake.prints.values()
    assert (form.kind, form.order_uuid) == ("orders", ref)
    polls = [c for c in fake.calls if c[1] == f"/v2/print/orders/{form.uuid}"]
    assert len(polls) == 3  # not ready, not ready, ready
    assert slept == [0.25, 0.25]
    assert ("GET", f"/v2/print/orders/{form.uuid}.pdf") in fake.calls  # downloaded with the bearer token


def test_a_waybill_that_is_never_ready_gives_up_after_the_configured_tries(fake: CdekFake) -> None:
    carrier = CdekCarrier(config(fake, print_attempts=3))
    ref = carrier.create_shipment(shipment(), "139").carrier_ref
    fake.register(ref)
    fake.polls_before_ready = 10
    with pytest.raises(CarrierError) as err:
        carrier.label(ref)
    assert err.value.code == "carrier_error"
    assert "not finished" in err.value.detail
    assert len([c for c in fake.calls if c[1].startswith("/v2/print/orders/")]) == 3


def test_a_waybill_for_an_order_without_a_number_is_refused(fake: CdekFake, cdek: CdekCarrier) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    with pytest.raises(CarrierError) as err:
        cdek.label(ref)
    assert err.value.code == "carrier_refused"
    assert "The order is not registered yet." in err.value.detail


def test_the_barcode_label_comes_the_same_way(fake: CdekFake, cdek: CdekCarrier) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    fake.register(ref)
    document = cdek.barcode(ref)
    assert document.content.startswith(b"%PDF")
    assert document.filename == f"cdek-barcode-{ref}.pdf"
    assert [f.kind for f in fake.prints.values()] == ["barcodes"]


# ---------------------------------------------------------------- tracking and void


def test_track_maps_cdeks_statuses_oldest_first_and_keeps_unknown_codes(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    number = fake.register(ref)
    start = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    steps = [
        "RECEIVED_AT_SHIPMENT_WAREHOUSE",
        "RECEIVED_AT_SENDER_WAREHOUSE",
        "SENT_TO_RECIPIENT_CITY",
        "SOMETHING_CDEK_ADDED_LATER",
        "ACCEPTED_AT_PICK_UP_POINT",
        "DELIVERED",
    ]
    for hours, code in enumerate(steps, 1):
        fake.advance(
            ref, code, name=f"name of {code}", city="Санкт-Петербург", when=start + dt.timedelta(hours=hours)
        )
    fake.orders[ref].statuses[0]["date_time"] = (
        "2026-12-02T08:00:00+0300"  # CREATED, an hour before the others
    )

    updates = cdek.track(ref)
    assert [(u.raw_code, u.status) for u in updates] == [
        ("CREATED", S.AWAITING_SHIPMENT),
        ("RECEIVED_AT_SHIPMENT_WAREHOUSE", S.SHIPPED),
        ("RECEIVED_AT_SENDER_WAREHOUSE", S.SHIPPED),
        ("SENT_TO_RECIPIENT_CITY", S.IN_TRANSIT),
        ("SOMETHING_CDEK_ADDED_LATER", None),
        ("ACCEPTED_AT_PICK_UP_POINT", S.OUT_FOR_DELIVERY),
        ("DELIVERED", S.DELIVERED),
    ]
    last = updates[-1]
    assert (last.carrier_ref, last.tracking_number, last.location) == (ref, number, "Санкт-Петербург")
    assert last.description == "name of DELIVERED"
    assert last.occurred_at == start + dt.timedelta(hours=6)
    assert last.occurred_at.tzinfo is not None


def test_every_status_of_a_return_order_is_delivery_failed(fake: CdekFake, cdek: CdekCarrier) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    fake.register(ref)
    fake.orders[ref].is_return = True
    fake.advance(ref, "DELIVERED")
    assert {u.status for u in cdek.track(ref)} == {S.DELIVERY_FAILED}


def test_void_deletes_an_order_cdek_does_not_have_yet(fake: CdekFake, cdek: CdekCarrier) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    fake.register(ref)
    cdek.void(ref)
    assert ("DELETE", f"/v2/orders/{ref}") in fake.calls
    assert cdek.track(ref)[-1].status == S.CANCELED


def test_void_after_cdek_has_the_parcel_is_carrier_refused(fake: CdekFake, cdek: CdekCarrier) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    fake.register(ref)
    fake.advance(ref, "RECEIVED_AT_SHIPMENT_WAREHOUSE")
    with pytest.raises(CarrierError) as err:
        cdek.void(ref)
    assert err.value.code == "carrier_refused"
    assert (
        err.value.detail
        == "CDEK refused to cancel the shipment: Order cannot be deleted: it is already in work."
    )


def test_a_delete_answered_invalid_with_202_is_refused_too(fake: CdekFake, cdek: CdekCarrier) -> None:
    error = {"code": "v2_entity_invalid", "message": "Order is in work"}
    fake.refuse_next["DELETE /v2/orders/u-9"] = (
        202,
        {"entity": {"uuid": "u-9"}, "requests": [{"type": "DELETE", "state": "INVALID", "errors": [error]}]},
    )
    with pytest.raises(CarrierError) as err:
        cdek.void("u-9")
    assert err.value.code == "carrier_refused"


# ---------------------------------------------------------------- webhooks


def test_registering_the_webhook_address_with_cdek(fake: CdekFake, cdek: CdekCarrier) -> None:
    url = f"https://desk.example.com/webhooks/carriers/{fake.webhook_secret}"
    ref = cdek.register_webhook(url)
    assert fake.webhooks == {ref: {"url": url, "type": "ORDER_STATUS"}}


def test_a_webhook_with_the_right_token_gives_the_update(fake: CdekFake, cdek: CdekCarrier) -> None:
    ref = cdek.create_shipment(shipment(), "139").carrier_ref
    number = fake.register(ref)
    status = fake.advance(ref, "TAKEN_BY_COURIER", city="Санкт-Петербург")
    [update] = cdek.parse_webhook({"X-Webhook-Token": fake.webhook_secret}, fake.webhook_body(ref))
    assert (update.carrier_ref, update.tracking_number, update.raw_code, update.status) == (
        ref,
        number,
        "TAKEN_BY_COURIER",
        S.OUT_FOR_DELIVERY,
    )
    assert update.location == "Санкт-Петербург"
    assert update.occurred_at == dt.datetime.fromisoformat(status["date_time"])


def test_a_webhook_with_an_unknown_code_or_the_older_field_name_is_kept(
    fake: CdekFake, cdek: CdekCarrier
) -> None:
    body = {
        "type": "ORDER_STATUS",
        "date_time": "2026-12-03T10:00:00+0300",
        "uuid": "u-7",
        "attributes": {
            "is_return": False,
            "cdek_number": "1234",
            "status_code": "NEW_CODE",
            "city_name": "Казань",
        },
    }
    [update] = cdek.parse_webhook({"x-webhook-token": fake.webhook_secret}, json.dumps(body).encode())
    assert (update.raw_code, update.status) == ("NEW_CODE", None)
    assert update.occurred_at == dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("headers", [{}, {"x-webhook-token": "wrong"}, {"x-webhook-token": ""}])
def test_a_webhook_with_a_wrong_or_missing_token_is_carrier_auth(
    fake: CdekFake, cdek: CdekCarrier, headers: dict[str, str]
) -> None:
    with pytest.raises(CarrierError) as err:
        cdek.parse_webhook(headers, b'{"type": "ORDER_STATUS"}')
    assert err.value.code == "carrier_auth"


def test_without_a_configured_secret_no_webhook_is_accepted(fake: CdekFake) -> None:
    carrier = CdekCarrier(CarrierConfig(base_url=fake.base_url, client_id="a", client_secret="b"))
    with pytest.raises(CarrierError) as err:
        carrier.parse_webhook({"x-webhook-token": ""}, b"{}")
    assert err.value.code == "carrier_auth"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"type": "ORDER_STATUS", "uuid": "u", "attributes": "x"}',
        b'{"type": "ORDER_STATUS", "uuid": "u", "attributes": {"code": "DELIVERED"}}',  # no time
        b'{"type": "ORDER_STATUS", "date_time": "2026-12-03T10:00:00+0300", "attributes": {"code": "DELIVERED"}}',
    ],
)
def test_an_unreadable_webhook_is_carrier_error(fake: CdekFake, cdek: CdekCarrier, body: bytes) -> None:
    with pytest.raises(CarrierError) as err:
        cdek.parse_webhook({"x-webhook-token": fake.webhook_secret}, body)
    assert err.value.code == "carrier_error"


def test_other_webhook_types_give_no_updates(fake: CdekFake, cdek: CdekCarrier) -> None:
    body = json.dumps({"type": "PRINT_FORM", "uuid": "p-1", "attributes": {"type": "waybill"}}).encode()
    assert cdek.parse_webhook({"x-webhook-token": fake.webhook_secret}, body) == []


# ---------------------------------------------------------------- the status table


def test_the_table_maps_both_spellings_and_the_named_stages() -> None:
    expected = {
        "CREATED": S.AWAITING_SHIPMENT,
        "ACCEPTED": S.AWAITING_SHIPMENT,
        "RECEIVED_AT_SHIPMENT_WAREHOUSE": S.SHIPPED,
        "RECEIVED_AT_SENDER_WAREHOUSE": S.SHIPPED,
        "READY_TO_SHIP_AT_SENDING_OFFICE": S.IN_TRANSIT,
        "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY": S.IN_TRANSIT,
        "SENT_TO_TRANSIT_CITY": S.IN_TRANSIT,
        "ACCEPTED_AT_TRANSIT_WAREHOUSE": S.IN_TRANSIT,
        "ACCEPTED_IN_RECIPIENT_CITY": S.IN_TRANSIT,
        "TAKEN_BY_COURIER": S.OUT_FOR_DELIVERY,
        "ACCEPTED_AT_PICK_UP_POINT": S.OUT_FOR_DELIVERY,
        "DELIVERED": S.DELIVERED,
        "NOT_DELIVERED": S.DELIVERY_FAILED,
        "INVALID": S.CANCELED,
        "REMOVED": S.CANCELED,
    }
    assert {code: CDEK_STATUS[code] for code in expected} == expected
    assert all(code == code.upper() and " " not in code for code in CDEK_STATUS)


def test_the_documented_table_is_the_code_table() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "carriers.md").read_text(encoding="utf-8")
    section = doc.split("## CDEK", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \| (\w+) \|$", section, flags=re.M)
    assert rows == [(code, status.value) for code, status in CDEK_STATUS.items()]


# ---------------------------------------------------------------- through the shipping services


def test_a_label_bought_through_the_services_waits_for_cdeks_number(
    fake: CdekFake, seller: Seller, client: Client
) -> None:
    order = ready_to_ship(seller)
    account = CarrierAccount(
        seller=seller, carrier="cdek", name="CDEK", base_url=fake.base_url, client_id=fake.client_id
    )
    set_client_secret(account, fake.client_secret)
    account.save()
    parcel = Parcel(
        account_id=account.pk,
        packages=(Package(weight_g=900, length_cm=25, width_cm=15, height_cm=10),),
        recipient=RECIPIENT,
        shipper=SHIPPER,
    )
    staff = actor(seller)
    rates = shipping.quote_rates(seller_id=seller.pk, number=order.number, actor=staff, parcel=parcel)
    assert [(r.service_code, r.currency) for r in rates] == [("139", "EUR")]
    shipment = shipping.buy_label(
        seller_id=seller.pk,
        number=order.number,
        actor=staff,
        parcel=parcel,
        service_code=rates[0].service_code,
    )
    sent = fake.only_order()
    assert (shipment.carrier, shipment.carrier_ref, shipment.registration) == ("cdek", sent.uuid, "waiting")
    assert shipment.tracking_number == ""
    assert sent.body["number"] == f"{order.number}-1"
    assert sorted(i["ware_key"] for i in sent.body["packages"][0]["items"]) == ["BOWL-01", "MUG-01"]
    assert sent.body["tariff_code"] == int(rates[0].service_code)

    # CDEK gives the waybill number; the worker's refresh records it.
    number = fake.register(sent.uuid)
    assert shipping.refresh_registration(shipment.pk) == "registered"
    shipment.refresh_from_db()
    assert shipment.tracking_number == number

    # A status webhook moves the shipment; a later poll (the Track button) moves it on.
    fake.advance(sent.uuid, "RECEIVED_AT_SENDER_WAREHOUSE")
    answer = client.post(
        f"/webhooks/carriers/{account.webhook_token}",
        fake.webhook_body(sent.uuid),
        content_type="application/json",
    )
    assert (answer.status_code, answer.json()) == (200, {"received": 1, "moved": 1})
    shipment.refresh_from_db()
    assert shipment.status == S.SHIPPED
    fake.advance(sent.uuid, "TAKEN_BY_COURIER", when=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    shipment = shipping.track_now(
        seller_id=seller.pk, number=order.number, shipment_no=shipment.number, actor=staff
    )
    assert shipment.status == S.OUT_FOR_DELIVERY
