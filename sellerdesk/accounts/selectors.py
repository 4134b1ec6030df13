from __future__ import annotations

from .models import ApiKey, User


def apikey_authenticate(token: str) -> ApiKey | None:
    """The active key for 'sd_<prefix>_<secret>', or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "sd":
        return None
    key = ApiKey.objects.select_related("seller").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not key.matches(parts[2]):
        return None
    return key


def staff_list(*, seller_id: int) -> list[User]:
    """The seller's active staff, for pickers such as the order's Manager field (R-PROC-2)."""
    return list(User.objects.filter(seller_id=seller_id, is_active=True).order_by("first_name", "email"))
