"""Who is signed in where: the profile a workspace belongs to, and the account it runs as."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from console.protocol.auth import User


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    server_url: str
    profile: str  # the profile's folder name under the data dir
    cache_path: Path


@dataclass(frozen=True, slots=True)
class Account:
    """The account a running workspace signs in as. Kept in memory only, never written."""

    server_url: str  # normalized
    email: str  # normalized
    user: User
    cache_path: Path
    token: str | None = field(default=None, repr=False)  # None: offline until signed in again
    ca_bundle: str | None = None  # PEM file trusted for this server's certificate

    @property
    def profile(self) -> str:
        return self.cache_path.parent.name
