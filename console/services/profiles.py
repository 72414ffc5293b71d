"""Profiles saved on this machine: one cache per server + account, found without the network.

Each profile folder holds its cache (`cache.db`) and its settings (`profile.json`: the CA
bundle to trust for its server). Never a token or a password: those live in the keyring.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.protocol.auth import User
from console.store.paths import (
    CACHE_FILENAME,
    normalize_email,
    normalize_server_url,
    profile_cache_path,
    profile_dir,
    profiles_root,
)
from console.store.session_meta import peek_session

__all__ = [
    "Profile",
    "ProfileSettings",
    "find_profile",
    "list_profiles",
    "load_settings",
    "profile_cache_path",
    "save_settings",
]

log = logging.getLogger("console.services.profiles")

SETTINGS_FILENAME = "profile.json"


@dataclass(frozen=True, slots=True)
class ProfileSettings:
    ca_bundle: str | None = None  # PEM file of the CA(s) to trust for this server; None: system


def load_settings(profile_dir: Path) -> ProfileSettings:
    """The profile's settings; defaults when the file is missing or unreadable."""
    path = profile_dir / SETTINGS_FILENAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ProfileSettings()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, type(exc).__name__)
        return ProfileSettings()
    ca = raw.get("ca_bundle") if isinstance(raw, dict) else None
    return ProfileSettings(ca_bundle=ca if isinstance(ca, str) and ca else None)


def save_settings(profile_dir: Path, settings: ProfileSettings) -> None:
    """Write the settings atomically (a crash leaves the old file or the new one, never half)."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    path = profile_dir / SETTINGS_FILENAME
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str  # folder name under <data dir>/profiles
    server_url: str
    email: str
    user: User
    cache_path: Path
    last_opened_at: datetime | None
    ca_bundle: str | None = None

    @property
    def label(self) -> str:
        """`ann@example.com on chat.example.com` (what a menu shows)."""
        return f"{self.email} on {self.server_url.split('://', 1)[-1]}"


def _folder_name(name: str) -> str | None:
    try:
        return profile_dir("", "", profile=name).name
    except ValueError:
        return None  # not a usable name: no profile has it


def list_profiles() -> list[Profile]:
    """Every profile with a readable cache, most recently opened first."""
    root = profiles_root()
    if not root.is_dir():
        return []
    found: list[Profile] = []
    for folder in root.iterdir():
        path = folder / CACHE_FILENAME
        info = peek_session(path)
        if info is None:
            continue
        found.append(
            Profile(
                name=folder.name,
                server_url=info.server_url,
                email=info.email,
                user=info.user,
                cache_path=path,
                last_opened_at=info.last_opened_at,
                ca_bundle=load_settings(folder).ca_bundle,
            )
        )
    never = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda p: p.last_opened_at or never, reverse=True)
    return found


def find_profile(
    *, name: str | None = None, server_url: str | None = None, email: str | None = None
) -> Profile | None:
    """The most recently opened profile matching every given filter (None if there is none).

    `name` is matched as `--profile NAME` names a folder ("Work" is the folder "work").
    """
    server = normalize_server_url(server_url) if server_url else None
    who = normalize_email(email) if email else None
    folder = _folder_name(name) if name is not None else None
    if name is not None and folder is None:
        return None
    for profile in list_profiles():
        if folder is not None and profile.name != folder:
            continue
        if server is not None and profile.server_url != server:
            continue
        if who is not None and normalize_email(profile.email) != who:
            continue
        return profile
    return None
