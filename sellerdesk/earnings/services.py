"""Writers of the marketplace operator (R-PAY-8): tariff plans, their assignment, payouts.

Every operator writer takes the operator's `User` and resolves each id within the operator's
marketplace: a seller or plan of another marketplace is exactly as unknown as an id that does not
exist (404).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller, User
from sellerdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sellerdesk.core.money import ZERO, check_currency, fmt, quantize
from sellerdesk.orders.events import record_events
from sellerdesk.orders.models import Order

from .events import EarningsPaidOut
from .ledger import available_entries
from .models import CategoryRate, Payout, PayoutItem, SellerPlan, TariffPlan


def require_operator(user: User) -> int:
    """The id of the marketplace `user` operates; 403 for anyone else."""
    if not user.is_operator or user.operator_of_id is None:
        raise Forbidden("not_operator", "Only the marketplace operator may do this.")
    return user.operator_of_id


def operator_actor(user: User) -> Actor:
    """The operator as the actor of the order events they cause (decisions, payouts)."""
    return Actor("staff", None, "operator", f"{user.label} (marketplace)", user)


def seller_of(operator: User, seller_id: int | str) -> Seller:
    market_id = require_operator(operator)
    seller = Seller.objects.filter(pk=_int(seller_id), marketplace_id=market_id).first()
    if seller is None:
        raise NotFound("seller_not_found", "The marketplace has no such seller.")
    return seller


def plan_of_market(operator: User, plan_id: int | str) -> TariffPlan:
    market_id = require_operator(operator)
    plan = TariffPlan.objects.filter(pk=_int(plan_id), marketplace_id=market_id).first()
    if plan is None:
        raise NotFound("plan_not_found", "The marketplace has no such tariff plan.", field="plan_id")
    return plan


def _int(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def parse_percent(value: str | Decimal, field: str = "percent") -> Decimal:
    try:
        percent = Decimal(str(value).strip() or "0")
    except InvalidOperation:
        raise InvalidInput(
            "invalid_percent", "A percentage is a number from 0 to 100.", field=field
        ) from None
    if not percent.is_finite() or not ZERO <= percent <= 100:
        raise InvalidInput("invalid_percent", "A percentage is a number from 0 to 100.", field=field)
    return percent.quantize(Decimal("0.01"))


def parse_rates(text: str) -> dict[str, Decimal]:
    """Category rates from lines of 'category: percent' (the operator's form)."""
    rates: dict[str, Decimal] = {}
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        category, sep, percent = raw.partition(":")
        if not sep or not category.strip():
            raise InvalidInput(
                "invalid_rates", "Write one 'category: percent' per line.", field="category_rates"
            )
        rates[category.strip()[:64]] = parse_percent(percent, "category_rates")
    return rates


def plan_save(
    *,
    operator: User,
    name: str,
    percent: str | Decimal,
    fixed_fee: str | Decimal = "0",
    currency: str = "EUR",
    category_rates: dict[str, Decimal] | None = None,
    plan_id: int | None = None,
) -> TariffPlan:
    """Create a tariff plan, or change one (`plan_id`). A change applies to orders closed afterwards."""
    market_id = require_operator(operator)
    name = (name or "").strip()[:100]
    if not name:
        raise InvalidInput("name_required", "A plan needs a name.", field="name")
    currency = check_currency(currency)
    pct = parse_percent(percent)
    try:
        fee = quantize(Decimal(str(fixed_fee).strip() or "0"), currency)
    except InvalidOperation:
        raise InvalidInput("invalid_amount", "The fixed fee is an amount.", field="fixed_fee") from None
    if not fee.is_finite() or fee < 0:
        raise InvalidInput("invalid_amount", "The fixed fee cannot be negative.", field="fixed_fee")
    with transaction.atomic():
        plan = (
            plan_of_market(operator, plan_id) if plan_id is not None else TariffPlan(marketplace_id=market_id)
        )
        plan.name, plan.percent, plan.fixed_fee, plan.currency = name, pct, fee, currency
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise Conflict("plan_exists", f"The marketplace has a plan named {name!r} already.") from None
        if category_rates is not None:
            plan.category_rates.all().delete()
            CategoryRate.objects.bulk_create(
                CategoryRate(plan=plan, category=c, percent=p) for c, p in category_rates.items()
            )
    return plan


def plan_assign(*, operator: User, seller_id: int | str, plan_id: int | str | None) -> Seller:
    """Put a seller on a plan (None: no plan, no commission)."""
    with transaction.atomic():
        seller = seller_of(operator, seller_id)
        if plan_id in (None, ""):
            SellerPlan.objects.filter(seller=seller).delete()
            return seller
        plan = plan_of_market(operator, plan_id)  # type: ignore[arg-type]  # None and "" handled above
        SellerPlan.objects.update_or_create(seller=seller, defaults={"plan": plan})
    return seller


def payout_create(*, operator: User, seller_id: int | str, currency: str, reference: str = "") -> Payout:
    """Pay a seller everything available in `currency`: one payout including each available entry once.

    The seller row is locked, so two payouts at once cannot include the same entries; each order whose
    earnings it includes gets an `earnings_paid_out` event.
    """
    currency = check_currency(currency)
    with transaction.atomic():
        seller = seller_of(operator, seller_id)
        Seller.objects.select_for_update().filter(pk=seller.pk).first()
        entries = available_entries(seller_id=seller.pk, currency=currency)
        amount = sum((e.amount for e in entries), ZERO)
        if amount <= 0:
            raise Conflict(
                "nothing_to_pay_out",
                f"{seller.name} has nothing available in {currency} to pay out.",
                available=fmt(amount, currency),
            )
        payout = Payout.objects.create(
            seller=seller,
            amount=amount,
            currency=currency,
            reference=(reference or "").strip()[:200],
            created_by=operator,
        )
        PayoutItem.objects.bulk_create(PayoutItem(payout=payout, entry=e) for e in entries)
        per_order: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for e in entries:
            per_order[e.order_id] += e.amount
        orders = Order.objects.in_bulk(list(per_order))
        record_events(
            operator_actor(operator),
            [
                (
                    orders[oid],
                    EarningsPaidOut(payout_id=payout.pk, amount=fmt(part, currency), currency=currency),
                )
                for oid, part in sorted(per_order.items())
                if part != 0
            ],
        )
    return payout
