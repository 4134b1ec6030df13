"""Who is acting: a staff user, an integration (API key), a customer or the system."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sellerdesk.core.errors import Forbidden

from .roles import Role, can

if TYPE_CHECKING:
    from .models import ApiKey, Seller, User


@dataclass(frozen=True)
class Actor:
    kind: str  # staff | integration | customer | system
    seller_id: int | None
    role: str
    label: str
    user: User | None = None
    # The seller's row when the caller already read it (an API key is read with its seller): a
    # writer takes it instead of reading the row again. None: read it when needed.
    seller: Seller | None = field(default=None, compare=False, repr=False)

    @classmethod
    def staff(cls, user: User) -> Actor:
        return cls("staff", user.seller_id, user.role, user.label, user, seller=_loaded_seller(user))

    @classmethod
    def integration(cls, key: ApiKey) -> Actor:
        return cls("integration", key.seller_id, key.role, f"API key {key.name}", seller=_loaded_seller(key))

    @classmethod
    def system(cls, seller: Seller | None = None, label: str = "SellerDesk") -> Actor:
        return cls("system", seller.pk if seller else None, Role.OWNER, label)

    def require(self, permission: str) -> None:
        if self.kind == "system":
            return
        if not can(self.role, permission):
            raise Forbidden(
                "forbidden",
                f"The {self.role} role may not do this ({permission}).",
                permission=permission,
            )


def _loaded_seller(row: Any) -> Seller | None:
    """`row.seller` if it was read with `row` (select_related), else None: never a query."""
    seller: Seller | None = row._state.fields_cache.get("seller")
    return seller
