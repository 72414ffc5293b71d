"""Profiles saved on this machine: one cache per server + account, found without the network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.protocol.auth import User
from console.store.paths import (
    CACHE_FILENAME,
    normalize_email,
    normalize_server_url,
    profile_cache_path,
    profiles_root,
)
from console.store.session_meta import peek_session

__all__ = ["Profile", "find_profile", "list_profiles", "profile_cache_path"]


@dataclass(frozen=True, slots=True)
class Profile:
    name: str  # folder name under <data dir>/profiles
    server_url: str
    email: str
    user: User
    cache_path: Path
    last_opened_at: datetime | None


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
            )
        )
    never = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda p: p.last_opened_at or never, reverse=True)
    return found


def find_profile(
    *, name: str | None = None, server_url: str | None = None, email: str | None = None
) -> Profile | None:
    """The most recently opened profile matching every given filter (None if there is none)."""
    server = normalize_server_url(server_url) if server_url else None
    who = normalize_email(email) if email else None
    for profile in list_profiles():
        if name is not None and profile.name != name:
            continue
        if server is not None and profile.server_url != server:
            continue
        if who is not None and normalize_email(profile.email) != who:
            continue
        return profile
    return None
