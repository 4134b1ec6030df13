"""The shipping writers (R-FUL). Each runs in one transaction, locks the order row first (the
global lock order), and records its events; the order's status follows its shipments through
`_follow`, which asks the lifecycle writer for the derived transitions (shipped, delivered).

Calls to a carrier never run inside a transaction: a slow or failing carrier holds no lock and
leaves nothing half-written. A label is bought first, then recorded; if recording is refused
(the units were shipped meanwhile), the label is voided at the carrier again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.catalog.services import stock_restock
from sellerdesk.core.errors import Conflict, DomainError, InvalidInput, NotFound
from sellerdesk.core.events import Change, Event
from sellerdesk.core.prefetch import hold
from sellerdesk.orders.events import record_events
from sellerdesk.orders.locking import lock_order
from sellerdesk.orders.methods import is_hand_delivered
from sellerdesk.orders.models import Order, OrderLine
from sellerdesk.orders.services._common import refresh_fulfillment_status
from sellerdesk.orders.services.lifecycle import LIFECYCLE_FIELDS, _transit, facts_of
from sellerdesk.orders.states import Action, FulfillmentStatus, Status, ship_refusal

from . import events as ev
from .accounts import carrier_of
from .carriers.base import (
    CarrierError,
    Created,
    Item,
    Package,
    Party,
    Rate,
    Registration,
    ShipmentRequest,
    TrackingUpdate,
)
from .models import (
    CarrierAccount,
    Return,
    ReturnLine,
    Shipment,
    ShipmentKind,
    ShipmentLine,
    ShippingPoint,
    TrackingEvent,
)
from .selectors import carrier_name, charged_left, left_to_ship, shipment_get
from .states import HANDED_OVER, NEXT, RANK, ShipmentStatus, refusal

SHIPPABLE = (Status.CONFIRMED, Status.PROCESSING)


class CarrierFailed(DomainError):
    """The carrier refused or could not be reached (502 on the API, a form error in the UI)."""

    status = 502
    title = "Carrier error"


def carrier_failed(exc: CarrierError) -> CarrierFailed:
    if exc.code == "carrier_refused":
        return CarrierFailed(exc.code, exc.detail, errors=exc.errors)
    return CarrierFailed(exc.code, exc.detail)


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManualFulfillment:
    """R-FUL-2: the seller's own delivery, or a carrier we do not integrate."""

    lines: Mapping[int, int] | None = None  # order line id → units; None: every unit still to ship
    shipping_point: str = ShippingPoint.LOCAL
    carrier: str = ""
    tracking_number: str = ""
    expected_delivery: dt.date | None = None
    # False: the customer is not told that the order left (its "shipped" notification, R-NOTE-2).
    notify_customer: bool = True


