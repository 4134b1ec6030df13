"""Webhook URLs that resolve to non-public addresses are refused (R-NOTE-7), at subscription time
and again at send time, unless the operator allows them."""

from __future__ import annotations

from typing import Any

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


# --- DNS rebinding: the request goes to the address that was checked -------------------------------

NAME = "hooks.rebind.test"


@pytest.fixture
def rebinding(monkeypatch):  # type: ignore[no-untyped-def]
    """A name whose answer changes after the check (DNS rebinding): the check (ssrf.resolve) gets a
    loopback address the tests allow; anyone who resolves the name again gets a private one.
    Yields the addresses the process opened TCP connections to, and the names resolved again."""
    import socket

    seen: dict[str, list[Any]] = {"connected": [], "resolved_again": []}
    real_resolve, real_getaddrinfo, real_connect = ssrf.resolve, socket.getaddrinfo, socket.socket.connect

    def resolve(host: str, port: int) -> tuple[str, ...]:
        return ("127.0.0.1",) if host == NAME else real_resolve(host, port)

    def getaddrinfo(host: Any, *args: Any, **kw: Any) -> Any:
        if host == NAME:
            seen["resolved_again"].append(host)
            return real_getaddrinfo("10.0.0.1", *args, **kw)
        return real_getaddrinfo(host, *args, **kw)

    def connect(sock: socket.socket, address: Any) -> Any:
        seen["connected"].append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(ssrf, "resolve", resolve)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def test_a_rebound_name_is_not_resolved_again_the_checked_address_is_called(
    seller, httpserver, rebinding
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/hook").respond_with_data("ok")
    url = f"http://{NAME}:{httpserver.port}/hook"
    subscribe(seller, url)
    place(seller)
    drain()
    sending.send_due()
    (request,) = [entry[0] for entry in httpserver.log]
    assert request.headers["Host"] == f"{NAME}:{httpserver.port}"  # the URL's name, not the address
    assert rebinding["resolved_again"] == []
    calls = [a for a in rebinding["connected"] if isinstance(a, tuple) and a[1] == httpserver.port]
    assert calls and {a[0] for a in calls} == {"127.0.0.1"}  # never 10.0.0.1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_name_that_resolves_to_a_private_address_at_send_time_is_never_connected(
    seller, httpserver, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Saved while the name pointed to an allowed address; when sending, the check sees a private one
    and no connection is opened at all."""
    import socket

    httpserver.expect_request("/hook").respond_with_data("ok")
    answers = iter([("127.0.0.1",), ("10.0.0.1",)])
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: next(answers))
    subscribe(seller, f"http://{NAME}:{httpserver.port}/hook")
    connected: list[Any] = []
    real_connect = socket.socket.connect
    monkeypatch.setattr(
        socket.socket,
        "connect",
        lambda sock, address: connected.append(address) or real_connect(sock, address),
    )
    place(seller)
    drain()
    sending.send_due()
    assert [a for a in connected if isinstance(a, tuple) and a[1] == httpserver.port] == []
    attempt = WebhookDelivery.objects.get().attempt_log.get()
    assert attempt.status_code is None and "10.0.0.1" in attempt.error
    assert httpserver.log == []


def test_the_next_checked_address_is_tried_only_when_no_connection_opens(
    seller, httpserver, rebinding, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """127.0.0.2 refuses the connection (nothing listens there): the request goes to the next checked
    address, once; no address outside the checked ones is tried."""
    httpserver.expect_request("/hook").respond_with_data("ok")
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: ("127.0.0.2", "127.0.0.1"))
    subscribe(seller, f"http://{NAME}:{httpserver.port}/hook")
    place(seller)
    drain()
    sending.send_due()
    calls = [a[0] for a in rebinding["connected"] if isinstance(a, tuple) and a[1] == httpserver.port]
    assert calls == ["127.0.0.2", "127.0.0.1"]
    assert len(httpserver.log) == 1 and WebhookDelivery.objects.get().status == "delivered"


def test_url_at_puts_only_a_checked_address_in_the_url(no_allowance) -> None:
    target = ssrf.Target(
        "https",
        "hooks.example.com",
        8443,
        ("8.8.8.8", "2001:4860:4860::8888"),
        url="https://Hooks.Example.com:8443/in?x=1#frag",
        netloc="Hooks.Example.com:8443",
    )
    assert target.url_at("8.8.8.8") == "https://8.8.8.8:8443/in?x=1"
    assert target.url_at("2001:4860:4860::8888") == "https://[2001:4860:4860::8888]:8443/in?x=1"
    with pytest.raises(ValueError):
        target.url_at("10.0.0.1")


def _certificates(folder: Any, name: str) -> tuple[str, str, str]:
    """A test CA and a server certificate it issued for `name`: (CA file, certificate file, key file)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)

    def build(subject: str, key: Any, issuer: Any, issuer_key: Any, ca: bool) -> Any:
        usage = dict.fromkeys(
            [
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ],
            False,
        )
        usage.update({"key_cert_sign": ca, "crl_sign": ca, "digital_signature": not ca})
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(**usage), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
            )
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
            ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SellerDesk test CA")])
    ca = build("SellerDesk test CA", ca_key, ca_name, ca_key, ca=True)
    cert = build(name, key, ca_name, ca_key, ca=False)
    paths = (folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(paths[0]), str(paths[1]), str(paths[2])


@pytest.mark.parametrize(("issued_for", "delivered"), [(NAME, True), ("someone-else.test", False)])
def test_https_goes_to_the_checked_address_and_speaks_tls_to_the_name(
    seller, rebinding, monkeypatch, tmp_path, issued_for: str, delivered: bool
) -> None:  # type: ignore[no-untyped-def]
    """SNI names the URL's host and the certificate must be issued for it, although the connection
    goes to the address checked: a certificate for another name is refused."""
    import ssl

    import requests.adapters
    from pytest_httpserver import HTTPServer

    ca, cert, key = _certificates(tmp_path, issued_for)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    asked_for: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: asked_for.append(name)  # type: ignore[assignment, misc]
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    try:
        server.expect_request("/hook").respond_with_data("ok")
        monkeypatch.setattr(requests.adapters, "DEFAULT_CA_BUNDLE_PATH", ca)  # trust the test CA
        subscribe(seller, f"https://{NAME}:{server.port}/hook")
        place(seller)
        drain()
        sending.send_due()
        delivery = WebhookDelivery.objects.get()
        assert asked_for and set(asked_for) == {NAME}
        assert rebinding["resolved_again"] == []
        if delivered:
            (request,) = [entry[0] for entry in server.log]
            assert request.headers["Host"] == f"{NAME}:{server.port}"
            assert delivery.status == "delivered"
        else:
            assert server.log == [] and delivery.status == "pending"
            assert "certificate" in delivery.attempt_log.get().error.lower()
    finally:
        server.clear()
        server.stop()
