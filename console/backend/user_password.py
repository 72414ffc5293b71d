"""Where `create-user` gets the new account's password.

`--password P` stays for scripts (API.md names it), but it lands in shell history and in every
process listing; the other sources do not: `--password-stdin` (one line), the environment
variable CONSOLE_USER_PASSWORD, or, on a terminal, a prompt that does not echo. With none of
them and no terminal to ask on, the command fails instead of waiting for input that never comes.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping
from typing import TextIO

PASSWORD_ENV = "CONSOLE_USER_PASSWORD"


class PasswordUnavailable(Exception):
    """No password could be had; the message says how to give one."""


def read_password(
    *,
    given: str | None,
    from_stdin: bool,
    environ: Mapping[str, str],
    stdin: TextIO,
    ask: Callable[[str], str] = getpass.getpass,
    account: str = "",
) -> str:
    """The password from the first source there is (in the order the module doc lists)."""
    if given is not None:
        return given
    if from_stdin:
        line = stdin.readline().rstrip("\r\n")
        if not line:
            raise PasswordUnavailable("--password-stdin: no password on standard input")
        return line
    if environ.get(PASSWORD_ENV):
        return environ[PASSWORD_ENV]
    if not stdin.isatty():
        raise PasswordUnavailable(
            f"no password: give --password-stdin, set {PASSWORD_ENV}, or run on a terminal "
            "to be asked"
        )
    return _prompt(ask, account)


def _prompt(ask: Callable[[str], str], account: str) -> str:
    try:
        first = ask(f"Password for {account}: " if account else "Password: ")
        if not first:
            raise PasswordUnavailable("no password typed")
        if ask("Same password again: ") != first:
            raise PasswordUnavailable("the passwords do not match")
    except (EOFError, KeyboardInterrupt):
        raise PasswordUnavailable("no password typed") from None
    return first
