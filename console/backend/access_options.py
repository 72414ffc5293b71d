"""`serve` options about access: token lifetimes and the proxies whose X-Forwarded-For counts."""

from __future__ import annotations

import argparse
import re
from dataclasses import replace

from console.backend.client_address import parse_trusted
from console.backend.settings import Settings

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_S = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def duration(text: str) -> float:
    """`30d`, `12h`, `15m`, `90s` or plain seconds -> seconds (more than 0)."""
    match = _DURATION.match(text.lower())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30d, 12h, 15m or 90s")
    seconds = float(match.group(1)) * _UNIT_S[match.group(2)]
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a duration must be more than 0")
    return seconds


def network(text: str) -> str:
    try:
        parse_trusted([text])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def add_access_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--token-idle", type=duration, default=None, metavar="DURATION",
                       help="a sign-in token unused this long expires (default 30d; an open "
                       "event stream counts as use)")
    serve.add_argument("--token-max-age", type=duration, default=None, metavar="DURATION",
                       help="no sign-in token lives longer than this, in use or not (default 90d)")
    serve.add_argument("--trusted-proxy", type=network, action="append", default=[],
                       metavar="ADDRESS[/BITS]",
                       help="a reverse proxy whose X-Forwarded-For names the client (repeatable; "
                       "IPs or CIDRs). Without it X-Forwarded-For is ignored")


def apply_access_options(settings: Settings, args: argparse.Namespace) -> Settings:
    return replace(
        settings,
        trusted_proxies=tuple(args.trusted_proxy),
        **({"token_idle_s": args.token_idle} if args.token_idle is not None else {}),
        **({"token_max_age_s": args.token_max_age} if args.token_max_age is not None else {}),
    )
