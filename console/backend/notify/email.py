"""Email over SMTP: `--smtp smtp://[user[:password]@]host[:port]` (or `smtps://` for TLS from
the start; `smtp://...?starttls=1` upgrades a plain connection).

A password may also come from the `CONSOLE_SMTP_PASSWORD` environment variable, which keeps it
out of the process list. Neither is ever logged: `describe()` shows the server without it.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_PASSWORD_ENV = "CONSOLE_SMTP_PASSWORD"
TIMEOUT_S = 15.0
_TRUE = {"1", "true", "yes", "on"}


class SmtpConfigError(ValueError):
    """The --smtp URL cannot be used."""


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    tls: bool = False  # smtps: TLS from the first byte
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        scheme = "smtps" if self.tls else "smtp"
        return f"{scheme}://{self.host}:{self.port}"


def parse_smtp_url(url: str) -> SmtpServer:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise SmtpConfigError("the SMTP URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise SmtpConfigError("the SMTP URL names no host")
    try:
        port = parts.port
    except ValueError:
        raise SmtpConfigError("the SMTP URL has an invalid port") from None
    tls = parts.scheme == "smtps"
    query = parse_qs(parts.query)
    starttls = not tls and query.get("starttls", ["0"])[-1].lower() in _TRUE
    password = unquote(parts.password) if parts.password else os.environ.get(SMTP_PASSWORD_ENV)
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if tls else 25),
        tls=tls,
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=password or None,
    )


def compose(sender: str, to: str, subject: str, text: str, *, reference: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(idstring=reference)
    message.set_content(text)
    return message


def send(server: SmtpServer, message: EmailMessage, *, timeout: float = TIMEOUT_S) -> None:
    """Hand the message to the server; raises (smtplib.SMTPException, OSError) if it is not
    accepted for every recipient."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if server.tls:
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=timeout)
    with client:
        if server.starttls:
            client.starttls(context=context)
        if server.username:
            client.login(server.username, server.password or "")
        refused = client.send_message(message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)
