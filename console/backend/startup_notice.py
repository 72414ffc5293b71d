"""What `serve` says about its carrier before it listens.

The simulator is the default carrier (local use and demos need no provider account), so a
backend can reach production on it by accident: then no SMS leaves, and anyone holding an admin
token can make up inbound texts. The startup output names the carrier on every start, and a
simulator listening beyond loopback gets a warning that is hard to miss.
"""

from __future__ import annotations

import ipaddress

SIMULATOR = "simulator"


def carrier_line(carrier: str) -> str:
    """The line naming the carrier (its own line: scripts parse `listening on ...` alone)."""
    return f"carrier: {carrier}"


def is_loopback(host: str) -> bool:
    """Only names that cannot mean another machine: loopback addresses and `localhost`.
    A name is not resolved (what it resolves to may change): any other name is not loopback."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def simulator_exposure_warning(carrier: str, host: str) -> str | None:
    """One line for stderr when the simulator carrier listens on a non-loopback address."""
    if carrier != SIMULATOR or is_loopback(host):
        return None
    shown = host or "every address"
    return (
        f"WARNING: the simulator carrier is serving on {shown}, beyond this machine: no SMS "
        "reaches anyone, and admins can make up inbound texts. For production, run with "
        "--carrier twilio."
    )
