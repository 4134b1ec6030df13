"""Which URLs given by users may be called — webhook endpoints (R-NOTE-7) and browsers' push
endpoints (R-NOTE-1): public addresses only, unless the operator allows more.

The host is resolved when a subscription is saved AND before every attempt (a name may resolve
elsewhere later). Every address it resolves to must be public: private, loopback, link-local,
multicast, reserved, unspecified and other non-global addresses are refused, unless settings
`WEBHOOKS_ALLOW_PRIVATE` is true or the address lies in one of `WEBHOOKS_ALLOWED_NETWORKS`.
Plain http is accepted only for an allowed loopback endpoint (a local test receiver).

A send connects to an address this check returned (`Target.url_at`), never to what the name
resolves to a moment later: the HTTP client gets the address in the URL and keeps the name for the
Host header and for TLS (SNI and the certificate's name), so a name rebound between the check and
the connection (DNS rebinding) cannot send a request inside the network.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from sellerdesk.core.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # the URL's host name (or address), lower case, without brackets
    port: int
    addresses: tuple[str, ...]  # every address the name resolved to, all checked
    url: str = ""  # the URL as given
    netloc: str = ""  # its host and port as written: the Host header

    def url_at(self, address: str) -> str:
        """The URL with its host replaced by `address` (one of `addresses`) and the port explicit."""
        if address not in self.addresses:
            raise ValueError(f"{address} is not an address checked for {self.host}")
        parts = urlsplit(self.url)
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        literal = f"[{address.replace('%', '%25')}]" if ip.version == 6 else address
        return urlunsplit((parts.scheme, f"{literal}:{self.port}", parts.path, parts.query, ""))


def refused(detail: str) -> InvalidInput:
    return InvalidInput("webhook_url_refused", detail, field="url")


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in getattr(settings, "WEBHOOKS_ALLOWED_NETWORKS", [])]


def is_public(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def is_allowed(ip: IPAddress) -> bool:
    if is_public(ip) or getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False):
        return True
    return any(ip in net for net in _allowed_networks() if net.version == ip.version)


def resolve(host: str, port: int) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise refused(_("The host %(host)s could not be resolved.") % {"host": host}) from exc
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str) -> Target:
    """The URL's target when it may be called; raises InvalidInput `webhook_url_refused` otherwise."""
    if len(url) > 2000 or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise refused(_("Enter a valid URL."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise refused(_("Enter a valid URL.")) from exc
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in ("https", "http") or not host:
        raise refused(_("The URL must start with https:// and name a host."))
    if parts.username or parts.password:
        raise refused(_("The URL must not contain a user name or password."))
    port = port or (443 if scheme == "https" else 80)
    addresses = resolve(host, port)
    if not addresses:
        raise refused(_("The host %(host)s could not be resolved.") % {"host": host})
    ips = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    for ip in ips:
        if not is_allowed(ip):
            raise refused(
                _(
                    "%(host)s resolves to %(address)s, a private, loopback, link-local or reserved "
                    "address; webhooks go to public addresses only."
                )
                % {"host": host, "address": ip}
            )
    if scheme == "http" and not all(ip.is_loopback for ip in ips):
        raise refused(_("The URL must use https:// (plain http only for an allowed loopback address)."))
    return Target(scheme, host, port, addresses, url=url, netloc=parts.netloc)


class _PinnedTLS(HTTPAdapter):
    """HTTPS to an address given in the URL while TLS speaks to the URL's host name: SNI names it
    and the certificate must be issued for it (as if the client had resolved the name itself)."""

    def __init__(self, host: str) -> None:
        self._host = host
        super().__init__(max_retries=0)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        pool_kwargs.update(server_hostname=self._host, assert_hostname=self._host)
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)


def _not_connected(exc: requests.RequestException) -> bool:
    """The connection itself failed (refused, unreachable, timed out): nothing was sent."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectTimeout) or isinstance(reason, NewConnectionError)


@contextlib.contextmanager
def post_checked(
    target: Target, *, data: bytes, headers: dict[str, str], timeout: float
) -> Iterator[requests.Response]:
    """POST to an address `check_url` returned, never to what the name resolves to a moment later;
    no redirects followed, no proxies from the environment; the response streamed, for the `with`
    block. Each checked address is tried in the resolver's order while the connection itself fails;
    once a request may have gone out it is not sent again (the exception is raised)."""
    session = requests.Session()
    session.trust_env = False  # an environment proxy would bypass the address check
    session.mount("https://", _PinnedTLS(target.host))
    headers = {**headers, "host": target.netloc}
    try:
        for i, address in enumerate(target.addresses):
            try:
                response = session.post(
                    target.url_at(address),
                    data=data,
                    headers=headers,
                    timeout=timeout,
                    allow_redirects=False,
                    stream=True,
                )
            except requests.RequestException as exc:
                if _not_connected(exc) and i + 1 < len(target.addresses):
                    continue
                raise
            with response:
                yield response
            return
        raise AssertionError("check_url returns at least one address")
    finally:
        session.close()
