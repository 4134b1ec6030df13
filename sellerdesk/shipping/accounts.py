"""A seller's carrier accounts: their adapter, configured, and the defaults every seller gets."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from sellerdesk.accounts.actors import Actor
from sellerdesk.accounts.models import Seller
from sellerdesk.core import secrets
from sellerdesk.core.errors import InvalidInput, NotFound

from .carriers.base import Carrier, CarrierConfig
from .carriers.registry import CARRIERS, carrier_for
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


SANDBOX_NAME = "Sandbox carrier"


def open_sandbox_account(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """A new seller's sandbox carrier account, written with the seller (post_save of Seller);
    migration shipping/0002 wrote it for the sellers that existed before."""
    if created and not raw:
        CarrierAccount.objects.get_or_create(
            seller_id=instance.pk, carrier="sandbox", defaults={"name": SANDBOX_NAME}
        )


def sandbox_account(seller_id: int) -> CarrierAccount:
    """The seller's sandbox carrier account (it exists from the seller's creation on)."""
    account = CarrierAccount.objects.filter(seller_id=seller_id, carrier="sandbox").order_by("pk").first()
    if account is None:  # only a seller written around the ORM (a raw load) lacks it
        raise NotFound("carrier_account_not_found", "This seller has no sandbox carrier account.")
    return account


# --- the shipping settings (owner and administrator) ------------------------------------------

SHIP_FROM_FIELDS = ("name", "phone", "email", "country", "postcode", "city", "line1")
CDEK_BASE_URL = "https://api.edu.cdek.ru"  # CDEK's test server; production is https://api.cdek.ru


def shipping_settings_update(
    *, seller_id: int, actor: Actor, ship_from: Mapping[str, str], ship_unpaid_allowed: bool
) -> Seller:
    """Ship-from details (prefilled on carrier shipments and printed on labels) and the R-PAY-7 policy."""
    actor.require("settings.manage")
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller_id)
        seller.ship_from = {k: str(ship_from.get(k) or "").strip() for k in SHIP_FROM_FIELDS}
        seller.ship_from["country"] = seller.ship_from["country"].upper()
        seller.ship_unpaid_allowed = ship_unpaid_allowed
        seller.save(update_fields=["ship_from", "ship_unpaid_allowed"])
        return seller


def carrier_account_add(
    *,
    seller_id: int,
    actor: Actor,
    carrier: str,
    name: str,
    base_url: str = "",
    client_id: str = "",
    client_secret: str = "",
) -> CarrierAccount:
    """A new account with a carrier; the client secret is stored encrypted and never shown again."""
    actor.require("settings.manage")
    if carrier not in CARRIERS:
        raise InvalidInput(
            "invalid_carrier", f"carrier must be one of: {', '.join(CARRIERS)}.", field="carrier"
        )
    if not name.strip():
        raise InvalidInput("name_required", "Name the account.", field="name")
    account = CarrierAccount(
        seller_id=seller_id,
        carrier=carrier,
        name=name.strip()[:100],
        base_url=base_url.strip().rstrip("/")[:300],
        client_id=client_id.strip()[:200],
    )
    set_client_secret(account, client_secret.strip())
    with transaction.atomic():
        account.save()
    return account


def carrier_account_deactivate(*, seller_id: int, actor: Actor, account_id: int) -> CarrierAccount:
    """No new shipments through the account, and its webhook address stops answering."""
    actor.require("settings.manage")
    with transaction.atomic():
        account = (
            CarrierAccount.objects.select_for_update().filter(seller_id=seller_id, pk=account_id).first()
        )
        if account is None:
            raise NotFound("carrier_account_not_found", f"There is no carrier account {account_id}.")
        if account.is_active:
            account.is_active = False
            account.save(update_fields=["is_active"])
        return account
