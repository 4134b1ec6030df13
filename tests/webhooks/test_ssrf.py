"""Webhook URLs that resolve to non-public addresses are refused (R-NOTE-7), at subscription time
and again at send time, unless the operator allows them."""

from __future__ import annotations

import pytest

from sellerdesk.core.errors import InvalidInput
from sellerdesk.webhooks import sending, ssrf
from sellerdesk.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.conftest import place

from .conftest import drain, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_allowance(settings):  # type: ignore[no-untyped-def]
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",  # private
        "https://192.168.1.5/hook",
        "https://127.0.0.1/hook",  # loopback without the allowance
        "https://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
        "https://localhost:8443/hook",  # a name that resolves to loopback
        "https://[::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",  # IPv4-mapped IPv6
        "https://0.0.0.0/hook",  # unspecified
        "https://224.0.0.1/hook",  # multicast
        "https://240.0.0.1/hook",  # reserved
        "https://100.64.0.1/hook",  # shared address space (carrier-grade NAT)
    ],
)
def test_non_public_addresses_are_refused(no_allowance, url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ssrf.check_url(url)
    assert refused.value.code == "webhook_url_refused"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "https://user:pw@8.8.8.8/hook",
        "https:///nohost",
        "https://exa mple.com/",
        "http://8.8.8.8/hook",  # plain http to a public address
        "https://no-such-host.invalid/hook",
    ],
)
def test_malformed_or_insecure_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ssrf.check_url(url)
    assert refused.value.code == "webhook_url_refused"


def test_a_public_address_passes(no_allowance) -> None:
    assert ssrf.check_url("https://8.8.8.8/hook").addresses == ("8.8.8.8",)


def test_the_operator_allowance_admits_loopback_only_where_listed(settings) -> None:
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert ssrf.check_url("http://127.0.0.1:9/hook").addresses == ("127.0.0.1",)
    with pytest.raises(InvalidInput):
        ssrf.check_url("https://10.0.0.1/hook")  # listed networks only
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert ssrf.check_url("https://10.0.0.1/hook")


def test_the_address_is_checked_again_when_sending(seller, settings, httpserver) -> None:
    """A subscription saved while allowed is not called once the address is refused."""
    httpserver.expect_request("/hook").respond_with_data("ok")
    subscribe(seller, httpserver.url_for("/hook"))
    settings.WEBHOOKS_ALLOWED_NETWORKS = []
    place(seller)
    drain()
    sending.send_due()
    assert httpserver.log == []
    delivery = WebhookDelivery.objects.get()
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None and "loopback" in attempt.error
    assert delivery.status == "pending"  # retried later: the operator may allow it again
    assert WebhookSubscription.objects.get().is_active
