"""Who is acting: a staff user, an integration (API key), a customer or the system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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

    @classmethod
    def staff(cls, user: User) -> Actor:
        return cls("staff", user.seller_id, user.role, user.label, user)

    @classmethod
    def integration(cls, key: ApiKey) -> Actor:
        return cls("integration", key.seller_id, key.role, f"API key {key.name}")

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
