"""AuthService without a network: keyring fallbacks, address checks, notices, saved profiles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from keyring.errors import PasswordSetError

from console.protocol.auth import User
from console.services.auth import (
    KEYRING_SERVICE,
    NO_KEYRING_NOTICE,
    AuthService,
    keyring_username,
)
from console.services.errors import BackendUnavailable, InvalidServerAddress, LoginFailed
from console.services.notices import NoticeBoard
from console.services.profiles import find_profile, list_profiles, profile_cache_path
from console.services.types import Notice
from console.services.workspace import open_workspace
from tests.conftest import MemoryKeyring


class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring that is there but refuses writes (a locked or broken Secret Service)."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise PasswordSetError("the collection is locked")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def test_with_no_keyring_backend_tokens_live_in_memory_and_a_notice_says_so(
    no_keyring: None,
) -> None:
    auth = AuthService()
    assert auth.keyring_available is False
    assert auth.keyring_notice == NO_KEYRING_NOTICE
    told: list[Notice] = []
    auth.notices.connect(told.append)  # connected after the fact: still told, once
    assert told == [NO_KEYRING_NOTICE]
    assert "memory only" in told[0].text
    assert told[0].level == "warning"
    auth._store("http://h:1", "a@b.c", "tok-1")  # what login() does after the server answers
    assert auth.saved_token("http://h:1/", "A@B.C") == "tok-1"
    assert AuthService().saved_token("http://h:1", "a@b.c") is None  # gone with the process
    auth.forget("http://h:1", "a@b.c")
    assert auth.saved_token("http://h:1", "a@b.c") is None


def test_a_keyring_that_refuses_writes_falls_back_to_memory(memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(LockedKeyring())  # type: ignore[no-untyped-call]
    auth = AuthService()
    before = auth.keyring_available
    saved = auth._store("http://h:1", "a@b.c", "tok-2")
    assert (before, saved, auth.keyring_available) == (True, False, False)
    assert auth.notices.history == [NO_KEYRING_NOTICE]
    assert auth.saved_token("http://h:1", "a@b.c") == "tok-2"


def test_tokens_go_to_the_keyring_under_server_and_email(memory_keyring: MemoryKeyring) -> None:
    auth = AuthService()
    assert auth._store("https://Chat.Example.com/", "Ann@Example.com", "tok-3") is True
    name = keyring_username("https://chat.example.com", "ann@example.com")
    assert memory_keyring.store == {(KEYRING_SERVICE, name): "tok-3"}
    assert auth.saved_token("https://chat.example.com", "ann@example.com") == "tok-3"
    assert auth.notices.history == []


def test_login_refuses_bad_addresses_and_missing_fields_before_the_network() -> None:
    auth = AuthService()
    with pytest.raises(InvalidServerAddress):
        auth.login("ftp://nope", "a@b.c", "pw")
    with pytest.raises(LoginFailed) as caught:
        auth.login("http://127.0.0.1:9", "", "pw")
    assert caught.value.message == "Enter your email and password."


def test_login_to_a_server_that_is_not_there_is_a_clear_error() -> None:
    with pytest.raises(BackendUnavailable) as caught:
        AuthService(timeout=2.0).login("http://127.0.0.1:9", "a@b.c", "pw")
    assert "could not be reached" in caught.value.message
    assert caught.value.code == "unreachable"


def test_notice_board_tells_each_notice_once_and_replays_to_late_listeners() -> None:
    board = NoticeBoard()
    early: list[Notice] = []
    board.connect(early.append)
    first = Notice("info", "one")
    board.emit(first)
    board.emit(first)
    board.emit(Notice("warning", "two"))
    late: list[Notice] = []
    disconnect = board.connect(late.append)
    assert early == late == [first, Notice("warning", "two")]
    disconnect()
    board.emit(Notice("info", "three"))
    assert len(late) == 2
    assert len(early) == 3


def test_saved_profiles_are_found_without_the_network(isolated_dirs: Path) -> None:
    assert list_profiles() == []
    ann = User(id="u1", email="ann@example.com", name="Ann", role="admin", data_access="all")
    bob = User(id="u2", email="bob@example.com", name="Bob", role="user", data_access="assigned")
    for user in (ann, bob):
        path = profile_cache_path("http://127.0.0.1:8123", user.email)
        open_workspace(path, "http://127.0.0.1:8123/", None, user).close()
    profiles = list_profiles()
    assert [p.email for p in profiles] == ["bob@example.com", "ann@example.com"]  # newest first
    found = find_profile(server_url="127.0.0.1:8123", email="ANN@example.com")
    assert found is not None
    assert found.user == ann
    assert found.cache_path == profile_cache_path("http://127.0.0.1:8123", "ann@example.com")
    assert find_profile(server_url="http://elsewhere") is None
    assert find_profile(name=profiles[0].name) == profiles[0]
