"""Changing a seller's own metric limits (R-SLA-5). One transaction per change."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from sellerdesk.core.errors import InvalidInput

from .definitions import METRICS, Metric, Unit
from .models import MetricLimit

MAXIMUM = {Unit.PERCENT: Decimal(100), Unit.HOURS: Decimal(24 * 90), Unit.STARS: Decimal(5)}


def metric_limit_set(
    *, seller_id: int, metric: str, limit: Decimal | None, warning: Decimal | None
) -> MetricLimit | None:
    """Set the seller's own limit and warning level for one metric; both None goes back to the
    default. The warning level must lie before the limit, on the good side of it."""
    try:
        key = Metric(metric)
    except ValueError:
        raise InvalidInput("unknown_metric", f"There is no metric {metric[:40]!r}.", field="metric") from None
    d = METRICS[key]
    with transaction.atomic():
        if limit is None and warning is None:
            MetricLimit.objects.filter(seller_id=seller_id, metric=key.value).delete()
            return None
        if limit is None or warning is None:
            raise InvalidInput(
                "limit_incomplete", "Give both the limit and the warning level.", field="limit"
            )
        top = MAXIMUM[d.unit]
        for name, value in (("limit", limit), ("warning", warning)):
            if not Decimal(0) <= value <= top:
                raise InvalidInput(
                    "limit_out_of_range", f"The {name} must lie between 0 and {top}.", field=name
                )
        before = warning < limit if d.direction == "max" else warning > limit
        if not before:
            side = "below" if d.direction == "max" else "above"
            raise InvalidInput(
                "warning_after_limit", f"The warning level must lie {side} the limit.", field="warning"
            )
        row, _ = MetricLimit.objects.update_or_create(
            seller_id=seller_id, metric=key.value, defaults={"limit": limit, "warning": warning}
        )
        return row
