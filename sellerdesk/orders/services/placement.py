"""Placing an order (R-IN-1..3, R-INV-1, R-IN-5, R-PROC-9)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.catalog.services import stock_reserve
from sellerdesk.core import phones
from sellerdesk.core.errors import Conflict, InvalidInput
from sellerdesk.core.money import ZERO, check_currency, quantize
from sellerdesk.customers.models import Customer

from .. import deadlines, rules
from ..address import check_address
from ..events import OrderPlaced, record_event
from ..methods import needs_address
from ..models import Order, OrderLine
from ..pricing import compute_totals, line_total


@dataclass(frozen=True)
class CustomerIn:
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class LineIn:
    sku: str
    quantity: int
    unit_price: Decimal | None = None  # None: the product's price


@dataclass(frozen=True)
class OrderIn:
    customer: CustomerIn
    lines: list[LineIn]
    currency: str
    shipping_method: str
    payment_method: str
    shipping_address: dict[str, str] = field(default_factory=dict)
    shipping_price: Decimal = ZERO
    discount: Decimal = ZERO
    is_test: bool = False
    source: str = "api"
    created_at: dt.datetime | None = None  # imports and demo data keep their own time


def _refuse(refusals: list[rules.Refusal]) -> None:
    if refusals:
        first = refusals[0]
        raise InvalidInput(first.code, first.message, field=first.field)


def _validate(data: OrderIn) -> None:
    _refuse(
        rules.order_refusals(
            customer_name=data.customer.name,
            lines=[(line.quantity, line.unit_price) for line in data.lines],
            currency=data.currency,
            shipping_method=data.shipping_method,
            payment_method=data.payment_method,
            shipping_address=data.shipping_address,
            shipping_price=data.shipping_price,
            discount=data.discount,
        )
    )


def _customer_for(seller: Seller, data: CustomerIn, digits: str, now: dt.datetime) -> Customer:
    """The marketplace-wide customer identity: by e-mail, else by phone (`digits`, normalised), else a
    new one."""
    email = data.email.strip().lower()
    if digits and not email:
        found = Customer.objects.filter(marketplace_id=seller.marketplace_id, phone_digits=digits).first()
        if found:
            return found
    new = Customer(
        marketplace_id=seller.marketplace_id,
        name=data.name.strip(),
        email=email,
        phone=data.phone.strip(),
        phone_digits=digits,
        created_at=now,
    )
    if not email:
        new.save(force_insert=True)
        return new
    # `exclude(email="")` repeats the unique index's condition so that SQLite can use that
    # partial index (PostgreSQL proves it by itself); without it SQLite scans every customer.
    by_email = Customer.objects.exclude(email="").filter(marketplace_id=seller.marketplace_id, email=email)
    found = by_email.first()
    if found is None:
        # Insert unless a concurrent placement just did (the partial unique index decides), in one
        # statement: no savepoint round trips as get_or_create would need.
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {Customer._meta.db_table}"
                " (marketplace_id, name, email, phone, phone_digits, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (marketplace_id, email) WHERE NOT (email = '') DO NOTHING RETURNING id",
                [new.marketplace_id, new.name, new.email, new.phone, new.phone_digits, now],
            )
            row = cur.fetchone()
        if row is not None:
            new.pk = row[0]
            new._state.adding = False
            return new
        found = by_email.get()
    return found


def _next_number(seller: Seller) -> int:
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE accounts_seller SET next_order_number = next_order_number + 1 WHERE id = %s "
            "RETURNING next_order_number - 1",
            [seller.pk],
        )
        return int(cur.fetchone()[0])


def order_place(*, seller: Seller, actor: Actor, data: OrderIn) -> Order:
    """Place an order: reserve stock, number it, total it, check the address, write the event."""
    actor.require("order.place")
    currency = check_currency(data.currency)
    _validate(data)
    now = timezone.now()
    placed_at = data.created_at or now
    policy = deadlines.DeadlinePolicy.of(seller)
    with transaction.atomic():
        if data.is_test and Order.objects.filter(seller=seller, is_test=False).exists():
            raise Conflict(
                "test_orders_closed",
                "Test orders can be placed until the store receives its first real order; it has one now.",
            )
        wanted: dict[str, int] = defaultdict(int)
        for line in data.lines:
            wanted[line.sku] += line.quantity
        products = stock_reserve(seller_id=seller.pk, wanted=wanted)
        mismatched = sorted(
            {
                line.sku
                for line in data.lines
                if line.unit_price is None and products[line.sku].currency != currency
            }
        )
        if mismatched:
            raise InvalidInput(
                "unit_price_required",
                f"{', '.join(mismatched)} is priced in another currency than {currency}; send unit_price.",
                skus=mismatched,
                field="lines",
            )
        phone_digits = phones.normalize(data.customer.phone, seller.country)
        customer = _customer_for(seller, data.customer, phone_digits, now)
        priced = [
            (
                line,
                products[line.sku],
                quantize(
                    line.unit_price if line.unit_price is not None else products[line.sku].price,
                    currency,
                ),
            )
            for line in data.lines
        ]
        totals = compute_totals(
            [(line.quantity, price) for line, _, price in priced],
            shipping=data.shipping_price,
            discount=data.discount,
            currency=currency,
        )
        _refuse(
            rules.priced_refusals(
                unit_prices=[price for _, _, price in priced],
                subtotal=totals.subtotal,
                shipping=totals.shipping,
                discount=data.discount,
            )
        )
        address = {k: str(v).strip() for k, v in data.shipping_address.items() if v is not None}
        order = Order.objects.create(
            seller=seller,
            number=_next_number(seller),
            source="test" if data.is_test else data.source,
            is_test=data.is_test,
            customer=customer,
            customer_name=data.customer.name.strip(),
            customer_email=data.customer.email.strip().lower(),
            customer_phone=data.customer.phone.strip(),
            customer_phone_digits=phone_digits,
            currency=currency,
            subtotal=totals.subtotal,
            discount=totals.discount,
            shipping_price=totals.shipping,
            total=totals.total,
            payment_status="paid" if totals.total == 0 else "unpaid",
            shipping_method=data.shipping_method,
            payment_method=data.payment_method,
            shipping_address=address,
            address_errors=check_address(address) if needs_address(data.shipping_method) else {},
            created_at=placed_at,
            confirm_by=policy.confirm_by(placed_at),
            close_by=policy.close_by(placed_at),
        )
        lines = OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    seller_id=seller.pk,
                    order_created_at=placed_at,
                    product=product,
                    sku=product.sku,
                    name=product.name,
                    quantity=line.quantity,
                    unit_price=price,
                    line_total=line_total(line.quantity, price, currency),
                )
                for line, product, price in priced
            ]
        )
        # The caller usually shows the order it has just placed: it gets the lines in hand.
        order._prefetched_objects_cache = {"lines": lines}  # type: ignore[attr-defined]  # a display attribute added for the template
        record_event(
            actor,
            order,
            OrderPlaced(
                number=order.number,
                total=str(order.total),
                currency=currency,
                source=order.source,
                address_valid=not order.address_errors,
                customer_id=customer.pk,
            ),
        )
    return order
