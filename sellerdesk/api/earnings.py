"""/api/v1/balance and /api/v1/payouts: the seller's earnings (R-PAY-8). Handlers only parse and call."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sellerdesk.core.errors import NotFound
from sellerdesk.core.money import fmt
from sellerdesk.earnings import selectors
from sellerdesk.earnings.ledger import balances
from sellerdesk.earnings.models import Payout

from . import auth

router = Router(tags=["earnings"])
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


class BalanceOut(Schema):
    currency: str
    pending: str
    available: str
    held: str
    paid_out: str


class PayoutOut(Schema):
    id: int
    amount: str
    currency: str
    reference: str
    created_at: str


class StatementLineOut(Schema):
    number: int
    status: str
    amount: str


class PayoutDetailOut(PayoutOut):
    orders: list[StatementLineOut]


def _payout(p: Payout) -> dict[str, Any]:
    return {
        "id": p.pk,
        "amount": fmt(p.amount, p.currency),
        "currency": p.currency,
        "reference": p.reference,
        "created_at": p.created_at.isoformat(),
    }


@router.get(
    "/balance",
    response={200: list[BalanceOut], **ERRORS},
    summary="Balance per currency: pending, available, held for refunds, paid out",
)
def get_balance(request: HttpRequest):  # type: ignore[no-untyped-def]  # ninja takes the response types from the decorator
    return [
        {
            "currency": b.currency,
            "pending": fmt(b.pending, b.currency),
            "available": fmt(b.available, b.currency),
            "held": fmt(b.held, b.currency),
            "paid_out": fmt(b.paid_out, b.currency),
        }
        for b in balances(seller_id=auth.api_key(request).seller_id)
    ]


@router.get("/payouts", response={200: list[PayoutOut], **ERRORS}, summary="Payouts, newest first")
def list_payouts(request: HttpRequest):  # type: ignore[no-untyped-def]  # ninja takes the response types from the decorator
    return [_payout(p) for p in selectors.payouts_of(seller_id=auth.api_key(request).seller_id)]


@router.get(
    "/payouts/{payout_id}",
    response={200: PayoutDetailOut, **ERRORS},
    summary="A payout statement: its orders",
)
def get_payout(request: HttpRequest, payout_id: str):  # type: ignore[no-untyped-def]  # ninja takes the response types from the decorator
    payout = selectors.payout_get(seller_id=auth.api_key(request).seller_id, payout_id=payout_id)
    if payout is None:
        raise NotFound("payout_not_found", f"There is no payout {payout_id!r}.")
    lines = [
        {"number": line.number, "status": line.status, "amount": fmt(line.amount, payout.currency)}
        for line in selectors.statement(payout)
    ]
    return {**_payout(payout), "orders": lines}