@dataclass(frozen=True)
class Parcel:
    """R-FUL-3: what a carrier quotes and registers."""

    account_id: int
    packages: tuple[Package, ...]
    recipient: Party
    shipper: Party
    declared_value: Decimal = Decimal("0")
    insurance: bool = False
    dangerous_goods: bool = False
    signature: bool = False
    drop_off_date: dt.date | None = None
    lines: Mapping[int, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- shared checks ----------------------------------------------------------------------------


def _check_can_ship(order: Order, seller: Seller) -> None:
    if order.status not in SHIPPABLE:
        if order.status == Status.PENDING:
            raise Conflict(
                "not_confirmed",
                "Confirm the order before you ship it.",
                current_status=order.status,
            )
        raise Conflict(
            "not_shippable",
            f"An order that is {order.status} has nothing left to ship.",
            current_status=order.status,
        )
    if is_hand_delivered(order.shipping_method):
        raise Conflict(
            "hand_delivered",
            f"A {order.shipping_method} order has no shipment: mark it delivered when the customer has it (R-FUL-9).",
        )
    # The lines are read once here and kept on the order: the units to ship, the derived
    # fulfilment status and the stock moves after it read these very objects.
    prefetch_related_objects([order], "lines")
    reason = ship_refusal(facts_of(order, seller))
    if reason:
        raise Conflict("payment_required", reason, payment_status=order.payment_status)


def _units(order: Order, wanted: Mapping[int, int] | None) -> dict[OrderLine, int]:
    """The order lines and units to put in a shipment, checked against what is left to ship. The
    lines stay on the order (prefetched): the writer updates these very objects, and the derivations
    after it (fulfilment status, stock on shipping) read them without another query."""
    prefetch_related_objects([order], "lines")
    lines = {line.pk: line for line in order.lines.all()}
    left = {pk: left_to_ship(line) for pk, line in lines.items()}
    if wanted is None:
        chosen = {lines[pk]: n for pk, n in left.items() if n > 0}
        if not chosen:
            raise InvalidInput(
                "nothing_to_ship", "Choose at least one unit that is still to ship.", field="lines"
            )
        return chosen
    return _checked(
        order,
        lines,
        wanted,
        left,
        too_many=("quantity_exceeds_open", "{sku}: {can} left to ship, {n} asked."),
        none=("nothing_to_ship", "Choose at least one unit that is still to ship."),
    )


def _checked(
    order: Order,
    lines: Mapping[int, OrderLine],
    wanted: Mapping[int, int],
    can: Mapping[int, int],
    *,
    too_many: tuple[str, str],
    none: tuple[str, str],
) -> dict[OrderLine, int]:
    """`wanted` (line id → units) checked against `can` (line id → units allowed): every id one of
    this order's lines (another order's is unknown), no negative, none above what is allowed."""
    chosen: dict[OrderLine, int] = {}
    for pk, n in wanted.items():
        line = lines.get(pk)
        if line is None:
            raise InvalidInput("line_not_found", f"Order {order.number} has no line {pk}.", field="lines")
        if n < 0:
            raise InvalidInput("invalid_quantity", "Quantities cannot be negative.", field="lines")
        allowed = max(can.get(pk, 0), 0)
        if n > allowed:
            code, text = too_many
            raise InvalidInput(code, text.format(sku=line.sku, can=allowed, n=n), field="lines", line_id=pk)
        if n:
            chosen[line] = n
    if not chosen:
        raise InvalidInput(none[0], none[1], field="lines")
    return chosen


def shipping_refusal(order: Order, seller: Seller) -> DomainError | None:
    """Why the whole rest of the order cannot be fulfilled by hand now (the checks of
    `fulfill_manual`, without writing), or None. Reads the order's lines, nothing else."""
    try:
        _check_can_ship(order, seller)
        _units(order, None)
    except DomainError as error:
        return error
    return None


def _line_payload(chosen: Mapping[OrderLine, int]) -> list[dict[str, Any]]:
    return [{"line_id": line.pk, "sku": line.sku, "quantity": n} for line, n in chosen.items()]


def _follow(order: Order, seller: Seller, *, notify_customer: bool = True) -> list[Event]:
    """Derive the fulfillment axis and move the order on (shipped, delivered) when its shipments
    say so (R-FUL-1, R-FUL-7). Returns the lifecycle events; the caller saves the order.
    `notify_customer=False` marks the order's `order_shipped` event as not to be told (R-NOTE-2)."""
    out: list[Event] = []
    refresh_fulfillment_status(order)
    done = (FulfillmentStatus.FULFILLED, FulfillmentStatus.DELIVERED, FulfillmentStatus.PICKED_UP)
    arrived = (FulfillmentStatus.DELIVERED, FulfillmentStatus.PICKED_UP)
    if order.status in SHIPPABLE and order.fulfillment_status in done:
        quiet: dict[str, Any] = {} if notify_customer else {"notify_customer": False}
        out += _derived(order, seller, Action.SHIP, **quiet)
    if order.status == Status.SHIPPED and order.fulfillment_status in arrived:
        out += _derived(order, seller, Action.DELIVER)
    return out


def _derived(order: Order, seller: Seller, action: Action, **data: Any) -> list[Event]:
    try:
        return _transit(order, action, seller, **data)
    except Conflict:
        # The parcel moved (the carrier has it) although a guard would refuse staff the same step;
        # the order stays where it is and shows why on its page. Never lose the carrier's update.
        return []


def _held_shipments(order: Order) -> list[Shipment]:
    """The order's shipments with their lines, read once per write (after the order's lock: no
    one else adds a shipment meanwhile) and kept on the order: the next shipment number and the
    fulfilment status are taken from them."""
    prefetch_related_objects([order], "shipments__lines")
    return list(order.shipments.all())


def _next_number(order: Order) -> int:
    return max((s.number for s in _held_shipments(order)), default=0) + 1


def _create(
    order: Order,
    seller: Seller,
    actor: Actor,
    chosen: Mapping[OrderLine, int],
    *,
    status: ShipmentStatus,
    notify_customer: bool = True,
    **fields: Any,
) -> tuple[Shipment, list[Event]]:
    now = timezone.now()
    shipment = Shipment.objects.create(
        order=order,
        seller=seller,
        number=_next_number(order),
        status=status,
        currency=order.currency,
        created_by=actor.user,
        created_at=now,
        handed_over_at=now if status in HANDED_OVER else None,
        delivered_at=now if status == ShipmentStatus.DELIVERED else None,
        **fields,
    )
    lines = ShipmentLine.objects.bulk_create(
        [ShipmentLine(shipment=shipment, line=line, quantity=n) for line, n in chosen.items()]
    )
    for line, n in chosen.items():
        line.quantity_fulfilled += n
    OrderLine.objects.bulk_update(list(chosen), ["quantity_fulfilled"])
    # What was just written is held, not read back: the order's lines were updated in place (see
    # `_units`), the new shipment joins the shipments read for its number, with its lines and no
    # tracking yet. The derivation below and the caller's answer read these objects.
    hold(shipment, "lines", lines)
    hold(shipment, "tracking", [])
    hold(order, "shipments", [*_held_shipments(order), shipment])
    f_before = order.fulfillment_status
    follow = _follow(order, seller, notify_customer=notify_customer)
    created = ev.ShipmentCreated(
        shipment=shipment.number,
        kind=shipment.kind,
        carrier=shipment.carrier,
        lines=_line_payload(chosen),
        status=shipment.status,
        service=shipment.service_code or None,
        tracking_number=shipment.tracking_number or None,
        shipping_point=shipment.shipping_point or None,
        price=str(shipment.price) if shipment.kind == ShipmentKind.CARRIER else None,
        charged=str(shipment.charged) if shipment.kind == ShipmentKind.CARRIER else None,
        seller_cost=str(shipment.seller_cost) if shipment.kind == ShipmentKind.CARRIER else None,
        fulfillment_status=Change(f_before, order.fulfillment_status)
        if f_before != order.fulfillment_status
        else None,
    )
    return shipment, [created, *follow]


def _save(order: Order, actor: Actor, events: Iterable[Event]) -> None:
    order.updated_at = timezone.now()
    order.save(update_fields=LIFECYCLE_FIELDS)
    record_events(actor, [(order, e) for e in events])


# --- manual fulfilment (R-FUL-2) ----------------------------------------------------------------


def fulfill_manual(*, seller_id: int, number: int | str, actor: Actor, data: ManualFulfillment) -> Shipment:
    actor.require("order.act")
    point = _choice(data.shipping_point, ShippingPoint, "shipping_point")
    carrier = data.carrier.strip()
    tracking = data.tracking_number.strip()
    if point == ShippingPoint.INTERNATIONAL and not (carrier and tracking):
        raise InvalidInput(
            "tracking_required",
            "An international shipment needs its carrier and tracking number.",
            field="tracking_number" if carrier else "carrier",
        )
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number, seller=actor.seller)
        seller = order.seller
        _check_can_ship(order, seller)
        chosen = _units(order, data.lines)
        # Handed over at once (to the courier, the post, or the customer at the counter); a pickup
        # is delivered when the customer collects it.
        status = ShipmentStatus.AWAITING_SHIPMENT if point == ShippingPoint.PICKUP else ShipmentStatus.SHIPPED
        shipment, events = _create(
            order,
            seller,
            actor,
            chosen,
            status=status,
            kind=ShipmentKind.MANUAL,
            shipping_point=point,
            carrier=carrier or str(ShippingPoint(point).label),
            tracking_number=tracking,
            expected_delivery=data.expected_delivery,
            notify_customer=data.notify_customer,
        )
        _save(order, actor, events)
        return shipment


