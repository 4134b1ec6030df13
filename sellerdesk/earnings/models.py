"""Seller earnings (R-PAY-8): tariff plans, the per-order earnings ledger, payouts; and the amount-change
requests the marketplace operator decides (R-PROC-6)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from sellerdesk.orders.models import money_field


def percent_field() -> models.DecimalField:  # type: ignore[type-arg]  # DecimalField's generic parameters add nothing here
    """A percentage with two decimals: 12.50 means 12.5 %."""
    return models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))


class TariffPlan(models.Model):
    """A marketplace's commission plan: a percentage of the goods and/or a fixed fee per order.

    The fixed fee is in the plan's currency and is charged only on orders in that currency (money is
    never converted silently). Category rates replace the percentage for lines of that category.
    """

    marketplace = models.ForeignKey("accounts.Marketplace", on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=100)
    percent = percent_field()
    fixed_fee = money_field()
    currency = models.CharField(max_length=3, default="EUR")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["marketplace", "name"], name="plan_unique_name"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="plan_percent_range"
            ),
            models.CheckConstraint(condition=models.Q(fixed_fee__gte=0), name="plan_fixed_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryRate(models.Model):
    """The percentage a plan charges on lines of one product category instead of its own."""

    plan = models.ForeignKey(TariffPlan, on_delete=models.CASCADE, related_name="category_rates")
    category = models.CharField(max_length=64)
    percent = percent_field()

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "category"], name="rate_unique_category"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100), name="rate_percent_range"
            ),
        ]


class SellerPlan(models.Model):
    """The plan assigned to a seller. A seller without one pays no commission."""

    seller = models.OneToOneField("accounts.Seller", on_delete=models.CASCADE, related_name="tariff")
    plan = models.ForeignKey(TariffPlan, on_delete=models.PROTECT, related_name="sellers")
    assigned_at = models.DateTimeField(auto_now=True)


class EntryKind(models.TextChoices):
    PAYMENT = "payment", "Customer payment"
    REFUND = "refund", "Refund"
    COMMISSION = "commission", "Commission"
    SELLER = "seller", "Seller earnings"


# How each kind counts in the per-order balance: money in = refunds + commission + seller earnings.
SIGN: dict[str, int] = {
    EntryKind.PAYMENT: 1,
    EntryKind.REFUND: -1,
    EntryKind.COMMISSION: -1,
    EntryKind.SELLER: -1,
}


class EarningsEntry(models.Model):
    """One row of an order's earnings ledger. Append-only: a correction is a new row (negative allowed)."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="earnings")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    amount = money_field()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "kind", "currency"], name="earnings_seller_kind")]


class Payout(models.Model):
    """Money paid to a seller: the available seller entries it includes (PayoutItem)."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="payouts")
    amount = money_field()
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive")
        ]


class PayoutItem(models.Model):
    """An entry included in a payout; each entry is paid out at most once."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="items")
    entry = models.OneToOneField(EarningsEntry, on_delete=models.PROTECT, related_name="payout_item")


class RequestState(models.TextChoices):
    OPEN = "open", "Open"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"


class AmountChangeRequest(models.Model):
    """An amount change of an order past `confirmed` (R-PROC-6): the operator approves or denies it."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="amount_requests")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    amount_before = money_field()
    amount_after = money_field()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=500)
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.OPEN)
    requested_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(state="open"), name="one_open_request_per_order"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_after__gte=0), name="request_amount_not_negative"
            ),
        ]
