"""Reads of webhook subscriptions for the dashboard."""

from __future__ import annotations

from .models import DisabledReason, WebhookSubscription

SYSTEM_REASONS = (DisabledReason.GONE, DisabledReason.FAILING)


def stopped_by_the_system(seller_id: int) -> list[WebhookSubscription]:
    """The seller's webhooks the system disabled (410 Gone, or failing too long): the notice's subject."""
    return list(
        WebhookSubscription.objects.filter(
            seller_id=seller_id, is_active=False, disabled_reason__in=SYSTEM_REASONS
        ).order_by("-disabled_at")
    )