def _choice(value: str, choices: Any, name: str) -> str:
    allowed = [c.value for c in choices]
    if value not in allowed:
        raise InvalidInput(f"invalid_{name}", f"{name} must be one of: {', '.join(allowed)}.", field=name)
    return value


# --- carrier fulfilment (R-FUL-3, R-FUL-5) --------------------------------------------------------


def _account(seller_id: int, account_id: int) -> CarrierAccount:
    account = CarrierAccount.objects.filter(seller_id=seller_id, pk=account_id, is_active=True).first()
    if account is None:
        raise NotFound("carrier_account_not_found", f"There is no carrier account {account_id}.")
    return account


def _request(order: Order, chosen: Mapping[OrderLine, int], parcel: Parcel) -> ShipmentRequest:
    if not parcel.packages:
        raise InvalidInput("packages_required", "Add at least one package.", field="packages")
    for p in parcel.packages:
        if min(p.weight_g, p.length_cm, p.width_cm, p.height_cm) <= 0:
            raise InvalidInput(
                "invalid_package",
                "Every package needs a weight and three dimensions above 0.",
                field="packages",
            )
    return ShipmentRequest(
        shipper=parcel.shipper,
        recipient=parcel.recipient,
        packages=parcel.packages,
        currency=order.currency,
        declared_value=parcel.declared_value,
        insurance=parcel.insurance,
        dangerous_goods=parcel.dangerous_goods,
        signature=parcel.signature,
        drop_off_date=parcel.drop_off_date,
        items=tuple(
            Item(sku=line.sku, name=line.name, quantity=n, unit_price=line.unit_price)
            for line, n in chosen.items()
        ),
        reference=f"{order.number}-{_next_number(order)}",
    )


