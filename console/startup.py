"""The start-up and account steps of the console, Qt-free: each runs on a worker thread.

    demo:     start the embedded backend -> sign in as the demo admin -> open the "demo" profile
    profile:  a saved profile with a remembered token -> open its cache (no network needed)
    login:    the sign-in dialog's result -> open that profile
    switch:   close the current workspace (threads stopped) -> open another profile's cache
    sign out: close the workspace -> revoke the token on the server -> forget it here
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from console.embedded_backend import EmbeddedBackend
from console.paths import demo_backend_db
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult, SignOutResult
from console.services.profiles import (
    Profile,
    ProfileSettings,
    find_profile,
    list_profiles,
    load_settings,
    save_settings,
)
from console.services.session import Account
from console.services.workspace import Workspace, open_workspace

log = logging.getLogger("console.startup")

DEMO_PROFILE = "demo"


@dataclass(frozen=True, slots=True)
class SavedSignIn:
    profile: Profile
    token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ProfileStatus:
    profile: Profile
    signed_in: bool  # a token is remembered for it (keyring or this process's memory)


@dataclass(frozen=True, slots=True)
class Opened:
    """A started-up workspace, the account it runs as, and every profile (for the menu)."""

    workspace: Workspace
    account: Account
    profiles: list[ProfileStatus]


def profile_statuses(auth: AuthService) -> list[ProfileStatus]:
    """Every saved profile and whether it has a token (reads the keyring: not on the GUI thread)."""
    return [
        ProfileStatus(p, auth.saved_token(p.server_url, p.email) is not None)
        for p in list_profiles()
    ]


def start_demo(backend: EmbeddedBackend, auth: AuthService, profile: str | None) -> Opened:
    """Start the bundled backend, sign in as the demo admin, open the demo profile's cache."""
    url = backend.start()
    result = auth.login(url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, profile=profile or DEMO_PROFILE)
    # The demo backend gets a new port each run: a remembered token would only pile up in the
    # keyring under a dead address. The running workspace keeps its own copy in memory.
    auth.forget(result.server_url, result.email)
    return open_login(auth, result)


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


def open_account(auth: AuthService, account: Account) -> Opened:
    """Open `account`'s profile cache and wire its services; works with the backend down."""
    workspace = open_workspace(
        account.cache_path, account.server_url, account.token, account.user,
        ca_bundle=account.ca_bundle,
    )
    return Opened(workspace, account, profile_statuses(auth))


def account_of(profile: Profile, token: str | None) -> Account:
    return Account(
        server_url=profile.server_url, email=profile.email, user=profile.user,
        cache_path=profile.cache_path, token=token, ca_bundle=profile.ca_bundle,
    )


def open_saved(auth: AuthService, saved: SavedSignIn) -> Opened:
    """Open a saved profile from its cache; works with the backend down (it shows offline)."""
    return open_account(auth, account_of(saved.profile, saved.token))


def open_login(auth: AuthService, result: LoginResult) -> Opened:
    """Open the profile a sign-in belongs to, remembering its CA bundle setting."""
    _remember_ca_bundle(result)
    return open_account(
        auth,
        Account(
            server_url=result.server_url, email=result.email, user=result.user,
            cache_path=result.cache_path, token=result.token, ca_bundle=result.ca_bundle,
        )
    )


def open_from_login(result: LoginResult) -> Workspace:
    """Open the profile of a sign-in (tests and scripts: the workspace alone)."""
    _remember_ca_bundle(result)
    return open_workspace(
        result.cache_path, result.server_url, result.token, result.user,
        ca_bundle=result.ca_bundle,
    )


def _remember_ca_bundle(result: LoginResult) -> None:
    """The CA bundle a sign-in worked with becomes its profile's setting (cleared when none)."""
    folder = result.cache_path.parent
    if load_settings(folder).ca_bundle != result.ca_bundle:
        save_settings(folder, ProfileSettings(ca_bundle=result.ca_bundle))


def close_workspace(workspace: Workspace | None) -> None:
    """Stop the engine thread (bounded) and close the cache; safe to call with None."""
    if workspace is not None:
        workspace.close()


def switch_profile(auth: AuthService, current: Workspace | None, profile: Profile) -> Opened:
    """Close the current workspace, then open `profile` from its cache at once (offline-capable:
    with no remembered token it opens signed out, showing its cached conversations)."""
    close_workspace(current)
    token = auth.saved_token(profile.server_url, profile.email)
    return open_account(auth, account_of(profile, token))


def sign_out(auth: AuthService, current: Workspace | None, account: Account) -> SignOutResult:
    """Close the workspace, revoke the token on the server, and forget it here (always)."""
    close_workspace(current)
    return auth.sign_out(account.server_url, account.email, account.token,
                         ca_bundle=account.ca_bundle)


def profile_for_login(server_url: str, email: str, forced: str | None) -> str | None:
    """The profile folder a sign-in goes to: `forced` (--profile NAME), else the existing
    profile of that server + account (it may have been named), else the derived one."""
    if forced is not None:
        return forced
    try:
        found = find_profile(server_url=server_url, email=email)
    except ValueError:
        return None  # not an address: login() says so
    return found.name if found is not None else None
