"""The data the documents are made of: small frozen dataclasses, filled by the caller."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..carriers.base import Item, Package, Party


@dataclass(frozen=True)
class LabelData:
    """One package's label: a shipment of m packages has m labels, `package_no` 1..m."""

    carrier_name: str
    service_name: str
    tracking_number: str
    shipper: Party
    recipient: Party
    weight_g: int
    date: dt.date
    reference: str = ""  # the order's number as the customer knows it, e.g. "1042"
    package_no: int = 1
    package_count: int = 1


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    quantity: int  # to pack in this shipment
    ordered: int  # on the order line


@dataclass(frozen=True)
class SlipData:
    """What goes into the parcel's packing slip, and nothing else: it is read by the customer.

    There is deliberately no field for internal notes, staff or what the seller pays the carrier.
    """

    seller_name: str
    order_number: str
    order_date: dt.date
    ship_to: Party
    lines: tuple[SlipLine, ...]
    shipment_reference: str = ""  # the tracking number, or the shipment's own reference


@dataclass(frozen=True)
class WaybillData:
    """A manual shipment's waybill: who sends what to whom, its value and tracking number."""

    carrier_name: str
    tracking_number: str
    sender: Party
    recipient: Party
    packages: tuple[Package, ...]
    declared_value: Decimal
    currency: str
    date: dt.date
    reference: str = ""
    items: tuple[Item, ...] = field(default=())