def _prepare(
    seller_id: int, number: int | str, actor: Actor, parcel: Parcel
) -> tuple[Order, Any, ShipmentRequest]:
    actor.require("order.act")
    order = Order.objects.filter(seller_id=seller_id, number=_int(number)).select_related("seller").first()
    if order is None:
        raise NotFound("order_not_found", f"There is no order {number}.")
    _check_can_ship(order, order.seller)
    chosen = _units(order, parcel.lines)
    account = _account(seller_id, parcel.account_id)
    return order, carrier_of(account), _request(order, chosen, parcel)


def _int(number: int | str) -> int:
    try:
        return int(number)
    except (TypeError, ValueError):
        raise NotFound("order_not_found", f"There is no order {number!r}.") from None


def quote_rates(*, seller_id: int, number: int | str, actor: Actor, parcel: Parcel) -> list[Rate]:
    """Get rates (R-FUL-3): each service's price and estimated delivery. Writes nothing."""
    _, carrier, request = _prepare(seller_id, number, actor, parcel)
    try:
        return sorted(carrier.rates(request), key=lambda r: (r.price, r.days_max))
    except CarrierError as exc:
        raise carrier_failed(exc) from None


def buy_label(
    *, seller_id: int, number: int | str, actor: Actor, parcel: Parcel, service_code: str
) -> Shipment:
    """Buy a label (R-FUL-3): re-quote (the price of what is really sent, R-FUL-5), register the
    shipment with the carrier, then record it. A carrier that registers asynchronously (CDEK)
    leaves the shipment 'waiting for the carrier' until its waybill number arrives."""
    order, carrier, request = _prepare(seller_id, number, actor, parcel)
    try:
        rates = {r.service_code: r for r in carrier.rates(request)}
        rate = rates.get(service_code)
        if rate is None:
            raise InvalidInput(
                "service_unavailable",
                f"{carrier.name} does not offer service {service_code!r} for this parcel; get rates again.",
                field="service_code",
            )
        created = carrier.create_shipment(request, service_code)
    except CarrierError as exc:
        raise carrier_failed(exc) from None
    if created.registration == Registration.INVALID:
        raise CarrierFailed(
            "carrier_refused",
            f"{carrier.name} refused the shipment: {'; '.join(created.errors) or 'no reason given'}.",
        )
    try:
        return _record_label(order, seller_id, actor, parcel, carrier, rate, created)
    except DomainError:
        _void_quietly(carrier, created.carrier_ref)
        raise


def _record_label(
    order: Order, seller_id: int, actor: Actor, parcel: Parcel, carrier: Any, rate: Rate, created: Created
) -> Shipment:
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=order.number, seller=actor.seller)
        seller = order.seller
        _check_can_ship(order, seller)
        chosen = _units(order, parcel.lines)
        price = created.price if created.price is not None else rate.price
        charged = min(charged_left(order), price) if price else charged_left(order)
        shipment, events = _create(
            order,
            seller,
            actor,
            chosen,
            status=ShipmentStatus.AWAITING_SHIPMENT,
            kind=ShipmentKind.CARRIER,
            carrier=carrier.code,
            account_id=parcel.account_id,
            service_code=rate.service_code,
            service_name=rate.service_name,
            tracking_number=created.tracking_number,
            carrier_ref=created.carrier_ref,
            registration=created.registration.value,
            expected_delivery=rate.estimated_delivery,
            packages=[vars(p) for p in parcel.packages],
            details=_details(parcel),
            price=price,
            charged=charged,
            seller_cost=price - charged,
        )
        _save(order, actor, events)
    return shipment


def _details(parcel: Parcel) -> dict[str, Any]:
    return {
        "recipient": vars(parcel.recipient),
        "shipper": vars(parcel.shipper),
        "declared_value": str(parcel.declared_value),
        "insurance": parcel.insurance,
        "dangerous_goods": parcel.dangerous_goods,
        "signature": parcel.signature,
        "drop_off_date": parcel.drop_off_date.isoformat() if parcel.drop_off_date else None,
        **parcel.extra,
    }


