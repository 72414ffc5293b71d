"""Outgoing HTTP (integrations' webhooks, push) reaches public addresses only, unless allowed.

An admin could point an integration at 127.0.0.1, 169.254.169.254 or the backend itself, and
the delivery records told whether each port answered: a port scanner inside our network. Now
only globally routable unicast addresses are reachable, unless `serve --allow-private-webhooks`
(tests, on-premises receivers).

Two checks:
- `check_url` when a URL is given: a literal address in any spelling the resolver accepts
  ("127.1", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]") or a `localhost` name is a clear 422.
- `guarded_transport`, the real guard, when connecting: the host name is resolved once, every
  address it resolves to is checked, and the connection goes to a checked address, so a name
  that resolves to a private address (or changes its answer between a check and the connect:
  DNS rebinding) is refused. TLS still verifies the certificate for the name, and the request
  still names it in `Host`: httpcore connects the socket through our backend but starts TLS
  with the URL's host.
Refusals say only "destination not allowed", never how a connection went.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

REFUSED = "destination not allowed"
_LOCAL_NAMES = ("localhost", "localhost.localdomain")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_IETF_PROTOCOL_BLOCK = ipaddress.IPv4Network("192.0.0.0/24")
USAGE = "give an http:// or https:// URL"


class DestinationRefused(Exception):
    """The target resolves to an address outgoing calls may not reach."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    # An IPv6 address that carries an IPv4 one reaches that one: judge it by it.
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    return None


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast: not loopback, private, link-local, shared (100.64/10),
    unspecified, reserved, multicast, documentation, ... (ipaddress's is_global, stricter)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public(embedded):
            return False
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return False  # fec0::/10: deprecated, still routed inside some networks; 3.11 says global
    if address in _IETF_PROTOCOL_BLOCK:
        return False  # 192.0.0.0/24: 3.11 calls parts of it (192.0.0.9, .10) global
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_unspecified
    )


def literal_address(host: str) -> IPAddress | None:
    """The address `host` spells, in any form the system resolver reads as one, or None."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        pass
    try:  # inet_aton takes the old forms too: "127.1", "2130706433", "0x7f.1", "0177.0.0.1"
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


def check_url(url: str, *, allow_private: bool) -> str | None:
    """Why `url` may not be a target (None if it may): for a clear 422 when it is given."""
    try:
        # An unclosed or bad bracket, a host NFKC changes ("℀"), a port that is not a number
        # in 0-65535: ValueError, which was a 500.
        parts = urlsplit(url)
        hostname, port = parts.hostname, parts.port
    except ValueError as exc:
        return f"{USAGE} ({exc})"
    if parts.scheme not in ("http", "https") or not hostname:
        return USAGE
    if port is not None and not 1 <= port <= 65535:
        return f"{USAGE} (a port from 1 to 65535)"
    if not allow_private:
        host = hostname.rstrip(".").lower()
        address = literal_address(host)
        if address is not None and not is_public(address):
            return f"{REFUSED}: {address} is not a public address"
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            return f"{REFUSED}: {host} is this machine"
    try:  # what httpx would refuse when sending (its InvalidURL is no HTTPError: retried)
        httpx.URL(url)
    except httpx.InvalidURL as exc:
        return f"{USAGE} ({exc})"
    return None


def resolve_checked(host: str, port: int, *, allow_private: bool) -> list[tuple[Any, ...]]:
    """getaddrinfo for a TCP connection to host:port; DestinationRefused if any address is
    not public (a name answering both public and private addresses is refused outright)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from None
    if not allow_private:
        for _family, _kind, _proto, _name, sockaddr in infos:
            if not is_public(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])):
                raise DestinationRefused()
    return list(infos)


class _GuardedBackend(httpcore.SyncBackend):
    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        infos = resolve_checked(host, port, allow_private=self._allow_private)
        last: Exception | None = None
        for _family, _kind, _proto, _name, sockaddr in infos:
            try:  # connect to the checked address itself: no second lookup to rebind
                return super().connect_tcp(
                    str(sockaddr[0]), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last if last is not None else httpcore.ConnectError(f"no address for {host}")


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, ssl_context: ssl.SSLContext | None) -> None:
        super().__init__()
        # The pool httpx would build, with our backend making its connections.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            network_backend=_GuardedBackend(allow_private),
        )


def guarded_client(
    *, timeout: float, allow_private: bool, ssl_context: ssl.SSLContext | None = None
) -> httpx.Client:
    """An httpx client for outgoing calls to configured URLs: no redirects (a public URL must
    not bounce us to a private one), no proxy from the environment (the proxy, not the
    target, would be the address checked), connections through the guard."""
    return httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False,
        transport=_GuardedTransport(allow_private, ssl_context),
    )
