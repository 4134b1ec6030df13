"""A seller's carrier accounts: their adapter, configured, and the defaults every seller gets."""

from __future__ import annotations

import os

from sellerdesk.core import secrets

from .carriers.base import Carrier, CarrierConfig
from .carriers.registry import carrier_for
from .models import CarrierAccount

# Settings read from the environment when an account leaves them blank: <PREFIX>_BASE_URL,
# <PREFIX>_CLIENT_ID, <PREFIX>_CLIENT_SECRET (e.g. CDEK_CLIENT_SECRET). Never logged.
ENV_PREFIX = {"cdek": "CDEK"}


def config_of(account: CarrierAccount) -> CarrierConfig:
    prefix = ENV_PREFIX.get(account.carrier, account.carrier.upper())

    def env(name: str) -> str:
        return os.environ.get(f"{prefix}_{name}", "")

    return CarrierConfig(
        base_url=account.base_url or env("BASE_URL"),
        client_id=account.client_id or env("CLIENT_ID"),
        client_secret=secrets.decrypt(account.client_secret_encrypted) or env("CLIENT_SECRET"),
        webhook_secret=account.webhook_token,
        options=dict(account.options or {}),
    )


def carrier_of(account: CarrierAccount) -> Carrier:
    return carrier_for(account.carrier, config_of(account))


def set_client_secret(account: CarrierAccount, plain: str) -> None:
    account.client_secret_encrypted = secrets.encrypt(plain)


def ensure_sandbox_account(seller_id: int) -> CarrierAccount:
    """Every seller can ship through the sandbox carrier: its account exists from the start."""
    account, _ = CarrierAccount.objects.get_or_create(
        seller_id=seller_id, carrier="sandbox", defaults={"name": "Sandbox carrier"}
    )
    return account