def _void_quietly(carrier: Any, ref: str) -> None:
    # If this fails too, the label stays unused at the carrier; nothing of it was recorded here.
    with contextlib.suppress(CarrierError):
        carrier.void(ref)


# --- one shipment: edit, status, deliver, void (R-FUL-6) ----------------------------------------


def _locked_shipment(
    seller_id: int, number: int | str, shipment_no: int | str, actor: Actor
) -> tuple[Order, Shipment]:
    order = lock_order(seller_id=seller_id, number=number, seller=actor.seller)
    try:
        n = int(shipment_no)
    except (TypeError, ValueError):
        n = -1
    shipment = Shipment.objects.select_for_update().filter(order=order, number=n).first()
    if shipment is None:
        raise NotFound("shipment_not_found", f"Order {order.number} has no shipment {shipment_no}.")
    return order, shipment


def _move(
    order: Order,
    shipment: Shipment,
    target: ShipmentStatus,
    *,
    source: str,
    raw_code: str = "",
    notify_customer: bool = False,
    at: dt.datetime | None = None,
) -> list[Event]:
    """Change one shipment's status (checked against NEXT) and follow with the order."""
    before = ShipmentStatus(shipment.status)
    reason = refusal(before, target)
    if reason:
        raise Conflict("shipment_transition_refused", reason, shipment_status=before.value)
    now = at or timezone.now()
    shipment.status = target.value
    if raw_code:
        shipment.raw_status = raw_code
    if target in HANDED_OVER and shipment.handed_over_at is None:
        shipment.handed_over_at = now
    if target == ShipmentStatus.DELIVERED:
        shipment.delivered_at = now
    if target == ShipmentStatus.CANCELED:
        shipment.voided_at = now
    shipment.save(update_fields=["status", "raw_status", "handed_over_at", "delivered_at", "voided_at"])
    # The order's lines are read once per write and kept (the derivations, the stock moves and a
    # void's units all use these objects); the shipments only when a unit is still in one.
    prefetch_related_objects([order], "lines")
    if target == ShipmentStatus.CANCELED:
        _unfulfil(order, shipment)
    if any(line.quantity_fulfilled for line in order.lines.all()):
        _hold_moved(order, shipment)
    f_before = order.fulfillment_status
    follow = _follow(order, order.seller)
    f_change = Change(f_before, order.fulfillment_status) if f_before != order.fulfillment_status else None
    if target == ShipmentStatus.CANCELED:
        first: Event = ev.ShipmentVoided(shipment=shipment.number, fulfillment_status=f_change)
    else:
        first = ev.ShipmentStatusChanged(
            shipment=shipment.number,
            status=Change(before.value, target.value),
            source=source,
            raw_code=raw_code or None,
            tracking_number=shipment.tracking_number or None,
            notify_customer=notify_customer or None,
            fulfillment_status=f_change,
        )
    return [first, *follow]


def _unfulfil(order: Order, shipment: Shipment) -> None:
    """A voided shipment's units are to ship again: taken off the order's held lines."""
    prefetch_related_objects([shipment], "lines")
    lines = {line.pk: line for line in order.lines.all()}
    changed: list[OrderLine] = []
    for sl in shipment.lines.all():
        line = lines[sl.line_id]
        line.quantity_fulfilled -= sl.quantity
        changed.append(line)
    OrderLine.objects.bulk_update(changed, ["quantity_fulfilled"])


def _hold_moved(order: Order, shipment: Shipment) -> None:
    """The order's shipments, read once per write (`_held_shipments`), with the moved one's
    instance in its place: its new status is what the derivation reads."""
    held = _held_shipments(order)
    same = next((s for s in held if s.pk == shipment.pk), None)
    if same is not None and same is not shipment:
        hold(shipment, "lines", same.lines.all())
    hold(order, "shipments", [shipment if s.pk == shipment.pk else s for s in held])


@dataclass(frozen=True)
class ShipmentEdit:
    carrier: str | None = None
    tracking_number: str | None = None
    status: str | None = None
    expected_delivery: dt.date | None = None
    clear_expected_delivery: bool = False
    notify_customer: bool = False


