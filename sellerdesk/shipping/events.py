"""The shipping events of an order (R-FUL): shipments, their statuses, returns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sellerdesk.core.events import Change, Event, doc, event_type

from .states import LABELS, ShipmentStatus


def _status(value: str) -> str:
    try:
        return str(LABELS[ShipmentStatus(value)]).lower()
    except ValueError:
        return value


@event_type
class ShipmentCreated(Event):
    type = "shipment_created"
    summary = (
        "Units of the order were put in a shipment: fulfilled by hand or with a carrier label (R-FUL-1..3)."
    )
    example = {
        "shipment": 1,
        "kind": "carrier",
        "carrier": "cdek",
        "service": "136",
        "tracking_number": "",
        "status": "awaiting_shipment",
        "lines": [{"line_id": 17, "sku": "MUG-1", "quantity": 2}],
        "price": "350.00",
        "charged": "300.00",
        "seller_cost": "50.00",
        "fulfillment_status": {"from": "unfulfilled", "to": "dispatched"},
    }

    shipment: int = doc("The shipment's number within the order (1, 2, …).")
    kind: str = doc("manual (the seller's own delivery) or carrier (a label bought through a carrier).")
    carrier: str = doc(
        "The carrier: a registry code (sandbox, cdek) or the name typed for a manual shipment."
    )
    lines: list[dict[str, Any]] = doc("The units in the shipment: order line id, SKU and quantity.")
    status: str = doc("The shipment's status once created.")
    service: str | None = doc("The carrier's service (tariff) code.", default=None)
    tracking_number: str | None = doc("The tracking number, when known already.", default=None)
    shipping_point: str | None = doc("local, international or pickup (manual shipments).", default=None)
    price: str | None = doc("What the carrier charges, in the order's currency.", default=None)
    charged: str | None = doc("What the customer paid for this shipment at checkout.", default=None)
    seller_cost: str | None = doc("The difference the seller bears (R-FUL-5).", default=None)
    fulfillment_status: Change | None = doc("The order's fulfillment status before and after.", default=None)

    def describe(self) -> str:
        units = sum(int(line.get("quantity", 0)) for line in self.lines)
        return _("Shipment %(n)s created (%(carrier)s, %(units)s units).") % {
            "n": self.shipment,
            "carrier": self.carrier,
            "units": units,
        }


@event_type
class ShipmentRegistered(Event):
    type = "shipment_registered"
    summary = (
        "The carrier answered a shipment's registration: a waybill number, or a refusal with its reasons."
    )
    example = {
        "shipment": 1,
        "carrier": "cdek",
        "tracking_number": "1234567890",
        "registration": "registered",
    }

    shipment: int = doc("The shipment's number within the order.")
    carrier: str = doc("The carrier's registry code.")
    registration: str = doc("registered or invalid.")
    tracking_number: str | None = doc("The waybill / tracking number the carrier gave.", default=None)
    errors: list[str] | None = doc("Why the carrier refused it (invalid).", default=None)

    def describe(self) -> str:
        if self.registration == "registered":
            return _("Carrier registered shipment %(n)s: tracking number %(t)s.") % {
                "n": self.shipment,
                "t": self.tracking_number,
            }
        return _("Carrier refused shipment %(n)s: %(e)s") % {
            "n": self.shipment,
            "e": "; ".join(self.errors or []),
        }


@event_type
class ShipmentUpdated(Event):
    type = "shipment_updated"
    summary = "Staff edited a manual shipment's carrier, tracking number or expected delivery date (R-FUL-6)."
    example = {
        "shipment": 1,
        "changes": {"tracking_number": {"from": "", "to": "RA123456789RU"}},
        "notify_customer": True,
    }

    shipment: int = doc("The shipment's number within the order.")
    changes: dict[str, Any] = doc("Each changed field with its value before and after.")
    notify_customer: bool = doc("Whether the customer is to be told.", default=False)

    def describe(self) -> str:
        return _("Shipment %(n)s edited: %(fields)s.") % {
            "n": self.shipment,
            "fields": ", ".join(self.changes),
        }


@event_type
class ShipmentStatusChanged(Event):
    type = "shipment_status_changed"
    summary = (
        "A shipment moved on: a carrier's tracking update (webhook or poll) or staff (R-FUL-6, R-FUL-7)."
    )
    example = {
        "shipment": 1,
        "status": {"from": "shipped", "to": "in_transit"},
        "source": "carrier",
        "raw_code": "ACCEPTED_AT_TRANSIT_WAREHOUSE",
        "tracking_number": "1234567890",
    }

    shipment: int = doc("The shipment's number within the order.")
    status: Change = doc("The shipment's status before and after.")
    source: str = doc("carrier (a tracking update) or staff.")
    raw_code: str | None = doc("The carrier's own status code, as sent.", default=None)
    tracking_number: str | None = doc("The shipment's tracking number.", default=None)
    notify_customer: bool | None = doc("Staff asked for the customer to be told.", default=None)
    fulfillment_status: Change | None = doc("The order's fulfillment status before and after.", default=None)

    def describe(self) -> str:
        return _("Shipment %(n)s: %(from)s → %(to)s.") % {
            "n": self.shipment,
            "from": _status(self.status.before),
            "to": _status(self.status.after),
        }


@event_type
class ShipmentVoided(Event):
    type = "shipment_voided"
    summary = "A shipment was voided before the carrier had the parcel; its units are unfulfilled again."
    example = {"shipment": 1, "fulfillment_status": {"from": "dispatched", "to": "unfulfilled"}}

    shipment: int = doc("The shipment's number within the order.")
    fulfillment_status: Change | None = doc("The order's fulfillment status before and after.", default=None)

    def describe(self) -> str:
        return _("Shipment %(n)s voided.") % {"n": self.shipment}


@event_type
class ReturnRecorded(Event):
    type = "return_recorded"
    summary = "Units came back from the customer (R-FUL-10), restocked or not (R-INV-2)."
    example = {
        "lines": [{"line_id": 17, "sku": "MUG-1", "quantity": 1}],
        "restock": True,
        "fulfillment_status": {"from": "delivered", "to": "partially_returned"},
    }

    lines: list[dict[str, Any]] = doc("The returned units: order line id, SKU and quantity.")
    restock: bool = doc("Whether the units went back into stock.")
    reason: str | None = doc("Why they came back, as recorded.", default=None)
    fulfillment_status: Change | None = doc("The order's fulfillment status before and after.", default=None)

    def describe(self) -> str:
        units = sum(int(line.get("quantity", 0)) for line in self.lines)
        if self.restock:
            return _("%(units)s units returned and restocked.") % {"units": units}
        return _("%(units)s units returned.") % {"units": units}
