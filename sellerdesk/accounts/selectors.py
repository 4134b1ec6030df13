from __future__ import annotations

from .models import ApiKey, User
from .roles import PERMISSIONS, can

# A manager of an order is someone who can act on it: viewers are never offered nor accepted.
MANAGER_PERMISSION = "order.act"


def apikey_authenticate(token: str) -> ApiKey | None:
    """The active key for 'sd_<prefix>_<secret>', or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "sd":
        return None
    key = ApiKey.objects.select_related("seller").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not key.matches(parts[2]):
        return None
    return key


def can_manage_orders(user: User) -> bool:
    """Whether `user` may be an order's manager (R-PROC-2): active, with a role that acts on orders."""
    return user.is_active and can(user.role, MANAGER_PERMISSION)


def assignable_managers(*, seller_id: int) -> list[User]:
    """The staff an order can be assigned to: every picker of a manager (order page, bulk assign) uses this."""
    roles = [role.value for role in PERMISSIONS[MANAGER_PERMISSION]]
    return list(
        User.objects.filter(seller_id=seller_id, is_active=True, role__in=roles).order_by(
            "first_name", "email"
        )
    )


def staff_member_exists(*, seller_id: int, user_id: int) -> bool:
    """Whether `user_id` is one of this seller's staff (any role, active or not): else it is a 404."""
    return User.objects.filter(pk=user_id, seller_id=seller_id).exists()
