"""The earnings ledger of an order (R-PAY-8) and a seller's balance.

Per order the rows balance: customer money in = refunds + commission + seller earnings
(`SIGN` in models.py). `post_order` is the one writer: it compares what the ledger holds with what
the order says (money paid and refunded, the commission once it is closed) and appends the
differences, the seller's row last, so that every call leaves the order balanced and a second call
writes nothing. Test orders never count.

A seller amount is *pending* while its order is open, *available* once the order is delivered or
closed, *held* while a cancelled order still owes the customer a refund, and *paid out* once a
payout includes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from sellerdesk.core.money import ZERO, fmt, quantize
from sellerdesk.orders.models import Order, OrderLine
from sellerdesk.orders.states import Status

from .models import SIGN, CategoryRate, EarningsEntry, EntryKind, Payout, SellerPlan, TariffPlan

SETTLED = (Status.DELIVERED, Status.CLOSED)  # the seller's amount is available
HELD = (Status.CANCELLED,)  # what is left waits for its refund
HUNDRED = Decimal(100)


def sums_of(order: Order) -> dict[str, Decimal]:
    """What the order's ledger holds per kind (one query)."""
    return _Postings.load([order]).sums[order.pk]


def balance_of(sums: dict[str, Decimal]) -> Decimal:
    """Money in minus where it went: zero for every order."""
    return sum((SIGN[kind] * amount for kind, amount in sums.items()), ZERO)


def plan_of(seller_id: int) -> TariffPlan | None:
    row = SellerPlan.objects.select_related("plan").filter(seller_id=seller_id).first()
    return row.plan if row is not None else None


@dataclass(frozen=True)
class _Line:
    kept: int
    unit_price: Decimal
    category: str


def commission_for(
    order: Order, plan: TariffPlan | None, rates: dict[str, Decimal], lines: list[_Line]
) -> Decimal:
    """The plan's commission on the order: per line the category's percentage (or the plan's) of the
    units kept, plus the fixed fee when the order is in the plan's currency; never more than the
    money the marketplace keeps of it (paid − refunded). Rounded once, to the order's currency."""
    if plan is None:
        return ZERO
    amount = ZERO
    for line in lines:
        percent = rates.get(line.category, plan.percent) if line.category else plan.percent
        amount += line.unit_price * line.kept * percent / HUNDRED
    if plan.currency == order.currency:
        amount += plan.fixed_fee
    kept_money = order.paid_amount - order.refunded_amount
    return max(ZERO, min(quantize(amount, order.currency), kept_money))


class _Postings:
    """The earnings rule over many orders at once (R-PAY-8): what their ledgers hold, read with one
    query; the plans of their sellers and the lines of the orders charged now, read once, when the
    first order needs them; the rows to append, written with one INSERT (`flush`). The single-order
    path is a batch of one, so the rule exists once and a chunk of the deadline sweep costs the same
    few statements whatever the number of orders it closes."""

    def __init__(self, orders: Iterable[Order]) -> None:
        self.orders = {o.pk: o for o in orders}
        self.sums: dict[int, dict[str, Decimal]] = {}
        self.charged: set[int] = set()
        self.rows: list[EarningsEntry] = []
        self._plans: dict[int, tuple[TariffPlan, dict[str, Decimal]]] | None = None
        self._lines: dict[int, list[_Line]] | None = None

    @classmethod
    def load(cls, orders: Iterable[Order]) -> _Postings:
        self = cls(orders)
        for pk in self.orders:
            self.sums[pk] = {kind.value: ZERO for kind in EntryKind}
        rows = (
            EarningsEntry.objects.filter(order_id__in=list(self.orders))
            .values("order_id", "kind")
            .annotate(s=Sum("amount"))
            .order_by()
        )
        for row in rows:
            # SQLite sums decimals as floats: back to the currency's minor unit (exact on PostgreSQL).
            currency = self.orders[row["order_id"]].currency
            self.sums[row["order_id"]][row["kind"]] = quantize(Decimal(row["s"] or 0), currency)
            if row["kind"] == EntryKind.COMMISSION:
                self.charged.add(row["order_id"])  # its row (even of zero) marks it charged
        return self

    def plan(self, seller_id: int) -> tuple[TariffPlan | None, dict[str, Decimal]]:
        if self._plans is None:
            sellers = {o.seller_id for o in self.orders.values()}
            links = list(SellerPlan.objects.select_related("plan").filter(seller_id__in=sellers))
            rates: dict[int, dict[str, Decimal]] = defaultdict(dict)
            for rate in CategoryRate.objects.filter(plan_id__in={sp.plan_id for sp in links}):
                rates[rate.plan_id][rate.category] = rate.percent
            self._plans = {sp.seller_id: (sp.plan, rates[sp.plan_id]) for sp in links}
        return self._plans.get(seller_id, (None, {}))

    def lines(self, order_id: int) -> list[_Line]:
        if self._lines is None:
            self._lines = defaultdict(list)
            for row in OrderLine.objects.filter(order_id__in=list(self.orders)).values_list(
                "order_id",
                "quantity",
                "quantity_cancelled",
                "quantity_returned",
                "unit_price",
                "product__category",
            ):
                oid, qty, cancelled, returned, price, category = row
                self._lines[oid].append(_Line(qty - cancelled - returned, price, category or ""))
        return self._lines.get(order_id, [])

    def post(self, order: Order) -> dict[str, Decimal]:
        """Bring the order's rows in line with the order (its fields in memory); what the ledger
        holds afterwards. The commission is charged once, when the order is closed."""
        have = self.sums[order.pk]
        want = {
            EntryKind.PAYMENT.value: order.paid_amount,
            EntryKind.REFUND.value: order.refunded_amount,
            EntryKind.COMMISSION.value: have[EntryKind.COMMISSION],
        }
        charge = order.status == Status.CLOSED and order.pk not in self.charged
        if charge:
            plan, rates = self.plan(order.seller_id)
            lines = self.lines(order.pk) if plan is not None else []
            want[EntryKind.COMMISSION] = commission_for(order, plan, rates, lines)
            self.charged.add(order.pk)
        want[EntryKind.SELLER] = want[EntryKind.PAYMENT] - want[EntryKind.REFUND] - want[EntryKind.COMMISSION]
        self.rows += [
            EarningsEntry(
                seller_id=order.seller_id,
                order=order,
                kind=kind,
                amount=want[kind] - have[kind],
                currency=order.currency,
            )
            for kind in (EntryKind.PAYMENT, EntryKind.REFUND, EntryKind.COMMISSION, EntryKind.SELLER)
            if want[kind] != have[kind] or (kind == EntryKind.COMMISSION and charge)
        ]
        self.sums[order.pk] = want
        return want

    def flush(self) -> list[EarningsEntry]:
        rows, self.rows = self.rows, []
        return EarningsEntry.objects.bulk_create(rows) if rows else []


