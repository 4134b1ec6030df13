"""Template tags of the notification partials (the bell, the order's delivery log)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from sellerdesk.accounts.roles import can

from .. import deliveries, selectors
from ..models import Delivery

register = template.Library()


@register.simple_tag
def unread_alerts(user: Any) -> int:
    return selectors.unread_count(user.pk) if getattr(user, "seller_id", None) else 0


@register.simple_tag
def delivery_log(order: Any, user: Any) -> list[dict[str, Any]]:
    """The order's deliveries as the log shows them: outcome, and whether `user` may resend."""
    now = timezone.now()
    may_resend = can(user.role, "delivery.resend") if getattr(user, "role", None) else False
    rows = []
    for d in selectors.order_deliveries_of(order)[:200]:
        outcome = deliveries.outcome(d, now)
        rows.append(
            {
                "d": d,
                "outcome": outcome,
                "outcome_label": _label(outcome),
                "resend": may_resend and outcome in deliveries.RESENDABLE,
            }
        )
    return rows


def _label(outcome: str) -> str:
    return str(dict(Delivery._meta.get_field("status").choices or [])[outcome])