def shipment_edit(
    *, seller_id: int, number: int | str, shipment_no: int | str, actor: Actor, data: ShipmentEdit
) -> Shipment:
    """Edit a manual shipment (R-FUL-6). A carrier's shipment is changed only by its carrier."""
    actor.require("order.act")
    with transaction.atomic():
        order, shipment = _locked_shipment(seller_id, number, shipment_no, actor)
        if shipment.kind != ShipmentKind.MANUAL:
            raise Conflict(
                "carrier_managed",
                f"{carrier_name(shipment.carrier)} manages this shipment: its carrier, tracking number, status "
                "and dates come from the carrier.",
            )
        changes: dict[str, Any] = {}
        for name in ("carrier", "tracking_number"):
            value = getattr(data, name)
            if value is not None and value.strip() != getattr(shipment, name):
                changes[name] = Change(getattr(shipment, name), value.strip()).to_json()
                setattr(shipment, name, value.strip())
        wants_date = data.expected_delivery is not None or data.clear_expected_delivery
        if wants_date and data.expected_delivery != shipment.expected_delivery:
            changes["expected_delivery"] = Change(
                shipment.expected_delivery, data.expected_delivery
            ).to_json()
            shipment.expected_delivery = data.expected_delivery
        if shipment.shipping_point == ShippingPoint.INTERNATIONAL and not (
            shipment.carrier and shipment.tracking_number
        ):
            raise InvalidInput(
                "tracking_required",
                "An international shipment needs its carrier and tracking number.",
                field="tracking_number",
            )
        events: list[Event] = []
        if changes:
            shipment.save(update_fields=["carrier", "tracking_number", "expected_delivery"])
            events.append(
                ev.ShipmentUpdated(
                    shipment=shipment.number, changes=changes, notify_customer=data.notify_customer
                )
            )
        if data.status is not None and data.status != shipment.status:
            target = ShipmentStatus(_choice(data.status, ShipmentStatus, "status"))
            events += _move(order, shipment, target, source="staff", notify_customer=data.notify_customer)
        if not events:
            raise InvalidInput("nothing_changed", "Nothing to change: the shipment already says that.")
        _save(order, actor, events)
        return shipment


def shipment_deliver(*, seller_id: int, number: int | str, shipment_no: int | str, actor: Actor) -> Shipment:
    """Mark a manual shipment delivered (picked up, for in-store pickup). Refused (409) while a
    carrier tracks it: the carrier's report moves it (R-FUL-7, R-FUL-9)."""
    actor.require("order.act")
    with transaction.atomic():
        order, shipment = _locked_shipment(seller_id, number, shipment_no, actor)
        _refuse_carrier_tracked(shipment)
        events = _move(order, shipment, ShipmentStatus.DELIVERED, source="staff")
        _save(order, actor, events)
        return shipment


def _refuse_carrier_tracked(shipment: Shipment) -> None:
    if shipment.kind == ShipmentKind.CARRIER and shipment.status not in (
        ShipmentStatus.DELIVERED,
        ShipmentStatus.CANCELED,
    ):
        name = carrier_name(shipment.carrier)
        raise Conflict(
            "carrier_tracked",
            f"{name} still tracks this parcel; it becomes delivered when {name} reports the delivery.",
        )


def deliver_open_shipments(order: Order, actor: Actor) -> list[Event]:
    """Staff mark a shipped order delivered: every open manual shipment becomes delivered.

    The caller holds the order lock. Refused (409) while a carrier still tracks one of them."""
    shipments = list(order.shipments.select_for_update().exclude(status__in=["delivered", "canceled"]))
    for shipment in shipments:
        _refuse_carrier_tracked(shipment)
    events: list[Event] = []
    for shipment in shipments:
        events += _move(order, shipment, ShipmentStatus.DELIVERED, source="staff")
    return events


def shipment_void(*, seller_id: int, number: int | str, shipment_no: int | str, actor: Actor) -> Shipment:
    """Void a shipment before the carrier has the parcel (R-FUL-6): its units are to ship again."""
    actor.require("order.act")
    with transaction.atomic():
        _, shipment = _locked_shipment(seller_id, number, shipment_no, actor)
        reason = refusal(ShipmentStatus(shipment.status), ShipmentStatus.CANCELED)
        if reason:
            raise Conflict("shipment_transition_refused", reason, shipment_status=shipment.status)
    if shipment.kind == ShipmentKind.CARRIER and shipment.carrier_ref and shipment.account_id:
        account = CarrierAccount.objects.get(pk=shipment.account_id)
        try:
            carrier_of(account).void(shipment.carrier_ref)
        except CarrierError as exc:
            raise carrier_failed(exc) from None
    with transaction.atomic():
        order, shipment = _locked_shipment(seller_id, number, shipment_no, actor)
        events = _move(order, shipment, ShipmentStatus.CANCELED, source="staff")
        _save(order, actor, events)
        return shipment


