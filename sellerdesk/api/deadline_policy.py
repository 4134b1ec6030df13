"""GET /api/v1/deadline-policy: the seller's deadline policy (R-SLA) and its coming days off.

Read-only here; owners and administrators change it on the dashboard's deadline settings page
(the rules: sellerdesk/orders/policy.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from sellerdesk.orders.deadlines import DeadlinePolicy
from sellerdesk.orders.policy import upcoming_days_off

from . import auth

router = Router(tags=["deadlines"])
ERRORS: dict[int, Any] = {}  # error answers are documented from each operation's shape (openapi.py)


class DayOffOut(Schema):
    day: dt.date
    name: str
    own: bool = Field(description="One of the seller's own days off (not a public holiday)")


class DeadlinePolicyOut(Schema):
    time_zone: str = Field(description="IANA time zone of the seller's business days")
    country: str = Field(description="ISO 3166-1 alpha-2; its public holidays are no business days")
    working_days: list[int] = Field(description="ISO weekdays the seller works: 1 = Monday … 7 = Sunday")
    days_off: list[dt.date] = Field(description="The seller's own days off")
    confirm_within_hours: int
    ship_within_business_days: int
    auto_close_days: int
    confirm_miss_action: Literal["cancel", "flag"]
    ship_miss_action: Literal["cancel", "flag"]
    confirm_warn_hours: int
    ship_warn_hours: int
    close_warn_hours: int
    upcoming_days_off: list[DayOffOut] = Field(
        description="Public holidays and own days off of the next 120 days, in date order"
    )


@router.get("", response={200: DeadlinePolicyOut, **ERRORS}, summary="The deadline policy (R-SLA)")
def get_deadline_policy(request: HttpRequest) -> dict[str, Any]:
    """The policy every new deadline is computed with: confirm-by and close-by at placement, ship-by
    at confirmation (docs/deadlines.md). A change applies to deadlines computed afterwards."""
    seller = auth.api_key(request).seller
    policy = DeadlinePolicy.of(seller)
    return {
        "time_zone": policy.time_zone,
        "country": policy.country,
        "working_days": sorted(policy.working_days),
        "days_off": sorted(policy.days_off),
        "confirm_within_hours": policy.confirm_hours,
        "ship_within_business_days": policy.ship_business_days,
        "auto_close_days": policy.close_days,
        "confirm_miss_action": policy.on_confirm_miss.value,
        "ship_miss_action": policy.on_ship_miss.value,
        "confirm_warn_hours": int(policy.warn_confirm.total_seconds() // 3600),
        "ship_warn_hours": int(policy.warn_ship.total_seconds() // 3600),
        "close_warn_hours": int(policy.warn_close.total_seconds() // 3600),
        "upcoming_days_off": [
            {"day": h.day, "name": h.name, "own": h.own} for h in upcoming_days_off(seller)
        ],
    }
