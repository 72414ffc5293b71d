"""The start-up steps of the console, Qt-free: each runs on a worker thread, never the GUI's.

    demo:    start the embedded backend -> sign in as the demo admin -> open the "demo" profile
    profile: a saved profile with a remembered token -> open its cache (no network needed)
    login:   the sign-in dialog's result -> open that profile
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from console.embedded_backend import EmbeddedBackend
from console.paths import demo_backend_db
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.profiles import Profile, find_profile
from console.services.workspace import Workspace, open_workspace

log = logging.getLogger("console.startup")

DEMO_PROFILE = "demo"


@dataclass(frozen=True, slots=True)
class SavedSignIn:
    profile: Profile
    token: str


def start_demo(backend: EmbeddedBackend, auth: AuthService, profile: str | None) -> Workspace:
    """Start the bundled backend, sign in as the demo admin, open the demo profile's cache."""
    url = backend.start()
    result = auth.login(url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, profile=profile or DEMO_PROFILE)
    # The demo backend gets a new port each run: a remembered token would only pile up in the
    # keyring under a dead address. The running workspace keeps its own copy in memory.
    auth.forget(result.server_url, result.email)
    return open_from_login(result)


def demo_backend() -> EmbeddedBackend:
    return EmbeddedBackend(demo_backend_db(), seed_demo=True)


def saved_sign_in(
    auth: AuthService, *, server_url: str | None, profile: str | None
) -> SavedSignIn | None:
    """The most recent matching profile whose token is still remembered (keyring or memory)."""
    found = find_profile(name=profile, server_url=server_url)
    if found is None:
        return None
    token = auth.saved_token(found.server_url, found.email)
    if token is None:
        return None
    return SavedSignIn(found, token)


def last_profile(*, server_url: str | None, profile: str | None) -> Profile | None:
    return find_profile(name=profile, server_url=server_url)


def open_saved(saved: SavedSignIn) -> Workspace:
    """Open a saved profile from its cache; works with the backend down (it shows offline)."""
    p = saved.profile
    return open_workspace(p.cache_path, p.server_url, saved.token, p.user)


def open_from_login(result: LoginResult) -> Workspace:
    return open_workspace(result.cache_path, result.server_url, result.token, result.user)
