"""Who the client is for sign-in throttling (console.backend.client_address): pure rules."""

from __future__ import annotations

import pytest

from console.backend.client_address import client_address, parse_trusted

PROXIES = parse_trusted(["127.0.0.1", "10.250.0.0/16", "fd00::/8"])


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address("127.0.0.1", ["6.6.6.6"], ()) == "127.0.0.1"
    assert client_address("203.0.113.9", ["6.6.6.6"], PROXIES) == "203.0.113.9"


def test_the_right_most_untrusted_hop_is_the_client() -> None:
    assert client_address("127.0.0.1", ["198.51.100.7"], PROXIES) == "198.51.100.7"
    chain = ["6.6.6.6, 198.51.100.7, 10.250.3.4"]
    assert client_address("127.0.0.1", chain, PROXIES) == "198.51.100.7"
    # Several headers are one list, in order.
    assert client_address("127.0.0.1", ["6.6.6.6", "198.51.100.7"], PROXIES) == "198.51.100.7"
    # Ports and IPv4-mapped IPv6 are the same client.
    assert client_address("127.0.0.1", ["198.51.100.7:5555"], PROXIES) == "198.51.100.7"
    assert client_address("::ffff:127.0.0.1", ["198.51.100.7"], PROXIES) == "198.51.100.7"


def test_garbage_stops_at_the_last_known_hop() -> None:
    assert client_address("127.0.0.1", ["whatever, 10.250.0.1"], PROXIES) == "10.250.0.1"
    assert client_address("127.0.0.1", ["not an address"], PROXIES) == "127.0.0.1"
    assert client_address("127.0.0.1", [""], PROXIES) == "127.0.0.1"
    assert client_address("127.0.0.1", [], PROXIES) == "127.0.0.1"


def test_only_trusted_hops_give_the_left_most() -> None:
    assert client_address("127.0.0.1", ["10.250.0.2, 10.250.0.1"], PROXIES) == "10.250.0.2"


def test_ipv6_clients_are_their_slash_64() -> None:
    assert client_address("2001:db8:1:2::5", [], ()) == "2001:db8:1:2::/64"
    assert client_address("127.0.0.1", ["[2001:db8:1:2:aaaa::1]:443"], PROXIES) \
        == "2001:db8:1:2::/64"
    assert client_address("fd00::1", ["2001:db8::1"], PROXIES) == "2001:db8::/64"


def test_no_peer_is_unknown() -> None:
    assert client_address(None, ["6.6.6.6"], PROXIES) == "unknown"


def test_bad_trusted_values_are_named() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_trusted(["10.0.0.300"])
