"""The built-in sandbox carrier (R-FUL-4): deterministic rates, real PDF labels, simulated tracking.

No network and no database: everything it needs is in the request or in its `carrier_ref`.
docs/carriers.md ("Sandbox carrier") describes the rules for users; in short:

- Rates: from the billable weight (each package's actual or volumetric weight, L×W×H/5000 kg,
  whichever is larger, in steps of 0.5 kg) and the zone (1: same country and same first digit of
  the postcode; 2: same country; 3: abroad). Prices are in the request's currency.
  Insurance costs 1 % of the declared value, a signature a fixed fee; dangerous goods travel
  economy only, with a surcharge (express is not offered for them).
- A shipment is registered at once; `carrier_ref` is "<tracking number>:<created epoch>:<postcode>".
- Labels: the carrier keeps nothing, so `label()` cannot make one; sellerdesk/shipping/printing.py
  draws sandbox labels from the shipment row (documents.label_pdf).
- Tracking: accepted (shipped) → in transit → out for delivery → delivered, one step every
  `config.options["step_seconds"]` seconds (60 by default); recipients with the postcode
  "000000" are never found: the last step is delivery_failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from ..states import ShipmentStatus
from .base import (
    CarrierConfig,
    CarrierError,
    Created,
    Document,
    Rate,
    Registration,
    ShipmentRequest,
    TrackingUpdate,
)
from .registry import CARRIERS

if TYPE_CHECKING:
    from .base import Carrier

CODE = "sandbox"
FAILING_POSTCODE = "000000"  # the recipient is never found: tracking ends in delivery_failed
DEFAULT_STEP_SECONDS = 60
VOLUMETRIC_DIVISOR = 5000  # cm³ per kg
WEIGHT_STEP_KG = Decimal("0.5")

# Prices below are in units of the request's currency times this factor (RUB 100: a 3.00 base
# becomes 300 RUB), so that a sandbox quote looks plausible in currencies with small units.
CURRENCY_SCALE: dict[str, Decimal] = {"RUB": Decimal(100), "KZT": Decimal(500), "JPY": Decimal(150)}
INSURANCE_RATE = Decimal("0.01")  # of the declared value, not scaled
SIGNATURE_FEE = Decimal("1.50")
DANGEROUS_GOODS_FEE = Decimal("5.00")


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    base: Mapping[int, Decimal]  # zone → price of the first weight step
    per_kg: Mapping[int, Decimal]  # zone → price of each further kg
    days: Mapping[int, tuple[int, int]]  # zone → (min, max) days in transit
    dangerous_goods: bool  # whether it carries them


SERVICES: dict[str, Service] = {
    s.code: s
    for s in [
        Service(
            code="economy",
            name="Economy",
            base={1: Decimal("3.00"), 2: Decimal("4.50"), 3: Decimal("12.00")},
            per_kg={1: Decimal("0.40"), 2: Decimal("0.80"), 3: Decimal("4.00")},
            days={1: (2, 4), 2: (4, 8), 3: (10, 20)},
            dangerous_goods=True,
        ),
        Service(
            code="express",
            name="Express",
            base={1: Decimal("6.00"), 2: Decimal("9.00"), 3: Decimal("25.00")},
            per_kg={1: Decimal("0.90"), 2: Decimal("1.60"), 3: Decimal("8.00")},
            days={1: (1, 1), 2: (1, 3), 3: (3, 6)},
            dangerous_goods=False,
        ),
    ]
}

# The simulated journey: (step number, the carrier's code, our status, description, where:
# "depot", "hub" or "" for the recipient's postcode).
Step = tuple[int, str, ShipmentStatus, str, str]
JOURNEY: tuple[Step, ...] = (
    (1, "ACCEPTED", ShipmentStatus.SHIPPED, "Accepted at the sandbox depot", "Sandbox depot"),
    (2, "IN_TRANSIT", ShipmentStatus.IN_TRANSIT, "On its way to the destination hub", "Sandbox hub"),
    (3, "OUT_FOR_DELIVERY", ShipmentStatus.OUT_FOR_DELIVERY, "Out for delivery", ""),
    (4, "DELIVERED", ShipmentStatus.DELIVERED, "Delivered", ""),
)
FAILED_STEP: Step = (
    4,
    "NOT_DELIVERED",
    ShipmentStatus.DELIVERY_FAILED,
    "Recipient not found at the address",
    "",
)


# ---------------------------------------------------------------------------------------------
# The rules, as functions of the request
# ---------------------------------------------------------------------------------------------


def zone(request: ShipmentRequest) -> int:
    """1: same country and same first digit of the postcode; 2: same country; 3: abroad."""
    origin, dest = request.shipper, request.recipient
    if origin.country.upper() != dest.country.upper():
        return 3
    if origin.postcode[:1] and origin.postcode[:1] == dest.postcode[:1]:
        return 1
    return 2


def billable_kg(request: ShipmentRequest) -> Decimal:
    """The weight charged: each package's actual or volumetric weight, whichever is larger,
    summed and rounded up to the next 0.5 kg."""
    total = Decimal(0)
    for p in request.packages:
        actual = Decimal(p.weight_g) / 1000
        volumetric = Decimal(p.length_cm * p.width_cm * p.height_cm) / VOLUMETRIC_DIVISOR
        total += max(actual, volumetric)
    return max(math.ceil(total / WEIGHT_STEP_KG), 1) * WEIGHT_STEP_KG


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check(request: ShipmentRequest) -> None:
    if not request.packages:
        raise CarrierError("carrier_refused", "Add at least one package.")
    for n, p in enumerate(request.packages, 1):
        if p.weight_g <= 0 or min(p.length_cm, p.width_cm, p.height_cm) <= 0:
            raise CarrierError(
                "carrier_refused", f"Package {n}: the weight and every dimension must be greater than zero."
            )
    if not request.recipient.country or not request.shipper.country:
        raise CarrierError("carrier_refused", "The sender's and the recipient's countries are required.")


def price(request: ShipmentRequest, service: Service) -> Decimal:
    """What `service` costs for `request`, surcharges included, in the request's currency."""
    z = zone(request)
    scale = CURRENCY_SCALE.get(request.currency.upper(), Decimal(1))
    extra_kg = billable_kg(request) - WEIGHT_STEP_KG
    amount = (service.base[z] + service.per_kg[z] * extra_kg) * scale
    if request.signature:
        amount += SIGNATURE_FEE * scale
    if request.dangerous_goods:
        amount += DANGEROUS_GOODS_FEE * scale
    if request.insurance:
        amount += request.declared_value * INSURANCE_RATE
    return _cents(amount)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# ---------------------------------------------------------------------------------------------
