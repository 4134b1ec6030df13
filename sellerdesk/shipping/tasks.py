"""The worker's shipping jobs (R-FUL-7): waiting registrations and tracking for carriers without
webhooks (and, as a safety net, for those whose webhooks have been quiet for a while)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .accounts import carrier_of
from .carriers.base import CarrierError
from .carriers.registry import carrier_class
from .models import Registration, Shipment, ShipmentKind
from .services import apply_tracking, refresh_registration
from .states import FINAL

log = logging.getLogger(__name__)

BATCH = 200


def _no_webhooks() -> list[str]:
    from .carriers.registry import CARRIERS

    return [code for code in CARRIERS if not getattr(carrier_class(code), "has_webhooks", False)]


def poll_carriers(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass: ask carriers about waiting registrations and due tracking. Returns counts."""
    now = now or timezone.now()
    open_carrier = Shipment.objects.filter(kind=ShipmentKind.CARRIER, account__isnull=False).exclude(
        status__in=[s.value for s in FINAL]
    )
    counts = {"registrations": 0, "tracked": 0, "moved": 0, "errors": 0}
    for shipment in open_carrier.filter(registration=Registration.WAITING).order_by("id")[:BATCH]:
        try:
            refresh_registration(shipment.pk)
            counts["registrations"] += 1
        except CarrierError as exc:
            counts["errors"] += 1
            log.warning("registration of shipment %s: %s", shipment.pk, exc.code)
    quiet = now - dt.timedelta(seconds=settings.SHIPPING_WEBHOOK_QUIET_SECONDS)
    due = (
        open_carrier.filter(registration=Registration.REGISTERED)
        .filter(Q(carrier__in=_no_webhooks()) | Q(tracked_at__isnull=True) | Q(tracked_at__lt=quiet))
        .exclude(carrier_ref="")
        .select_related("account")
        .order_by(F("tracked_at").asc(nulls_first=True), "id")[:BATCH]
    )
    for shipment in due:
        assert shipment.account is not None  # filtered above
        try:
            moved = apply_tracking(shipment.account, carrier_of(shipment.account).track(shipment.carrier_ref))
        except CarrierError as exc:
            counts["errors"] += 1
            log.warning("tracking of shipment %s: %s", shipment.pk, exc.code)
            Shipment.objects.filter(pk=shipment.pk).update(tracked_at=now)
            continue
        Shipment.objects.filter(pk=shipment.pk).update(tracked_at=now)
        counts["tracked"] += 1
        counts["moved"] += moved
    return counts
