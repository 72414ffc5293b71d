"""Where profile caches live: one SQLite file per server + user under the user data dir."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_data_dir

APP_NAME = "agent-console"
CACHE_FILENAME = "cache.db"
_UNSAFE = re.compile(r"[^a-z0-9._@-]+")


def data_root() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def profiles_root() -> Path:
    return data_root() / "profiles"


# A host name (letters, digits, hyphens, dots, and the underscores container networks use;
# a non-ASCII name in its xn-- form), an IPv4 or an IPv6 literal.
_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?|[0-9a-f:.]*:[0-9a-f:.]*")


def normalize_server_url(url: str) -> str:
    """`http(s)://host[:port][/path]` with no trailing slash; a bare host gets http://.

    Raises ValueError for something that is not a server address.
    """
    text = (url or "").strip()
    if not text:
        raise ValueError("The server address is empty.")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) server address.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{url!r} should be just the server address, like https://host:port.")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{url!r} has an invalid port.") from exc
    host = parts.hostname.lower()
    try:
        host = host.encode("idna").decode("ascii")  # münchen.de -> xn--mnchen-3ya.de
    except UnicodeError:
        host = " "  # not a name: refused below
    if not _HOST.fullmatch(host):
        # "not a url at all" would otherwise become http://not a url at all, "unreachable".
        raise ValueError(
            f"{url!r} is not a server address. Enter one like https://console.example.com "
            "or 192.168.1.20:8000."
        )
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def profile_slug(server_url: str, email: str) -> str:
    """Readable, file-system safe and unique for (server, email): `email-host-port-hash`."""
    server = normalize_server_url(server_url)
    who = normalize_email(email)
    readable = _UNSAFE.sub("-", f"{who}-{server.split('://', 1)[1]}".lower()).strip("-.")[:80]
    digest = hashlib.sha256(f"{server}\n{who}".encode()).hexdigest()[:10]
    return f"{readable}-{digest}"


def profile_dir(server_url: str, email: str, *, profile: str | None = None) -> Path:
    """The folder of a profile; `profile` (e.g. `--profile NAME`) overrides the derived slug."""
    if profile is not None:
        name = _UNSAFE.sub("-", profile.strip().lower()).strip("-.")
        if not name:
            raise ValueError(f"{profile!r} is not a usable profile name.")
        return profiles_root() / name
    return profiles_root() / profile_slug(server_url, email)


def profile_cache_path(server_url: str, email: str, *, profile: str | None = None) -> Path:
    """`<user_data_dir>/profiles/<slug of server+email>/cache.db` (folders not created here)."""
    return profile_dir(server_url, email, profile=profile) / CACHE_FILENAME
