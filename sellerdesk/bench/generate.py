"""The benchmark's data set, loaded in bulk (never through the API).

Two sellers of one marketplace, customers with Russian and German names, orders created over
two years with 1–5 lines each, their statuses spread over the whole lifecycle with the matching
timestamps, timeline events, payments, derived payment/fulfillment statuses and consistent
reserved stock. Everything a service would write is written, in the same shape.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from sellerdesk.accounts.models import Marketplace, Seller, User
from sellerdesk.accounts.roles import Role
from sellerdesk.catalog.models import Product
from sellerdesk.core import phones
from sellerdesk.customers.models import Customer
from sellerdesk.orders import deadlines
from sellerdesk.orders.address import check_address
from sellerdesk.orders.methods import (
    PAY_ON_DELIVERY,
    PaymentMethod,
    ShippingMethod,
    is_hand_delivered,
    needs_address,
)
from sellerdesk.orders.models import Order, OrderEvent, OrderLine
from sellerdesk.orders.states import (
    Ledger,
    LineQty,
    Status,
    derive_fulfillment_status,
    derive_payment_status,
)
from sellerdesk.payments.models import Payment

from . import loader
from .names import Person, person

MARKETPLACE = "bench"
PASSWORD = "bench"
# slug, name, country, time zone, currency, share of the orders
SELLERS = [
    ("bench-north", "North Bench Crafts", "RU", "Europe/Moscow", "RUB", 0.6),
    ("bench-south", "South Bench Ceramics", "DE", "Europe/Berlin", "EUR", 0.4),
]
PRODUCTS_PER_SELLER = 400
DIGITAL_PRODUCTS = 20
CHUNK = 10_000
ZERO = Decimal("0")
ADDRESSES = {
    "RU": [
        {
            "country": "RU",
            "region": "Москва",
            "city": "Москва",
            "postal_code": "101000",
            "line1": "ул. Мясницкая",
        },
        {
            "country": "RU",
            "region": "Санкт-Петербург",
            "city": "Санкт-Петербург",
            "postal_code": "191186",
            "line1": "Невский пр.",
        },
        {
            "country": "RU",
            "region": "Республика Татарстан",
            "city": "Казань",
            "postal_code": "420111",
            "line1": "ул. Баумана",
        },
        {
            "country": "RU",
            "region": "Свердловская область",
            "city": "Екатеринбург",
            "postal_code": "620014",
            "line1": "ул. Вайнера",
        },
        {
            "country": "RU",
            "region": "Новосибирская область",
            "city": "Новосибирск",
            "postal_code": "630099",
            "line1": "Красный пр.",
        },
        {"country": "RU", "region": "Москва", "city": "Москва", "postal_code": "12", "line1": "Тверская ул."},
    ],
    "DE": [
        {"country": "DE", "city": "Berlin", "postal_code": "10115", "line1": "Invalidenstraße"},
        {"country": "DE", "city": "München", "postal_code": "80331", "line1": "Marienplatz"},
        {"country": "DE", "city": "Hamburg", "postal_code": "20095", "line1": "Mönckebergstraße"},
        {"country": "DE", "city": "Köln", "postal_code": "50667", "line1": "Hohe Straße"},
        {"country": "DE", "city": "Leipzig", "postal_code": "04109", "line1": "Grimmaische Straße"},
        {"country": "DE", "city": "Frankfurt am Main", "postal_code": "6031", "line1": "Zeil"},
    ],
}
ADDRESS_WEIGHTS = [25, 20, 15, 15, 15, 2]  # the last one fails the address check (R-PROC-9)
GOODS = ["Mug", "Bowl", "Plate", "Vase", "Teapot", "Jug", "Candle", "Board", "Cup", "Tray", "Pot", "Lamp"]
FINISHES = ["white", "blue glaze", "celadon", "matte black", "speckled", "terracotta", "sage", "amber"]
SHIPPING = ([m.value for m in ShippingMethod], [60, 18, 8, 14])  # carrier, pickup, digital, local
PAYMENT = (
    [m.value for m in PaymentMethod],
    [55, 20, 15, 10],
)  # online, cash on delivery, bank transfer, card on delivery
SOURCE = (["api", "staff", "import"], [75, 15, 10])
LINES = ([1, 2, 3, 4, 5], [35, 28, 18, 11, 8])
QTY = ([1, 2, 3], [72, 20, 8])
CANCEL = (["customer_request", "out_of_stock", "payment_failed", "address_invalid"], [55, 25, 12, 8])
# Status by age of the order: the newest are still open, old ones are mostly closed.
BY_AGE = [
    (1, ["pending", "confirmed", "processing", "cancelled"], [55, 25, 10, 10]),
    (7, ["pending", "confirmed", "processing", "shipped", "delivered", "cancelled"], [6, 18, 25, 27, 12, 12]),
    (
        30,
        ["pending", "confirmed", "processing", "shipped", "delivered", "closed", "cancelled"],
        [1, 2, 4, 12, 34, 35, 12],
    ),
    (10_000, ["shipped", "delivered", "closed", "cancelled"], [1, 3, 84, 12]),
]
CLOSE_AFTER = dt.timedelta(days=14)  # the default auto-close policy (R-SLA-3)
ORDER_COLS = [
    "id", "seller_id", "number", "source", "is_test", "customer_id", "customer_name", "customer_email",
    "customer_phone", "customer_phone_digits", "status", "payment_status", "fulfillment_status", "currency",
    "subtotal", "discount", "shipping_price", "total", "paid_amount", "refunded_amount", "shipping_method",
    "payment_method", "shipping_address", "address_errors", "manager_id", "stock_state", "created_at",
    "updated_at", "confirm_by", "ship_by", "confirmed_at", "processing_at", "shipped_at", "delivered_at",
    "closed_at", "cancelled_at", "cancel_reason", "cancel_comment", "close_by",
]  # fmt: skip
ORDER_DT = [
    "created_at", "updated_at", "confirm_by", "ship_by", "confirmed_at", "processing_at", "shipped_at",
    "delivered_at", "closed_at", "cancelled_at", "close_by",
]  # fmt: skip
LINE_COLS = [
    "id", "order_id", "product_id", "sku", "name", "quantity", "unit_price", "line_total",
    "quantity_fulfilled", "quantity_cancelled", "quantity_returned", "seller_id", "order_created_at",
]  # fmt: skip
EVENT_COLS = ["order_id", "type", "actor_kind", "actor_user_id", "actor_label", "data", "created_at"]
PAYMENT_COLS = [
    "order_id",
    "kind",
    "state",
    "amount",
    "currency",
    "provider",
    "reference",
    "created_at",
    "created_by_id",
]
CUSTOMER_COLS = ["id", "marketplace_id", "name", "email", "phone", "phone_digits", "created_at"]


@dataclass
class SellerCtx:
    seller: Seller
    products: list[tuple[int, str, str, Decimal]]  # physical: (id, sku, name, price)
    digital: list[tuple[int, str, str, Decimal]]
    staff: list[tuple[int, str]]  # (user id, label) of those who act on orders
    number: int
    tz: ZoneInfo
    ship_by: dict[dt.date, dt.datetime] = field(default_factory=dict)


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, label: str, stream: Any = None) -> None:
        self.total, self.label, self.stream = max(total, 1), label, stream or sys.stderr
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.5 and done < self.total:
            return
        self.last = now
        frac = min(done / self.total, 1.0)
        bar = "#" * int(frac * 30)
        elapsed = now - self.start
        eta = elapsed / frac - elapsed if frac > 0 else 0
        self.stream.write(
            f"\r  {self.label:<10} [{bar:<30}] {frac * 100:5.1f}% {done:>10,}/{self.total:,}"
            f"  {elapsed:6.1f}s  eta {eta:5.0f}s "
        )
        self.stream.flush()

    def done(self) -> None:
        self.update(self.total, force=True)
        self.stream.write("\n")
        self.stream.flush()


def bench_sellers() -> list[Seller]:
    return list(Seller.objects.filter(slug__in=[s[0] for s in SELLERS]).order_by("id"))


def existing_orders() -> int:
    return Order.objects.filter(seller__slug__in=[s[0] for s in SELLERS]).count()


def _setup(rng: random.Random) -> tuple[Marketplace, list[SellerCtx]]:
    """The marketplace, sellers, staff and catalogue (small: through the ORM)."""
    market, _ = Marketplace.objects.get_or_create(slug=MARKETPLACE, defaults={"name": "Bench Marketplace"})
    hashed = make_password(PASSWORD)
    ctxs = []
    for slug, name, country, tz, currency, _share in SELLERS:
        seller = Seller.objects.create(
            marketplace=market, slug=slug, name=name, country=country, time_zone=tz, currency=currency
        )
        users = []
        for role, count in [(Role.OWNER, 1), (Role.ADMINISTRATOR, 1), (Role.MANAGER, 4), (Role.VIEWER, 1)]:
            for i in range(count):
                email = f"{role.value}{i or ''}@{slug}.example"
                users.append(
                    User(
                        username=email,
                        email=email,
                        password=hashed,
                        seller=seller,
                        role=role.value,
                        first_name=rng.choice(["Anna", "Ivan", "Lena", "Jonas", "Olga", "Felix"]),
                        last_name=f"{role.value.title()}{i or ''}",
                    )
                )
        User.objects.bulk_create(users)
        scale = Decimal(40) if currency == "RUB" else Decimal(1)
        products = []
        for i in range(PRODUCTS_PER_SELLER):
            digital = i >= PRODUCTS_PER_SELLER - DIGITAL_PRODUCTS
            good = "E-book" if digital else rng.choice(GOODS)
            products.append(
                Product(
                    seller=seller,
                    sku=f"{'DIG' if digital else good[:3].upper()}-{i:04d}",
                    name=f"{good}, {rng.choice(FINISHES)}" if not digital else f"Glazing guide vol. {i}",
                    price=(Decimal(rng.randint(500, 15000)) / 100 * scale).quantize(Decimal("0.01")),
                    currency=currency,
                    stock=0,
                )
            )
        Product.objects.bulk_create(products)
        rows = list(
            Product.objects.filter(seller=seller).order_by("id").values_list("id", "sku", "name", "price")
        )
        staff = [
            (u.pk, u.get_full_name() or u.email)
            for u in User.objects.filter(
                seller=seller, role__in=[Role.MANAGER, Role.OWNER, Role.ADMINISTRATOR]
            )
        ]
        ctxs.append(
            SellerCtx(
                seller=seller,
                products=[r for r in rows if not r[1].startswith("DIG")],
                digital=[r for r in rows if r[1].startswith("DIG")],
                staff=staff,
                number=seller.next_order_number,
                tz=ZoneInfo(tz),
            )
        )
    return market, ctxs


def _customers(
    rng: random.Random, market: Marketplace, count: int, start: dt.datetime, out: Any
) -> tuple[int, list[Person]]:
    people = [person(rng, i) for i in range(count)]
    first_id = loader.next_id(Customer)
    writer = loader.TableWriter(Customer, CUSTOMER_COLS, ["created_at"])
    bar = Progress(count, "customers", out)
    for lo in range(0, count, CHUNK * 2):
        rows = []
        for i in range(lo, min(lo + CHUNK * 2, count)):
            p = people[i]
            rows.append(
                (
                    first_id + i,
                    market.pk,
                    p.name,
                    p.email,
                    p.phone,
                    p.phone_digits if p.phone else "",
                    start - dt.timedelta(days=rng.randint(1, 900)),
                )
            )
        with transaction.atomic():
            writer.write(rows)
        bar.update(min(lo + CHUNK * 2, count))
    bar.done()
    return first_id, people


def _after(rng: random.Random, t: dt.datetime, lo_min: float, hi_min: float, cap: dt.datetime) -> dt.datetime:
    return min(t + dt.timedelta(minutes=rng.uniform(lo_min, hi_min)), cap)


def generate(*, orders: int, customers: int, seed: int = 42, out: Any = None) -> dict[str, Any]:
    """Load the data set; returns counts and timings."""
    out = out or sys.stderr
    say = lambda msg: (out.write(f"  {msg}\n"), out.flush())  # noqa: E731
    rng = random.Random(seed)
    t0 = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    span_start = now - dt.timedelta(days=730)
    end = now - dt.timedelta(minutes=10)
    counts: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        market, ctxs = _setup(rng)
    models = [Customer, Order, OrderLine, OrderEvent, Payment]
    addr_errors = {c: [json.dumps(check_address(a)) for a in lst] for c, lst in ADDRESSES.items()}
    with loader.fast_session(), loader.indexes_dropped(models, say):
        first_customer, people = _customers(rng, market, customers, span_start, out)
        counts["customers"] = customers
        digits_cache: dict[tuple[int, str], str] = {}

        def snapshot_digits(ci: int, region: str) -> str:
            key = (ci, region)
            value = digits_cache.get(key)
            if value is None:
                value = digits_cache[key] = (
                    phones.normalize(people[ci].phone, region) if people[ci].phone else ""
                )
            return value

        # Creation times: denser towards today (the business grows), sorted, so numbers rise with time.
        span = (end - span_start).total_seconds()
        times = sorted(span * math.sqrt(rng.random()) for _ in range(orders))
        w_sellers = [s[5] for s in SELLERS]
        writers = {
            "order": loader.TableWriter(Order, ORDER_COLS, ORDER_DT),
            "line": loader.TableWriter(OrderLine, LINE_COLS, ["order_created_at"]),
            "event": loader.TableWriter(OrderEvent, EVENT_COLS, ["created_at"]),
            "payment": loader.TableWriter(Payment, PAYMENT_COLS, ["created_at"]),
        }
        order_id = loader.next_id(Order)
        line_id = loader.next_id(OrderLine)
        reserved: dict[int, int] = defaultdict(int)
        fstatus_cache: dict[tuple[str, str], str] = {}
        bar = Progress(orders, "orders", out)
        for lo in range(0, orders, CHUNK):
            o_rows: list[tuple[Any, ...]] = []
            l_rows: list[tuple[Any, ...]] = []
            e_rows: list[tuple[Any, ...]] = []
            p_rows: list[tuple[Any, ...]] = []
            for k in range(lo, min(lo + CHUNK, orders)):
                ctx = ctxs[0] if rng.random() < w_sellers[0] else ctxs[1]
                seller = ctx.seller
                created = span_start + dt.timedelta(seconds=times[k])
                age_days = (now - created).total_seconds() / 86400
                for limit, statuses, weights in BY_AGE:
                    if age_days < limit:
                        status = rng.choices(statuses, weights)[0]
                        break
                ship = rng.choices(*SHIPPING)[0]
                pay = rng.choices(*PAYMENT)[0]
                if status == "shipped" and is_hand_delivered(ship):
                    status = "delivered"
                ci = min(int(customers * rng.random() ** 1.6), customers - 1)
                p = people[ci]
                # lines
                pool = ctx.digital if ship == ShippingMethod.DIGITAL else ctx.products
                picked = rng.sample(pool, min(rng.choices(*LINES)[0], len(pool)))
                cur = seller.currency
                subtotal = ZERO
                delivered_like = status in ("shipped", "delivered", "closed")
                stock_state = (
                    "released"
                    if status == "cancelled"
                    else "reserved"
                    if status in ("pending", "confirmed")
                    else "deducted"
                )
                for pid, sku, pname, price in picked:
                    qty = rng.choices(*QTY)[0]
                    total_line = price * qty
                    subtotal += total_line
                    l_rows.append(
                        (
                            line_id,
                            order_id,
                            pid,
                            sku,
                            pname,
                            qty,
                            price,
                            total_line,
                            qty if delivered_like else 0,
                            0,
                            0,
                            seller.pk,
                            created,
                        )
                    )
                    line_id += 1
                    if stock_state == "reserved":
                        reserved[pid] += qty
                shipping_price = (
                    (Decimal("350") if cur == "RUB" else Decimal("4.90")) if ship == "carrier" else ZERO
                )
                discount = (
                    (subtotal * Decimal("0.1")).quantize(Decimal("0.01")) if rng.random() < 0.08 else ZERO
                )
                total = subtotal + shipping_price - discount
                # the lifecycle's timestamps
                manager = rng.choice(ctx.staff) if rng.random() < 0.6 else None
                actor = manager or ctx.staff[0]
                confirmed_at = processing_at = shipped_at = delivered_at = closed_at = cancelled_at = None
                ship_by = None
                t = created
                source = rng.choices(*SOURCE)[0]
                events: list[tuple[str, dict[str, Any], dt.datetime]] = [
                    (
                        "order_placed",
                        {"number": ctx.number, "total": str(total), "currency": cur, "source": source},
                        created,
                    )
                ]
                if manager:
                    events.append(
                        (
                            "manager_assigned",
                            {"manager": {"from": None, "to": manager[1]}},
                            _after(rng, t, 1, 60, end),
                        )
                    )
                prev = "pending"
                if status == "cancelled":
                    reached = rng.choices(["pending", "confirmed", "processing"], [60, 25, 15])[0]
                else:
                    reached = status
                path = ["confirmed", "processing", "shipped", "delivered", "closed"]
                goal = path.index(reached) + 1 if reached in path else 0
                for step in path[:goal]:
                    if step == "shipped" and is_hand_delivered(ship):
                        continue
                    t = _after(rng, t, *{"confirmed": (10, 1200), "processing": (30, 1440), "shipped": (60, 2880), "delivered": (1440, 7200), "closed": (1440, 14400)}[step], end)  # fmt: skip
                    data: dict[str, Any] = {"status": {"from": prev, "to": step}}
                    if step == "confirmed":
                        confirmed_at = t
                        day = t.astimezone(ctx.tz).date()
                        ship_by = ctx.ship_by.get(day)
                        if ship_by is None:
                            ship_by = ctx.ship_by[day] = deadlines.ship_by(
                                t,
                                business_days=seller.ship_within_business_days,
                                country=seller.country,
                                time_zone=seller.time_zone,
                            )
                        data["ship_by"] = ship_by.isoformat()
                    elif step == "processing":
                        processing_at = t
                    elif step == "shipped":
                        shipped_at = t
                    elif step == "delivered":
                        delivered_at = t
                    else:
                        closed_at = t
                    events.append((f"order_{step}", data, t))
                    prev = step
                reason = ""
                if status == "cancelled":
                    t = cancelled_at = _after(rng, t, 10, 4320, end)
                    reason = rng.choices(*CANCEL)[0]
                    events.append(
                        (
                            "order_cancelled",
                            {"status": {"from": prev, "to": "cancelled"}, "reason": reason, "comment": ""},
                            t,
                        )
                    )
                # payments: what the guards require, and the usual habits of each method
                paid = refunded = ZERO
                on_delivery = pay in PAY_ON_DELIVERY
                if on_delivery:
                    pays = status in ("delivered", "closed")
                    when = delivered_at
                elif pay == "online":
                    pays = status in ("shipped", "delivered", "closed") or rng.random() < (
                        0.35 if prev == "pending" else 0.9
                    )
                    when = _after(rng, created, 0.5, 30, end)
                else:
                    pays = status in ("shipped", "delivered", "closed") or (
                        prev != "pending" and rng.random() < 0.6
                    )
                    when = confirmed_at or _after(rng, created, 60, 1440, end)
                if pays and total > 0:
                    amount = total
                    if (
                        status not in ("shipped", "delivered", "closed")
                        and not on_delivery
                        and rng.random() < 0.05
                    ):
                        amount = (total / 2).quantize(Decimal("0.01"))
                    paid = amount
                    when = when or t
                    online = pay == "online"
                    p_rows.append(
                        (order_id, "capture" if online else "offline", "succeeded", amount, cur,
                         "sandbox" if online else "manual", f"pi_{order_id:x}" if online else "",
                         when, None if online else actor[0])
                    )  # fmt: skip
                    events.append(("payment_recorded", {"amount": str(amount), "currency": cur}, when))
                    refund = ZERO
                    if status == "cancelled":
                        refund = amount
                    elif status == "closed" and rng.random() < 0.03:
                        refund = (amount * Decimal("0.2")).quantize(Decimal("0.01"))
                    if refund > 0:
                        refunded = refund
                        rt = cancelled_at or _after(rng, t, 60, 2880, end)
                        p_rows.append(
                            (
                                order_id,
                                "refund",
                                "succeeded",
                                refund,
                                cur,
                                "sandbox" if online else "manual",
                                "",
                                rt,
                                actor[0],
                            )
                        )
                        events.append(("refund_recorded", {"amount": str(refund), "currency": cur}, rt))
                payment_status = derive_payment_status(
                    Ledger(total=total, paid=paid, refunded=refunded, pending=False)
                ).value
                fkey = (status, ship)
                fstatus = fstatus_cache.get(fkey)
                if fstatus is None:
                    fstatus = fstatus_cache[fkey] = derive_fulfillment_status(
                        Status(status), ship, [LineQty(1, 1 if delivered_like else 0, 0, 0)]
                    ).value
                if not needs_address(ship):
                    address, errors = {}, "{}"
                else:
                    ai = rng.choices(range(len(ADDRESSES[seller.country])), ADDRESS_WEIGHTS)[0]
                    address = dict(ADDRESSES[seller.country][ai])
                    address["line1"] = f"{address['line1']}, {rng.randint(1, 140)}"
                    errors = addr_errors[seller.country][ai]
                last = max(e[2] for e in events)
                o_rows.append(
                    (
                        order_id, seller.pk, ctx.number, source, False, first_customer + ci,
                        p.name, p.email.lower(), p.phone, snapshot_digits(ci, seller.country) if p.phone else "",
                        status, payment_status, fstatus, cur,
                        subtotal, discount, shipping_price, total, paid, refunded, ship, pay,
                        json.dumps(address, ensure_ascii=False), errors, manager[0] if manager else None, stock_state,
                        created, last, deadlines.confirm_by(created, seller.confirm_within_hours), ship_by,
                        confirmed_at, processing_at, shipped_at, delivered_at, closed_at, cancelled_at, reason, "",
                        created + CLOSE_AFTER,
                    )
                )  # fmt: skip
                for etype, edata, et in events:
                    staff_event = etype != "order_placed"
                    e_rows.append(
                        (
                            order_id, etype, "staff" if staff_event else "integration",
                            actor[0] if staff_event else None, actor[1] if staff_event else "bench API key",
                            json.dumps(edata, ensure_ascii=False), et,
                        )
                    )  # fmt: skip
                ctx.number += 1
                order_id += 1
            with transaction.atomic():
                writers["order"].write(o_rows)
                writers["line"].write(l_rows)
                writers["event"].write(e_rows)
                writers["payment"].write(p_rows)
            counts["orders"] += len(o_rows)
            counts["lines"] += len(l_rows)
            counts["events"] += len(e_rows)
            counts["payments"] += len(p_rows)
            bar.update(counts["orders"])
        bar.done()
        with transaction.atomic():
            for ctx in ctxs:
                Seller.objects.filter(pk=ctx.seller.pk).update(next_order_number=ctx.number)
                products = list(Product.objects.filter(seller=ctx.seller))
                for prod in products:
                    prod.reserved = reserved.get(prod.pk, 0)
                    prod.stock = prod.reserved + 1_000_000
                Product.objects.bulk_update(products, ["reserved", "stock"], batch_size=500)
        loader.reset_sequences(models)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts["seconds"] = round(time.monotonic() - t0, 1)  # type: ignore[assignment]  # the counts are ints except this one figure
    return dict(counts)
