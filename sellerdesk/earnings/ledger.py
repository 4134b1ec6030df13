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
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from sellerdesk.core.money import ZERO, fmt, quantize
from sellerdesk.orders.models import Order
from sellerdesk.orders.states import Status

from .models import SIGN, EarningsEntry, EntryKind, Payout, SellerPlan, TariffPlan

SETTLED = (Status.DELIVERED, Status.CLOSED)  # the seller's amount is available
HELD = (Status.CANCELLED,)  # what is left waits for its refund
HUNDRED = Decimal(100)


def sums_of(order: Order) -> dict[str, Decimal]:
    """What the order's ledger holds per kind (one query)."""
    rows = EarningsEntry.objects.filter(order=order).values("kind").annotate(s=Sum("amount")).order_by()
    out = {kind.value: ZERO for kind in EntryKind}
    for row in rows:
        # SQLite sums decimals as floats: back to the currency's minor unit (exact on PostgreSQL).
        out[row["kind"]] = quantize(Decimal(row["s"] or 0), order.currency)
    return out


def balance_of(sums: dict[str, Decimal]) -> Decimal:
    """Money in minus where it went: zero for every order."""
    return sum((SIGN[kind] * amount for kind, amount in sums.items()), ZERO)


def plan_of(seller_id: int) -> TariffPlan | None:
    row = SellerPlan.objects.select_related("plan").filter(seller_id=seller_id).first()
    return row.plan if row is not None else None


def commission_for(order: Order, plan: TariffPlan | None) -> Decimal:
    """The plan's commission on the order: per line the category's percentage (or the plan's) of the
    units kept, plus the fixed fee when the order is in the plan's currency; never more than the
    money the marketplace keeps of it (paid − refunded). Rounded once, to the order's currency."""
    if plan is None:
        return ZERO
    rates = {r.category: r.percent for r in plan.category_rates.all()}
    amount = ZERO
    for line in order.lines.select_related("product"):
        kept = line.quantity - line.quantity_cancelled - line.quantity_returned
        percent = rates.get(line.product.category, plan.percent) if line.product.category else plan.percent
        amount += line.unit_price * kept * percent / HUNDRED
    if plan.currency == order.currency:
        amount += plan.fixed_fee
    kept_money = order.paid_amount - order.refunded_amount
    return max(ZERO, min(quantize(amount, order.currency), kept_money))


def post_order(order: Order) -> list[EarningsEntry]:
    """Bring the order's earnings rows in line with the order (in memory fields). Caller holds the lock.

    The commission is charged once, when the order is closed: its row (even of zero) marks it charged.
    """
    if order.is_test:
        return []
    have = sums_of(order)
    charged = EarningsEntry.objects.filter(order=order, kind=EntryKind.COMMISSION).exists()
    want = {
        EntryKind.PAYMENT.value: order.paid_amount,
        EntryKind.REFUND.value: order.refunded_amount,
        EntryKind.COMMISSION.value: have[EntryKind.COMMISSION],
    }
    charge = order.status == Status.CLOSED and not charged
    if charge:
        want[EntryKind.COMMISSION] = commission_for(order, plan_of(order.seller_id))
    want[EntryKind.SELLER] = want[EntryKind.PAYMENT] - want[EntryKind.REFUND] - want[EntryKind.COMMISSION]
    rows = [
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
    return EarningsEntry.objects.bulk_create(rows)


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
    post_order(order)
    sums = sums_of(order)
    plan = plan_of(order.seller_id)
    out = {
        "commission": fmt(sums[EntryKind.COMMISSION], order.currency),
        "seller_amount": fmt(sums[EntryKind.SELLER], order.currency),
    }
    if plan is not None:
        out["plan"] = plan.name
    return out