# --- the carrier's side: registration and tracking (R-FUL-7) --------------------------------------


def refresh_registration(shipment_id: int) -> str:
    """Ask the carrier how a waiting registration stands; record a waybill number or a refusal."""
    shipment = Shipment.objects.select_related("account").get(pk=shipment_id)
    if shipment.registration != Registration.WAITING or shipment.account is None:
        return shipment.registration
    state = carrier_of(shipment.account).shipment_state(shipment.carrier_ref)
    if state.registration == Registration.WAITING:
        return state.registration.value
    actor = Actor.system(label=carrier_name(shipment.carrier))
    with transaction.atomic():
        order = lock_order(seller_id=shipment.seller_id, number=shipment.order.number)
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.registration != Registration.WAITING:
            return shipment.registration
        shipment.registration = state.registration.value
        events: list[Event] = []
        if state.registration == Registration.REGISTERED:
            shipment.tracking_number = state.tracking_number
            shipment.save(update_fields=["registration", "tracking_number"])
            events.append(
                ev.ShipmentRegistered(
                    shipment=shipment.number,
                    carrier=shipment.carrier,
                    registration="registered",
                    tracking_number=state.tracking_number,
                )
            )
        else:
            shipment.registration_errors = list(state.errors)
            shipment.save(update_fields=["registration", "registration_errors"])
            events.append(
                ev.ShipmentRegistered(
                    shipment=shipment.number,
                    carrier=shipment.carrier,
                    registration="invalid",
                    errors=list(state.errors),
                )
            )
            # Nothing exists at the carrier: the units are to ship again.
            events += _move(order, shipment, ShipmentStatus.CANCELED, source="carrier")
        _save(order, actor, events)
    return shipment.registration


def apply_tracking(account: CarrierAccount, updates: Iterable[TrackingUpdate]) -> int:
    """Apply a carrier's status reports to the account's shipments; returns how many changed status.

    Each report is kept once (TrackingEvent); a status moves only forward (NEXT), so reports that
    arrive late, twice or out of order change nothing. An unknown code is kept raw.
    """
    by_ref: dict[str, list[TrackingUpdate]] = {}
    for update in updates:
        by_ref.setdefault(update.carrier_ref or update.tracking_number, []).append(update)
    changed = 0
    actor = Actor.system(label=carrier_name(account.carrier))
    for ref, reports in by_ref.items():
        shipment = (
            Shipment.objects.filter(
                seller_id=account.seller_id, carrier=account.carrier, kind=ShipmentKind.CARRIER
            )
            .filter(carrier_ref=ref)
            .select_related("order")
            .first()
        ) or (
            Shipment.objects.filter(seller_id=account.seller_id, carrier=account.carrier, tracking_number=ref)
            .exclude(tracking_number="")
            .select_related("order")
            .first()
        )
        if shipment is None:
            continue
        changed += _apply_reports(shipment, sorted(reports, key=lambda u: u.occurred_at), actor)
    return changed


def _apply_reports(shipment: Shipment, reports: list[TrackingUpdate], actor: Actor) -> int:
    with transaction.atomic():
        order = lock_order(seller_id=shipment.seller_id, number=shipment.order.number)
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        TrackingEvent.objects.bulk_create(
            [
                TrackingEvent(
                    shipment=shipment,
                    raw_code=r.raw_code,
                    status=r.status.value if r.status else "",
                    occurred_at=r.occurred_at,
                    description=r.description[:300],
                    location=r.location[:200],
                )
                for r in reports
            ],
            ignore_conflicts=True,
        )
        events: list[Event] = []
        moved = 0
        number = next((r.tracking_number for r in reports if r.tracking_number), "")
        if number and not shipment.tracking_number:
            shipment.tracking_number = number
            shipment.save(update_fields=["tracking_number"])
        for r in reports:
            if r.status is None:
                continue
            current = ShipmentStatus(shipment.status)
            if r.status in NEXT[current] and (
                RANK[r.status] >= RANK[current] or current == ShipmentStatus.DELIVERY_FAILED
            ):
                if r.status == ShipmentStatus.CANCELED:
                    continue  # a carrier's own cancellation is shown, never voids our record by itself
                events += _move(
                    order, shipment, r.status, source="carrier", raw_code=r.raw_code, at=r.occurred_at
                )
                moved += 1
            elif r.raw_code != shipment.raw_status:
                shipment.raw_status = r.raw_code
        shipment.tracked_at = timezone.now()
        shipment.save(update_fields=["tracked_at", "raw_status"])
        if events:
            _save(order, actor, events)
        return moved


