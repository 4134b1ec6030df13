"""One rule for unguessable tokens (`core.tokens.new_token`): every link token and API key secret
has its shape, and the models' defaults named by the migrations still agree with the models."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from sellerdesk.accounts.services import apikey_create
from sellerdesk.conversations.models import Thread
from sellerdesk.core.tokens import new_token
from sellerdesk.shipping.accounts import sandbox_account
from tests.conftest import place

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def test_a_token_is_256_url_safe_random_bits() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(TOKEN.fullmatch(t) for t in tokens)


@pytest.mark.django_db
def test_every_token_of_the_site_comes_from_the_one_rule(seller) -> None:  # type: ignore[no-untyped-def]
    order = place(seller)
    thread, _ = Thread.objects.get_or_create(order=order, seller=seller, order_number=order.number)
    account = sandbox_account(seller.pk)
    _, key = apikey_create(seller=seller, name="shop")
    assert TOKEN.fullmatch(order.tracking_token)
    assert TOKEN.fullmatch(thread.token)
    assert TOKEN.fullmatch(account.webhook_token)
    assert TOKEN.fullmatch(key.split("_", 2)[2])


@pytest.mark.django_db
def test_the_migrations_describe_the_models() -> None:
    """The defaults the migrations name stay importable and equal to the models' (no new migration)."""
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
