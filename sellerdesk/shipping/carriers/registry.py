"""The carriers SellerDesk can ship with: code → adapter class (declared once, used everywhere)."""

from __future__ import annotations

import importlib
from typing import Any

from .base import Carrier, CarrierConfig, CarrierError

# code → (dotted path of the adapter class, name shown to users)
CARRIERS: dict[str, tuple[str, str]] = {
    "sandbox": ("sellerdesk.shipping.carriers.sandbox.SandboxCarrier", "Sandbox carrier"),
    "cdek": ("sellerdesk.shipping.carriers.cdek.CdekCarrier", "CDEK"),
}
CARRIER_CHOICES = [(code, name) for code, (_, name) in CARRIERS.items()]


def carrier_class(code: str) -> Any:
    try:
        path, _ = CARRIERS[code]
    except KeyError:
        raise CarrierError("carrier_unsupported", f"There is no carrier {code!r}.") from None
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def carrier_for(code: str, config: CarrierConfig) -> Carrier:
    """The adapter for `code`, configured with an account's settings."""
    return carrier_class(code)(config)  # type: ignore[no-any-return]  # the registry holds classes by path
