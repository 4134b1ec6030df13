from __future__ import annotations

from django.db import transaction

from sellerdesk.core.errors import InvalidInput

from .models import ApiKey, Seller
from .roles import Role


def apikey_create(
    *, seller: Seller, name: str, role: str = Role.MANAGER, scopes: list[str] | None = None
) -> tuple[ApiKey, str]:
    """Create an API key; returns the row and the full key, which is never stored."""
    if role not in Role.__members__.values():
        raise InvalidInput("unknown_role", f"Role must be one of {', '.join(r.value for r in Role)}.")
    full, prefix, digest = ApiKey.generate()
    with transaction.atomic():
        key = ApiKey.objects.create(
            seller=seller,
            name=name,
            prefix=prefix,
            secret_hash=digest,
            role=role,
            scopes=scopes or [],
        )
    return key, full
