"""Reads of earnings: a seller's payouts and statements, recent order earnings; the operator's overviews."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from sellerdesk.accounts.models import Seller
from sellerdesk.core.money import ZERO, quantize
from sellerdesk.orders.models import Order

from .ledger import Balance, balances
from .models import AmountChangeRequest, EarningsEntry, EntryKind, Payout, RequestState, TariffPlan


def payouts_of(*, seller_id: int, limit: int = 200) -> list[Payout]:
    return list(Payout.objects.filter(seller_id=seller_id).order_by("-id")[:limit])


def payout_get(*, seller_id: int, payout_id: int | str) -> Payout | None:
    try:
        pk = int(payout_id)
    except (TypeError, ValueError):
        return None
    return Payout.objects.filter(seller_id=seller_id, pk=pk).first()


@dataclass(frozen=True)
class StatementLine:
    number: int
    status: str
    amount: Decimal


def statement(payout: Payout) -> list[StatementLine]:
    """What a payout consists of: per order, its part (the statement a seller reconciles)."""
    rows = (
        EarningsEntry.objects.filter(payout_item__payout=payout)
        .values("order__number", "order__status")
        .annotate(s=Sum("amount"))
        .order_by("order__number")
    )
    return [
        StatementLine(r["order__number"], r["order__status"], quantize(Decimal(r["s"] or 0), payout.currency))
        for r in rows
    ]


@dataclass(frozen=True)
class OrderEarnings:
    number: int
    status: str
    currency: str
    paid: Decimal
    refunded: Decimal
    commission: Decimal
    seller: Decimal


def recent_order_earnings(*, seller_id: int, limit: int = 50) -> list[OrderEarnings]:
    """The latest orders with earnings rows: money in, refunds, commission and the seller's amount."""
    numbers = list(
        EarningsEntry.objects.filter(seller_id=seller_id)
        .values_list("order_id", flat=True)
        .order_by("-order_id")
        .distinct()[:limit]
    )
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in (
        EarningsEntry.objects.filter(order_id__in=numbers)
        .values("order_id", "kind")
        .annotate(s=Sum("amount"))
    ).order_by():
        sums[row["order_id"]][row["kind"]] = Decimal(row["s"] or 0)
    orders = Order.objects.filter(pk__in=numbers).only("number", "status", "currency").order_by("-number")
    return [
        OrderEarnings(
            number=o.number,
            status=o.status,
            currency=o.currency,
            **{
                name: quantize(sums[o.pk][kind], o.currency)
                for name, kind in (
                    ("paid", EntryKind.PAYMENT),
                    ("refunded", EntryKind.REFUND),
                    ("commission", EntryKind.COMMISSION),
                    ("seller", EntryKind.SELLER),
                )
            },
        )
        for o in orders
    ]


# --- the operator's overviews (always within one marketplace) ---------------------------------
@dataclass(frozen=True)
class SellerRow:
    seller: Seller
    plan: TariffPlan | None
    balances: list[Balance]


def sellers_of_market(*, marketplace_id: int) -> list[SellerRow]:
    sellers = (
        Seller.objects.filter(marketplace_id=marketplace_id).select_related("tariff__plan").order_by("name")
    )
    out = []
    for s in sellers:
        tariff = getattr(s, "tariff", None)
        out.append(SellerRow(s, tariff.plan if tariff else None, balances(seller_id=s.pk)))
    return out


def plans_of_market(*, marketplace_id: int) -> list[TariffPlan]:
    return list(TariffPlan.objects.filter(marketplace_id=marketplace_id).prefetch_related("category_rates"))


def payouts_of_market(*, marketplace_id: int, limit: int = 200) -> list[Payout]:
    return list(
        Payout.objects.filter(seller__marketplace_id=marketplace_id)
        .select_related("seller")
        .order_by("-id")[:limit]
    )


def payout_of_market(*, marketplace_id: int, payout_id: int | str) -> Payout | None:
    try:
        pk = int(payout_id)
    except (TypeError, ValueError):
        return None
    return (
        Payout.objects.filter(seller__marketplace_id=marketplace_id, pk=pk).select_related("seller").first()
    )


def requests_of_market(
    *, marketplace_id: int, state: str | None = RequestState.OPEN
) -> list[AmountChangeRequest]:
    qs = AmountChangeRequest.objects.filter(seller__marketplace_id=marketplace_id).select_related(
        "order", "seller"
    )
    if state:
        qs = qs.filter(state=state)
    return list(qs.order_by("-id")[:200])
