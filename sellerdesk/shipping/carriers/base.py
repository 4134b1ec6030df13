"""The one carrier interface (R-FUL-4) and the plain values that cross it. No ORM here.

An adapter is a class with a `code`, built from its account settings (`CarrierConfig`), that
answers six calls: `rates`, `create_shipment`, `shipment_state` (carriers that register
waybills asynchronously: CDEK), `label`, `track`, `void`, and parses its inbound webhooks
(`parse_webhook`). Every failure is a `CarrierError` carrying a sentence for the user; an
adapter never lets a transport exception escape.

Units on this side are grams and centimetres; amounts are Decimal with an ISO 4217 currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from ..states import ShipmentStatus


class CarrierError(Exception):
    """The carrier refused or could not be reached. `detail` is shown to the user as is.

    `code`: carrier_unreachable (timeout, connection), carrier_auth (credentials refused),
    carrier_refused (a 4xx with the carrier's own errors in `errors`), carrier_error (5xx or
    an answer we cannot read), carrier_unsupported (the carrier has no such call).
    """

    def __init__(self, code: str, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.errors = errors or []


@dataclass(frozen=True)
class CarrierConfig:
    """An account's settings: where the API is and the credentials (never logged)."""

    base_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    webhook_secret: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # credentials never reach a log line or a traceback
        return f"CarrierConfig(base_url={self.base_url!r}, client_id=…, client_secret=…)"


@dataclass(frozen=True)
class Party:
    """A sender or recipient: who, how to reach them, and the address."""

    name: str
    phone: str = ""
    email: str = ""
    company: str = ""
    country: str = ""  # ISO 3166-1 alpha-2
    postcode: str = ""
    region: str = ""
    city: str = ""
    line1: str = ""
    line2: str = ""


@dataclass(frozen=True)
class Package:
    weight_g: int
    length_cm: int
    width_cm: int
    height_cm: int


@dataclass(frozen=True)
class Item:
    """One line of a package's contents (customs, CDEK's item list, the packing slip)."""

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    weight_g: int = 0


@dataclass(frozen=True)
class ShipmentRequest:
    """What a rate quote and a shipment registration both need (R-FUL-3)."""

    shipper: Party
    recipient: Party
    packages: tuple[Package, ...]
    currency: str
    declared_value: Decimal = Decimal("0")
    insurance: bool = False
    dangerous_goods: bool = False
    signature: bool = False
    drop_off_date: dt.date | None = None
    items: tuple[Item, ...] = ()
    reference: str = ""  # our order number (CDEK: number)


@dataclass(frozen=True)
class Rate:
    service_code: str
    service_name: str
    price: Decimal
    currency: str
    days_min: int
    days_max: int
    estimated_delivery: dt.date | None = None


class Registration(StrEnum):
    """Where the carrier's registration of a shipment stands (CDEK registers asynchronously)."""

    WAITING = "waiting"  # accepted, no waybill number yet
    REGISTERED = "registered"  # the carrier gave a tracking/waybill number
    INVALID = "invalid"  # the carrier refused it after accepting the request; see errors


@dataclass(frozen=True)
class Created:
    carrier_ref: str  # the carrier's id of the shipment (CDEK: order uuid); tracking_number for sync carriers
    registration: Registration
    tracking_number: str = ""
    price: Decimal | None = None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrackingUpdate:
    """One status report from a carrier, from a webhook or a poll."""

    carrier_ref: str
    tracking_number: str
    raw_code: str  # the carrier's own code, kept as is
    status: ShipmentStatus | None  # None: a code we do not map (kept, never a crash)
    occurred_at: dt.datetime
    description: str = ""
    location: str = ""


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str = "application/pdf"
    filename: str = "label.pdf"


class Carrier(Protocol):
    code: str  # "sandbox", "cdek": the registry key and the value stored on shipments
    name: str  # shown to users
    has_webhooks: bool  # False: the worker polls `track` for its open shipments

    def rates(self, request: ShipmentRequest) -> list[Rate]: ...

    def create_shipment(self, request: ShipmentRequest, service_code: str) -> Created: ...

    def shipment_state(self, carrier_ref: str) -> Created: ...

    def label(self, carrier_ref: str) -> Document: ...

    def track(self, carrier_ref: str) -> list[TrackingUpdate]: ...

    def void(self, carrier_ref: str) -> None: ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[TrackingUpdate]:
        """The updates in an inbound webhook. Raises CarrierError('carrier_auth') when its
        signature or token is wrong, CarrierError('carrier_error') when it cannot be read."""
        ...