def track_now(*, seller_id: int, number: int | str, shipment_no: int | str, actor: Actor) -> Shipment:
    """Ask the carrier for the shipment's tracking now (the "Track" button)."""
    actor.require("order.read")
    shipment = shipment_get(seller_id=seller_id, number=number, shipment_no=shipment_no)
    if shipment.kind != ShipmentKind.CARRIER or shipment.account is None:
        return shipment
    try:
        if shipment.registration == Registration.WAITING:
            refresh_registration(shipment.pk)
            shipment.refresh_from_db()
        if shipment.carrier_ref and shipment.registration == Registration.REGISTERED:
            apply_tracking(shipment.account, carrier_of(shipment.account).track(shipment.carrier_ref))
    except CarrierError as exc:
        raise carrier_failed(exc) from None
    shipment.refresh_from_db()
    return shipment


# --- returns (R-FUL-10) ----------------------------------------------------------------------------


def delivered_units(order: Order) -> dict[int, int]:
    """Per order line id, the units the customer has (delivered or picked up)."""
    if is_hand_delivered(order.shipping_method):
        if order.status in (Status.DELIVERED, Status.CLOSED):
            return {line.pk: line.quantity_fulfilled for line in order.lines.all()}
        return {}
    out: dict[int, int] = {}
    for sl in ShipmentLine.objects.filter(shipment__order=order, shipment__status=ShipmentStatus.DELIVERED):
        out[sl.line_id] = out.get(sl.line_id, 0) + sl.quantity
    return out


def returnable_units(order: Order, lines: Iterable[OrderLine]) -> dict[int, int]:
    """Per order line id, the units that can still come back: delivered, not yet returned."""
    have = delivered_units(order)
    return {line.pk: have.get(line.pk, 0) - line.quantity_returned for line in lines}


def record_return(
    order: Order, quantities: Mapping[int, int], restock: bool, actor: Actor, reason: str = ""
) -> list[Event]:
    """Record units that came back: the ONE writer of `OrderLine.quantity_returned` (R-FUL-10).

    The caller holds the order lock in its transaction (the refund writer calls this too) and
    records the events returned. Restock puts the units back on hand (R-INV-2).
    """
    lines = {line.pk: line for line in order.lines.all()}
    unknown = [pk for pk in quantities if pk not in lines]
    if unknown:
        raise InvalidInput("line_not_found", f"Order {order.number} has no line {unknown[0]}.", field="lines")
    if order.status not in (Status.SHIPPED, Status.DELIVERED):
        raise Conflict(
            "not_returnable",
            f"Only shipped or delivered orders take returns; this one is {order.status}.",
            current_status=order.status,
        )
    chosen = _checked(
        order,
        lines,
        quantities,
        returnable_units(order, lines.values()),
        too_many=("quantity_exceeds_delivered", "{sku}: {can} delivered units can come back, {n} given."),
        none=("nothing_returned", "Enter at least one returned unit."),
    )
    ret = Return.objects.create(
        order=order,
        restock=restock,
        reason=reason.strip()[:500],
        created_by=actor.user,
        created_at=timezone.now(),
    )
    ReturnLine.objects.bulk_create([ReturnLine(ret=ret, line=line, quantity=n) for line, n in chosen.items()])
    for line, n in chosen.items():
        line.quantity_returned += n
    OrderLine.objects.bulk_update(list(chosen), ["quantity_returned"])
    if restock:
        per_product: dict[int, int] = {}
        for line, n in chosen.items():
            per_product[line.product_id] = per_product.get(line.product_id, 0) + n
        stock_restock(quantities=per_product)
    order._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # re-read the lines
    f_before, f_after = refresh_fulfillment_status(order)
    return [
        ev.ReturnRecorded(
            lines=_line_payload(chosen),
            restock=restock,
            reason=reason.strip() or None,
            fulfillment_status=Change(f_before, f_after) if f_before != f_after else None,
        )
    ]


def order_return(
    *,
    seller_id: int,
    number: int | str,
    actor: Actor,
    quantities: Mapping[int, int],
    restock: bool,
    reason: str = "",
) -> Return:
    actor.require("order.act")
    with transaction.atomic():
        order = lock_order(seller_id=seller_id, number=number)
        events = record_return(order, quantities, restock, actor, reason)
        _save(order, actor, events)
        return order.returns.order_by("-id").first()  # type: ignore[return-value]  # just created above
