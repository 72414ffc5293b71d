"""Who is signed in where: the profile a workspace belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from console.protocol.auth import User


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    server_url: str
    profile: str  # the profile's folder name under the data dir
    cache_path: Path
