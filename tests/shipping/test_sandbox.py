"""The sandbox carrier (R-FUL-4): deterministic rates, registration, labels, simulated tracking."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from sellerdesk.shipping.carriers.base import (
    CarrierConfig,
    CarrierError,
    Package,
    Party,
    Registration,
    ShipmentRequest,
)
from sellerdesk.shipping.carriers.registry import carrier_for
from sellerdesk.shipping.carriers.sandbox import SandboxCarrier, billable_kg, zone
from sellerdesk.shipping.states import ShipmentStatus as S

MOSCOW = Party(name="ООО «Ромашка»", country="RU", postcode="101000", city="Москва", line1="ул. Тверская, 7")
MOSCOW_REGION = Party(name="Иван", country="RU", postcode="143000", city="Одинцово", line1="ул. Мира, 2")
KAZAN = Party(name="Анна Петрова", country="RU", postcode="420111", city="Казань", line1="ул. Баумана, 1")
BERLIN = Party(name="Max Muster", country="DE", postcode="10115", city="Berlin", line1="Invalidenstraße 43")
NOWHERE = replace(KAZAN, postcode="000000")

DROP_OFF = dt.date(2026, 12, 1)


def request(**kw: object) -> ShipmentRequest:
    data: dict[str, object] = {
        "shipper": MOSCOW,
        "recipient": KAZAN,
        "packages": (Package(weight_g=1200, length_cm=20, width_cm=15, height_cm=10),),
        "currency": "RUB",
        "drop_off_date": DROP_OFF,
        "reference": "1042",
    }
    data.update(kw)
    return ShipmentRequest(**data)  # type: ignore[arg-type]


def sandbox(**options: object) -> SandboxCarrier:
    return SandboxCarrier(CarrierConfig(options=options))


def prices(req: ShipmentRequest) -> dict[str, Decimal]:
    return {r.service_code: r.price for r in sandbox().rates(req)}


# --- Rates -------------------------------------------------------------------------------------


def test_the_registry_builds_the_sandbox_carrier() -> None:
    carrier = carrier_for("sandbox", CarrierConfig())
    assert isinstance(carrier, SandboxCarrier)
    assert (carrier.code, carrier.name, carrier.has_webhooks) == ("sandbox", "Sandbox carrier", False)


def test_rates_are_deterministic_with_days_and_estimated_delivery() -> None:
    first, second = sandbox().rates(request()), sandbox().rates(request())
    assert first == second
    assert [r.service_code for r in first] == ["economy", "express"]
    # Zone 2 (Moscow → Kazan), 1.2 kg → 1.5 kg billable: base + 1 kg, in RUB (×100).
    economy, express = first
    assert (economy.price, economy.currency, economy.days_min, economy.days_max) == (
        Decimal("530.00"),
        "RUB",
        4,
        8,
    )
    assert (express.price, express.days_min, express.days_max) == (Decimal("1060.00"), 1, 3)
    assert economy.estimated_delivery == DROP_OFF + dt.timedelta(days=8)
    assert express.estimated_delivery == DROP_OFF + dt.timedelta(days=3)


def test_without_a_drop_off_date_delivery_is_estimated_from_today() -> None:
    (economy, _) = sandbox().rates(request(drop_off_date=None))
    today = dt.datetime.now(dt.UTC).date()
    assert economy.estimated_delivery in {today + dt.timedelta(days=8), today + dt.timedelta(days=9)}


def test_zones_same_postcode_area_same_country_abroad() -> None:
    assert zone(request(recipient=MOSCOW_REGION)) == 1
    assert zone(request(recipient=KAZAN)) == 2
    assert zone(request(recipient=BERLIN)) == 3
    assert zone(request(recipient=replace(KAZAN, postcode=""), shipper=replace(MOSCOW, postcode=""))) == 2
    by_zone = [prices(request(recipient=r)) for r in (MOSCOW_REGION, KAZAN, BERLIN)]
    for service in ("economy", "express"):
        assert by_zone[0][service] < by_zone[1][service] < by_zone[2][service]


def test_billable_weight_is_the_larger_of_actual_and_volumetric_per_package() -> None:
    light_but_big = Package(weight_g=500, length_cm=50, width_cm=40, height_cm=30)  # 12 kg volumetric
    heavy_but_small = Package(weight_g=3100, length_cm=10, width_cm=10, height_cm=10)  # 0.2 kg volumetric
    assert billable_kg(request(packages=(light_but_big,))) == Decimal("12.0")
    assert billable_kg(request(packages=(heavy_but_small,))) == Decimal("3.5")
    assert billable_kg(request(packages=(light_but_big, heavy_but_small))) == Decimal("15.5")
    assert prices(request(packages=(light_but_big,)))["economy"] > prices(request())["economy"]


def test_prices_are_in_the_request_currency() -> None:
    eur = sandbox().rates(request(currency="EUR"))
    assert {r.currency for r in eur} == {"EUR"}
    assert prices(request(currency="EUR"))["economy"] == Decimal("5.30")


def test_surcharges_for_insurance_signature_and_dangerous_goods() -> None:
    plain = prices(request())
    insured = prices(request(insurance=True, declared_value=Decimal("5000")))
    assert insured == {code: p + Decimal("50.00") for code, p in plain.items()}  # 1 % of 5000
    assert prices(request(declared_value=Decimal("5000"))) == plain  # declared but not insured
    signed = prices(request(signature=True))
    assert signed == {code: p + Decimal("150.00") for code, p in plain.items()}
    dangerous = prices(request(dangerous_goods=True))
    assert dangerous == {"economy": plain["economy"] + Decimal("500.00")}  # express carries none


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"packages": ()}, "at least one package"),
        ({"packages": (Package(0, 10, 10, 10),)}, "greater than zero"),
        ({"packages": (Package(100, 10, 0, 10),)}, "greater than zero"),
        ({"recipient": replace(KAZAN, country="")}, "countries"),
    ],
)
def test_impossible_requests_are_refused_with_a_reason(change: dict[str, object], words: str) -> None:
    with pytest.raises(CarrierError) as refused:
        sandbox().rates(request(**change))
    assert refused.value.code == "carrier_refused" and words in refused.value.detail


@given(
    grams=st.lists(st.integers(min_value=1, max_value=60_000), min_size=2, max_size=2),
    dims=st.tuples(*[st.integers(min_value=1, max_value=120)] * 3),
    recipient=st.sampled_from([MOSCOW_REGION, KAZAN, BERLIN]),
    currency=st.sampled_from(["RUB", "EUR", "KZT"]),
    insurance=st.booleans(),
    signature=st.booleans(),
)
def test_a_heavier_parcel_never_costs_less(
    grams: list[int],
    dims: tuple[int, int, int],
    recipient: Party,
    currency: str,
    insurance: bool,
    signature: bool,
) -> None:
    light, heavy = sorted(grams)

    def quote(weight_g: int) -> dict[str, Decimal]:
        return prices(
            request(
                packages=(Package(weight_g, *dims),),
                recipient=recipient,
                currency=currency,
                insurance=insurance,
                declared_value=Decimal("1234.56"),
                signature=signature,
            )
        )

    cheap, dear = quote(light), quote(heavy)
    assert cheap.keys() == dear.keys()
    assert all(cheap[code] <= dear[code] for code in cheap)


# --- Registration and labels -------------------------------------------------------------------


def test_a_shipment_is_registered_at_once_with_a_unique_tracking_number_and_the_quoted_price() -> None:
    carrier = sandbox()
    req = request()
    first, second = carrier.create_shipment(req, "express"), carrier.create_shipment(req, "express")
    assert first.registration == Registration.REGISTERED
    assert first.tracking_number.startswith("SBX") and len(first.tracking_number) == 13
    assert first.tracking_number[3:].isdigit()
    assert first.tracking_number != second.tracking_number
    assert first.carrier_ref.startswith(first.tracking_number + ":") and first.carrier_ref.endswith(":420111")
    assert first.price == prices(req)["express"]
    assert carrier.shipment_state(first.carrier_ref).tracking_number == first.tracking_number


@pytest.mark.parametrize(
    ("service", "change", "words"),
    [
        ("overnight", {}, "no service 'overnight'"),
        ("express", {"dangerous_goods": True}, "Express does not carry dangerous goods"),
    ],
)
def test_unknown_or_impossible_services_are_refused(
    service: str, change: dict[str, object], words: str
) -> None:
    with pytest.raises(CarrierError) as refused:
        sandbox().create_shipment(request(**change), service)
    assert refused.value.code == "carrier_refused" and words in refused.value.detail


def test_the_protocol_label_call_says_the_sandbox_keeps_no_labels() -> None:
    created = sandbox().create_shipment(request(), "economy")
    with pytest.raises(CarrierError) as unsupported:
        sandbox().label(created.carrier_ref)
    assert unsupported.value.code == "carrier_unsupported"


# --- Tracking ------------------------------------------------------------------------------------


def created_at(carrier_ref: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(carrier_ref.split(":")[1]), dt.UTC)


def test_tracking_advances_one_step_at_a_time_in_order() -> None:
    carrier = sandbox(step_seconds=60)
    ref = carrier.create_shipment(request(), "economy").carrier_ref
    start = created_at(ref)
    seen = []
    for minutes in [0, 0.5, 1, 1.5, 2, 3, 4, 10]:
        updates = carrier.track(ref, now=start + dt.timedelta(minutes=minutes))
        assert updates[: len(seen)] == seen  # earlier updates never change
        seen = updates
        statuses = [u.status for u in updates]
        expected = [S.SHIPPED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED][: int(minutes)]
        assert statuses == expected, minutes
    assert [u.occurred_at - start for u in seen] == [dt.timedelta(minutes=n) for n in (1, 2, 3, 4)]
    assert [u.raw_code for u in seen] == ["ACCEPTED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"]
    assert {u.tracking_number for u in seen} == {ref.split(":")[0]} and {u.carrier_ref for u in seen} == {ref}
    assert seen[-1].location == "420111"


def test_with_no_step_time_the_journey_is_over_at_once() -> None:
    carrier = sandbox(step_seconds=0)
    ref = carrier.create_shipment(request(), "express").carrier_ref
    assert [u.status for u in carrier.track(ref)] == [
        S.SHIPPED,
        S.IN_TRANSIT,
        S.OUT_FOR_DELIVERY,
        S.DELIVERED,
    ]


def test_the_test_postcode_000000_ends_in_a_failed_delivery() -> None:
    carrier = sandbox(step_seconds=1)
    ref = carrier.create_shipment(request(recipient=NOWHERE), "economy").carrier_ref
    updates = carrier.track(ref, now=created_at(ref) + dt.timedelta(hours=1))
    assert [u.status for u in updates] == [S.SHIPPED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERY_FAILED]
    assert "not found" in updates[-1].description


def test_a_foreign_reference_is_an_error_not_a_crash() -> None:
    for call in (sandbox().track, sandbox().void, sandbox().label, sandbox().shipment_state):
        with pytest.raises(CarrierError) as bad:
            call("1f0c-uuid-of-another-carrier")
        assert bad.value.code == "carrier_error"


def test_void_is_allowed_and_webhooks_are_not_supported() -> None:
    carrier = sandbox()
    carrier.void(carrier.create_shipment(request(), "economy").carrier_ref)
    with pytest.raises(CarrierError) as unsupported:
        carrier.parse_webhook({}, b"{}")
    assert unsupported.value.code == "carrier_unsupported"


# --- Through the shipping writers --------------------------------------------------------------


@pytest.mark.django_db
def test_a_sandbox_label_bought_for_an_order_is_tracked_to_delivered(shippable) -> None:  # type: ignore[no-untyped-def]
    from sellerdesk.shipping import printing
    from sellerdesk.shipping import services as shipping
    from sellerdesk.shipping.accounts import sandbox_account
    from tests.conftest import actor

    seller = shippable.seller
    account = sandbox_account(seller.pk)
    account.options = {"step_seconds": 0}
    account.save()
    parcel = shipping.Parcel(
        account_id=account.pk,
        packages=(Package(1500, 30, 20, 10), Package(800, 10, 10, 10)),
        recipient=KAZAN,
        shipper=MOSCOW,
    )
    quoted = shipping.quote_rates(
        seller_id=seller.pk, number=shippable.number, actor=actor(seller), parcel=parcel
    )
    assert {r.service_code for r in quoted} == {"economy", "express"}
    shipment = shipping.buy_label(
        seller_id=seller.pk,
        number=shippable.number,
        actor=actor(seller),
        parcel=parcel,
        service_code="economy",
    )
    assert shipment.tracking_number.startswith("SBX") and shipment.price == min(r.price for r in quoted)

    label = printing.shipment_label(shipment)
    assert label.content_type == "application/pdf"
    pages = PdfReader(io.BytesIO(label.content)).pages
    first, second = (p.extract_text() for p in pages)
    assert (
        "Package 1 of 2" in first and "1.5 kg" in first and "Package 2 of 2" in second and "0.8 kg" in second
    )
    assert "Sandbox carrier" in first and "Economy" in first and "Анна Петрова" in first
    assert shipment.tracking_number in first and shipment.tracking_number in second

    shipment = shipping.track_now(
        seller_id=seller.pk, number=shippable.number, shipment_no=shipment.number, actor=actor(seller)
    )
    assert shipment.status == S.DELIVERED
    shippable.refresh_from_db()
    assert shippable.status == "delivered"  # R-FUL-7: the order follows its only shipment


@pytest.mark.parametrize("bad", ["soon", -5, None, float("nan")])
def test_a_bad_step_time_in_the_account_is_a_carrier_error(bad: object) -> None:
    carrier = sandbox(step_seconds=bad)
    ref = carrier.create_shipment(request(), "economy").carrier_ref
    with pytest.raises(CarrierError) as bad_config:
        carrier.track(ref)
    assert bad_config.value.code == "carrier_error" and "step_seconds" in bad_config.value.detail
