"""Who the client is, for throttling: the connection's peer, or behind configured proxies the
right-most X-Forwarded-For entry that is not one of them.

X-Forwarded-For is written by whoever sends the request, so it is believed only from a peer in
`--trusted-proxy` (none by default); each proxy appends the address it got the request from, so
walking from the right past trusted proxies finds the first hop nobody vouches for, and what
that hop claimed to its left is ignored. IPv6 clients count per /64, the block one subscriber
usually holds (they could otherwise rotate through 2**64 addresses).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"
IPV6_CLIENT_PREFIX = 64


def parse_trusted(values: Iterable[str]) -> tuple[Network, ...]:
    """`--trusted-proxy` values (addresses or CIDRs); ValueError names a bad one."""
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or CIDR network") from None
    return tuple(networks)


def client_address(
    peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]
) -> str:
    """The client to throttle, as text (an address, or an IPv6 /64)."""
    peer_ip = _ip(peer)
    if peer_ip is None:
        return peer or UNKNOWN
    if not trusted or not _is_trusted(peer_ip, trusted):
        return _client_key(peer_ip)
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    client = peer_ip
    for hop in reversed(hops):
        hop_ip = _ip(_without_port(hop))
        if hop_ip is None:
            break  # a trusted proxy would not have written this: stop at the last one we know
        client = hop_ip
        if not _is_trusted(hop_ip, trusted):
            break
    return _client_key(client)


def _ip(text: str | None) -> Address | None:
    if not text:
        return None
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _without_port(hop: str) -> str:
    if hop.startswith("["):  # [v6]:port
        return hop[1:].split("]", 1)[0]
    if hop.count(":") == 1:  # v4:port
        return hop.split(":", 1)[0]
    return hop


def _is_trusted(ip: Address, trusted: Sequence[Network]) -> bool:
    return any(ip.version == net.version and ip in net for net in trusted)


def _client_key(ip: Address) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)