_batch: ContextVar[_Postings | None] = ContextVar("earnings_postings", default=None)


@contextmanager
def postings_batched(orders: Iterable[Order]) -> Iterator[None]:
    """Post the earnings of `orders` made inside (`post_order`, `charge_on_close`) together: their
    ledgers, plans and lines read once, their new rows written with one INSERT at the end (for
    set-based writers that close many orders in one transaction, e.g. the deadline sweep). The
    caller holds the orders' locks."""
    postings = _Postings.load(o for o in orders if not o.is_test)
    token = _batch.set(postings)
    try:
        yield
    finally:
        _batch.reset(token)
    postings.flush()


def _postings_of(order: Order) -> tuple[_Postings, bool]:
    """The batch the order belongs to, or a batch of its own (True: the caller flushes it)."""
    batch = _batch.get()
    if batch is not None and order.pk in batch.orders:
        return batch, False
    return _Postings.load([order]), True


def post_order(order: Order) -> None:
    """Bring the order's earnings rows in line with the order (in memory fields). Caller holds the lock.

    The commission is charged once, when the order is closed: its row (even of zero) marks it charged.
    """
    if order.is_test:
        return
    postings, own = _postings_of(order)
    postings.post(order)
    if own:
        postings.flush()


# --- a seller's balance -----------------------------------------------------------------------
@dataclass(frozen=True)
class Balance:
    currency: str
    pending: Decimal = ZERO
    held: Decimal = ZERO
    available: Decimal = ZERO
    paid_out: Decimal = ZERO


def balances(*, seller_id: int) -> list[Balance]:
    """The seller's balance per currency (every figure from the ledger and the payouts)."""
    figures: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    rows = (
        EarningsEntry.objects.filter(seller_id=seller_id, kind=EntryKind.SELLER, payout_item__isnull=True)
        .values("currency", "order__status")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for row in rows:
        status = row["order__status"]
        bucket = "available" if status in SETTLED else "held" if status in HELD else "pending"
        figures[row["currency"]][bucket] += quantize(Decimal(row["s"] or 0), row["currency"])
    payouts = (
        Payout.objects.filter(seller_id=seller_id).values("currency").annotate(s=Sum("amount")).order_by()
    )
    for row in payouts:
        figures[row["currency"]]["paid_out"] += quantize(Decimal(row["s"] or 0), row["currency"])
    return [Balance(currency=c, **dict(f)) for c, f in sorted(figures.items())]


def available_entries(*, seller_id: int, currency: str) -> list[EarningsEntry]:
    """The seller entries a payout in `currency` would include now."""
    return list(
        EarningsEntry.objects.filter(
            seller_id=seller_id,
            kind=EntryKind.SELLER,
            currency=currency,
            payout_item__isnull=True,
            order__status__in=list(SETTLED),
        ).order_by("id")
    )


def charge_on_close(order: Order) -> dict[str, str]:
    """Post the closing order (its commission is charged now); what the `order_closed` event says of it
    (nothing for a test order)."""
    if order.is_test:
        return {}
    postings, own = _postings_of(order)
    sums = postings.post(order)
    if own:
        postings.flush()
    plan = postings.plan(order.seller_id)[0]
    out = {
        "commission": fmt(sums[EntryKind.COMMISSION], order.currency),
        "seller_amount": fmt(sums[EntryKind.SELLER], order.currency),
    }
    if plan is not None:
        out["plan"] = plan.name
    return out
