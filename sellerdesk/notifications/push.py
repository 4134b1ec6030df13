"""Web Push (placeholder until the VAPID sender lands): no browser subscribed, nothing to send."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Delivery


def send_to_user(delivery: Delivery) -> None:
    from .models import PushSubscription

    if delivery.user_id is None or not PushSubscription.objects.filter(user_id=delivery.user_id).exists():
        return
    raise NotImplementedError("Web Push is not available yet")