# carrier_ref: "<tracking number>:<created epoch>:<recipient postcode>"
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    tracking_number: str
    created: int  # Unix time, seconds
    postcode: str

    def __str__(self) -> str:
        return f"{self.tracking_number}:{self.created}:{self.postcode}"

    @classmethod
    def parse(cls, carrier_ref: str) -> Ref:
        parts = carrier_ref.split(":", 2)
        if len(parts) != 3 or not parts[0].startswith("SBX") or not parts[1].isdigit():
            raise CarrierError("carrier_error", f"{carrier_ref!r} is not a sandbox shipment.")
        return cls(parts[0], int(parts[1]), parts[2])


def new_tracking_number(reference: str) -> str:
    """ "SBX" and 10 digits: unique (a random part), stable in form."""
    digest = hashlib.sha256(f"{reference}:{time.time_ns()}:{uuid.uuid4()}".encode()).digest()
    return f"SBX{int.from_bytes(digest[:8], 'big') % 10**10:010d}"


# ---------------------------------------------------------------------------------------------
# The adapter
# ---------------------------------------------------------------------------------------------


class SandboxCarrier:
    code = CODE
    name = CARRIERS[CODE][1]
    has_webhooks = False  # the worker polls `track`

    def __init__(self, config: CarrierConfig) -> None:
        self.config = config

    @property
    def step_seconds(self) -> float:
        value = self.config.options.get("step_seconds", DEFAULT_STEP_SECONDS)
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = -1
        if not 0 <= seconds < 10**7:
            raise CarrierError(
                "carrier_error",
                f"The sandbox account's step_seconds must be a number of seconds, not {value!r}.",
            )
        return seconds

    def rates(self, request: ShipmentRequest) -> list[Rate]:
        _check(request)
        z = zone(request)
        start = request.drop_off_date or _today()
        return [
            Rate(
                service_code=service.code,
                service_name=service.name,
                price=price(request, service),
                currency=request.currency,
                days_min=service.days[z][0],
                days_max=service.days[z][1],
                estimated_delivery=start + dt.timedelta(days=service.days[z][1]),
            )
            for service in SERVICES.values()
            if service.dangerous_goods or not request.dangerous_goods
        ]

    def create_shipment(self, request: ShipmentRequest, service_code: str) -> Created:
        service = SERVICES.get(service_code)
        if service is None:
            raise CarrierError(
                "carrier_refused",
                f"The sandbox carrier has no service {service_code!r}.",
                [{"service_code": service_code}],
            )
        if request.dangerous_goods and not service.dangerous_goods:
            raise CarrierError("carrier_refused", f"{service.name} does not carry dangerous goods.")
        rate = next(r for r in self.rates(request) if r.service_code == service_code)
        ref = Ref(new_tracking_number(request.reference), int(time.time()), request.recipient.postcode)
        return Created(
            carrier_ref=str(ref),
            registration=Registration.REGISTERED,
            tracking_number=ref.tracking_number,
            price=rate.price,
        )

    def shipment_state(self, carrier_ref: str) -> Created:
        ref = Ref.parse(carrier_ref)
        return Created(
            carrier_ref=carrier_ref, registration=Registration.REGISTERED, tracking_number=ref.tracking_number
        )

    def label(self, carrier_ref: str) -> Document:
        Ref.parse(carrier_ref)
        raise CarrierError(
            "carrier_unsupported",
            "The sandbox carrier keeps no labels: SellerDesk draws them from the shipment.",
        )

    def track(self, carrier_ref: str, *, now: dt.datetime | None = None) -> list[TrackingUpdate]:
        """Every update so far, oldest first: step k happens `k × step_seconds` after creation."""
        ref = Ref.parse(carrier_ref)
        step_seconds = self.step_seconds
        elapsed = ((now or dt.datetime.now(dt.UTC)).timestamp()) - ref.created
        journey = list(JOURNEY)
        if ref.postcode == FAILING_POSTCODE:
            journey[-1] = FAILED_STEP
        updates = []
        for step, raw, status, description, where in journey:
            at = step * step_seconds
            if elapsed < at:
                break
            updates.append(
                TrackingUpdate(
                    carrier_ref=carrier_ref,
                    tracking_number=ref.tracking_number,
                    raw_code=raw,
                    status=status,
                    occurred_at=dt.datetime.fromtimestamp(ref.created + at, dt.UTC),
                    description=description,
                    location=where or ref.postcode,
                )
            )
        return updates

    def void(self, carrier_ref: str) -> None:
        """Allowed (nothing to undo); the service layer refuses a void once the parcel is handed over."""
        Ref.parse(carrier_ref)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        raise CarrierError(
            "carrier_unsupported", "The sandbox carrier sends no webhooks; its shipments are polled."
        )


if TYPE_CHECKING:

    def _satisfies_the_protocol(config: CarrierConfig) -> Carrier:
        return SandboxCarrier(config)
