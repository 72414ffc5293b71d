"""Typed settings of one backend instance."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any, Literal

from console.domain.opt_out import (
    DEFAULT_HELP_REPLY,
    DEFAULT_OPT_IN_REPLY,
    DEFAULT_OPT_OUT_REPLY,
)

CarrierName = Literal["simulator", "twilio"]
SeedName = Literal["demo"]


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    carrier: CarrierName = "simulator"
    seed: SeedName | None = None
    # Schema migration at startup; tests and tools that migrated already may skip it.
    migrate: bool = True
    # Simulator timings (seconds after the message was accepted).
    simulator_sent_after: float = 0.2
    simulator_delivered_after: float = 0.5
    # Automatic answers to inbound keywords (STOP..., START..., HELP/INFO): `--help-reply`.
    help_reply: str = DEFAULT_HELP_REPLY
    opt_out_reply: str = DEFAULT_OPT_OUT_REPLY
    opt_in_reply: str = DEFAULT_OPT_IN_REPLY
    # Realtime (/v1/events): an idle stream gets a heartbeat this often; other processes'
    # writes are looked for this often (SQLite, or PostgreSQL while LISTEN is down), and this
    # often as a safety net while PostgreSQL LISTEN/NOTIFY is up.
    # API.md promises a heartbeat at least every 15 s: 10 s leaves room for a busy loop.
    sse_heartbeat_s: float = 10.0
    feed_poll_s: float = 0.5
    feed_listen_poll_s: float = 5.0
    # Sign-in throttling (console.backend.ratelimit): failures are remembered for the window;
    # past the free ones for an account from one client address, that address waits
    # first_delay, then twice that, ... up to max_delay before its next try is even checked
    # (never a lock-out: the right password from elsewhere works). The same, with more free
    # failures, per client address across accounts (password spraying).
    login_window_s: float = 900.0
    login_free_failures: int = 3
    login_free_failures_per_address: int = 20
    login_first_delay_s: float = 1.0
    login_max_delay_s: float = 60.0
    # X-Forwarded-For is believed only from these peers (`--trusted-proxy`, IPs or CIDRs);
    # none by default: the client is the connection's peer.
    trusted_proxies: tuple[str, ...] = ()
    # Bearer tokens (console.backend.tokens): one unused this long expires (`--token-idle`;
    # an open event stream counts as use), and none lives longer than max_age
    # (`--token-max-age`), in use or not.
    token_idle_s: float = 30 * 86400.0
    token_max_age_s: float = 90 * 86400.0
    # Notifications of group messages and integrations' webhooks (console.backend.jobs):
    # `--smtp URL` (may hold a password: never shown), `--smtp-from`, `--push-url URL`.
    smtp_url: str | None = dataclass_field(default=None, repr=False)
    smtp_from: str = "Agent Console <no-reply@localhost>"
    push_url: str | None = dataclass_field(default=None, repr=False)
    # Background job workers of this process; a failed delivery is retried after
    # retry_base_s, then twice that, ... (with jitter), 8 attempts in all (jobs.py).
    job_workers: int = 2
    job_poll_s: float = 0.5
    retry_base_s: float = 2.0
    # Workers of this process handing outbound SMS to the carrier (`--carrier-workers`).
    carrier_workers: int = 4
    # How long a claimed job stays with its worker without a renewal (renewed every third of
    # it while it runs): the jobs of a process that died move to another within about this.
    job_lease_s: float = 6.0
    # Request bodies over this many bytes are refused with 413 (console.backend.body_limit):
    # `--max-body-bytes`.
    max_body_bytes: int = 1024 * 1024
    # Integrations and the push URL may target loopback, private, link-local... addresses
    # (tests, on-premises): `--allow-private-webhooks`. Off, they are refused (outbound_guard).
    allow_private_webhooks: bool = False


# Environment overrides of the tuning fields above (tests shorten intervals and windows).
TUNING_ENV: dict[str, str] = {
    "CONSOLE_SSE_HEARTBEAT_S": "sse_heartbeat_s",
    "CONSOLE_FEED_POLL_S": "feed_poll_s",
    "CONSOLE_FEED_LISTEN_POLL_S": "feed_listen_poll_s",
    "CONSOLE_LOGIN_WINDOW_S": "login_window_s",
    "CONSOLE_LOGIN_FREE_FAILURES": "login_free_failures",
    "CONSOLE_LOGIN_FREE_FAILURES_PER_ADDRESS": "login_free_failures_per_address",
    "CONSOLE_LOGIN_FIRST_DELAY_S": "login_first_delay_s",
    "CONSOLE_LOGIN_MAX_DELAY_S": "login_max_delay_s",
    "CONSOLE_SIMULATOR_SENT_AFTER": "simulator_sent_after",
    "CONSOLE_SIMULATOR_DELIVERED_AFTER": "simulator_delivered_after",
    "CONSOLE_JOB_POLL_S": "job_poll_s",
    "CONSOLE_JOB_LEASE_S": "job_lease_s",
    "CONSOLE_CARRIER_WORKERS": "carrier_workers",
    "CONSOLE_RETRY_BASE_S": "retry_base_s",
}


def with_env_tuning(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """`settings` with the TUNING_ENV fields set in `environ`; ValueError names a bad value."""
    out: dict[str, Any] = {}
    for variable, field in TUNING_ENV.items():
        text = environ.get(variable)
        if text is None or not text.strip():
            continue
        kind = type(getattr(settings, field))
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(f"{variable}={text!r} is not a {kind.__name__}") from None
        if not math.isfinite(value) or value <= 0:  # nan would pass "<= 0" and break leases
            raise ValueError(f"{variable} must be a number greater than 0")
        out[field] = value
    return replace(settings, **out)
