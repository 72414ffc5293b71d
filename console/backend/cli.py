"""`agent-console-backend serve | create-user | add-number` (see API.md "Running the backend")."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import NoReturn

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from console.backend.access_options import add_access_options, apply_access_options
from console.backend.carrier.base import CarrierUnavailable
from console.backend.db import Database
from console.backend.lifecycle import prepare_database
from console.backend.settings import CarrierName, SeedName, Settings, with_env_tuning
from console.domain.errors import DomainError
from console.protocol.auth import UserCreate
from console.protocol.numbers import NumberCreate


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (scripts read the reason), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not between 0 and 65535")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="agent-console-backend", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--db", required=True, help="SQLAlchemy URL, e.g. sqlite:///backend.db")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8080, help="0 picks a free port")
    serve.add_argument("--carrier", choices=["simulator", "twilio"], default="simulator")
    serve.add_argument("--seed", choices=["demo"], default=None, help="seed an empty database")
    serve.add_argument("--smtp", default=None, metavar="URL",
                       help="email group-message notifications through this SMTP server, "
                       "smtp://[user@]host[:port][?starttls=1] or smtps://... (password: "
                       "CONSOLE_SMTP_PASSWORD)")
    serve.add_argument("--smtp-from", default=None, metavar="ADDRESS",
                       help="the From address of notification emails")
    serve.add_argument("--push-url", default=None, metavar="URL",
                       help="POST a push notification per group-message recipient here "
                       "(signed when CONSOLE_PUSH_SECRET is set)")
    serve.add_argument("--job-workers", type=int, default=None, metavar="N",
                       help="background delivery workers in this process (default 2)")
    serve.add_argument("--carrier-workers", type=int, default=None, metavar="N",
                       help="workers handing outbound SMS to the carrier in this process "
                       "(default 4); any process's workers send any process's messages")
    serve.add_argument("--allow-private-webhooks", action="store_true",
                       help="let integrations and --push-url reach loopback, private and "
                       "link-local addresses (tests, on-premises receivers); refused otherwise")
    serve.add_argument("--max-body-bytes", type=int, default=None, metavar="N",
                       help="refuse request bodies larger than this with 413 (default 1048576)")
    serve.add_argument("--help-reply", default=None, metavar="TEXT",
                       help="the answer to an inbound HELP or INFO text")
    serve.add_argument("--ssl-certfile", default=None, metavar="PEM",
                       help="serve HTTPS with this certificate (chain) file")
    serve.add_argument("--ssl-keyfile", default=None, metavar="PEM",
                       help="the private key of --ssl-certfile (if not in that file)")
    add_access_options(serve)

    user = commands.add_parser(
        "create-user", help="add a staff account; prints its id",
        description="The password comes from --password, --password-stdin, the environment "
        "variable CONSOLE_USER_PASSWORD, or else a prompt on the terminal.",
    )
    user.add_argument("--db", required=True)
    user.add_argument("--email", required=True)
    secret = user.add_mutually_exclusive_group()
    secret.add_argument("--password", default=None,
                        help="for scripts only: it shows in shell history and process lists")
    secret.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    user.add_argument("--name", default="")
    user.add_argument("--role", choices=["admin", "user"], required=True)
    user.add_argument("--data-access", choices=["all", "assigned"], default="all")

    number = commands.add_parser("add-number", help="add a business number; prints its id")
    number.add_argument("--db", required=True)
    number.add_argument("--e164", required=True, help="the number, any US-style form")
    number.add_argument("--label", default="")
    number.add_argument("--default", action="store_true", help="make it the default number")
    number.add_argument("--assign-to", default=None, metavar="USER_ID")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "create-user":
            return _create_user(args)
        return _add_number(args)
    except (DomainError, CarrierUnavailable) as exc:
        return _fail(str(exc))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return _fail(f"{where}: {first['msg']}")
    except SQLAlchemyError as exc:
        return _fail(f"database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    except OSError as exc:
        return _fail(str(exc))


def _fail(reason: str) -> int:
    sys.stderr.write(f"error: {' '.join(reason.split())}\n")
    return 1


def _serve(args: argparse.Namespace) -> int:
    from console.backend.server import serve  # uvicorn and FastAPI only when serving

    if args.ssl_keyfile and not args.ssl_certfile:
        return _fail("--ssl-keyfile needs --ssl-certfile")
    carrier: CarrierName = args.carrier
    seed: SeedName | None = args.seed
    settings = Settings(db_url=args.db, carrier=carrier, seed=seed)
    if args.help_reply is not None:
        if not args.help_reply.strip():
            return _fail("--help-reply needs some text")
        settings = replace(settings, help_reply=args.help_reply.strip())
    problem = _delivery_settings_problem(args)
    if problem:
        return _fail(problem)
    settings = replace(
        settings, smtp_url=args.smtp, push_url=args.push_url,
        **({"smtp_from": args.smtp_from} if args.smtp_from else {}),
        **({"job_workers": args.job_workers} if args.job_workers is not None else {}),
        **({"carrier_workers": args.carrier_workers}
           if args.carrier_workers is not None else {}),
        **({"max_body_bytes": args.max_body_bytes} if args.max_body_bytes is not None else {}),
        allow_private_webhooks=args.allow_private_webhooks,
    )
    settings = apply_access_options(settings, args)
    try:
        settings = with_env_tuning(settings, os.environ)
    except ValueError as exc:
        return _fail(str(exc))
    if settings.carrier == "twilio":
        from console.backend.carrier.twilio import TwilioConfig

        TwilioConfig.from_env(os.environ)  # its settings are checked before anything starts
    # Migrate and seed before binding, so a bad database is one clear line, not a traceback.
    db = Database(settings.db_url)
    try:
        prepare_database(db, settings)
    finally:
        db.dispose()
    _announce_carrier(settings.carrier, args.host)
    return serve(
        replace(settings, migrate=False, seed=None), args.host, args.port,
        ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
    )


def _announce_carrier(carrier: str, host: str) -> None:
    """Which carrier runs, on its own line before `listening on ...` (scripts parse that one
    alone); a simulator reachable from other machines is warned about on stderr."""
    from console.backend.startup_notice import carrier_line, simulator_exposure_warning

    sys.stdout.write(carrier_line(carrier) + "\n")
    sys.stdout.flush()
    warning = simulator_exposure_warning(carrier, host)
    if warning:
        sys.stderr.write(warning + "\n")
        sys.stderr.flush()


def _delivery_settings_problem(args: argparse.Namespace) -> str | None:
    from console.backend.notify.email import SmtpConfigError, parse_smtp_url
    from console.backend.outbound_guard import REFUSED, check_url

    if args.smtp is not None:
        try:
            parse_smtp_url(args.smtp)
        except SmtpConfigError as exc:
            return f"--smtp: {exc}"
    if args.push_url is not None:
        problem = check_url(args.push_url, allow_private=args.allow_private_webhooks)
        if problem:
            hint = " (see --allow-private-webhooks)" if problem.startswith(REFUSED) else ""
            return f"--push-url: {problem}{hint}"
    if args.max_body_bytes is not None and args.max_body_bytes < 1:
        return "--max-body-bytes must be at least 1"
    if args.job_workers is not None and args.job_workers < 0:
        return "--job-workers cannot be negative"
    if args.carrier_workers is not None and args.carrier_workers < 0:
        return "--carrier-workers cannot be negative"
    return None


def _open(url: str) -> Database:
    db = Database(url)
    prepare_database(db, Settings(db_url=url))
    return db


def _create_user(args: argparse.Namespace) -> int:
    from console.backend.ops.users import create_user
    from console.backend.user_password import PasswordUnavailable, read_password

    try:
        password = read_password(
            given=args.password, from_stdin=args.password_stdin, environ=os.environ,
            stdin=sys.stdin, account=args.email,
        )
    except PasswordUnavailable as exc:
        return _fail(str(exc))
    data = UserCreate(
        email=args.email, name=args.name, password=password, role=args.role,
        data_access=args.data_access,
    )
    db = _open(args.db)
    try:
        with db.writing() as session:
            user_id = create_user(session, data).id
    finally:
        db.dispose()
    print(user_id)
    return 0


def _add_number(args: argparse.Namespace) -> int:
    from console.backend.ops.numbers import create_number

    data = NumberCreate(
        e164=args.e164, label=args.label, is_default=args.default,
        assigned_user_id=args.assign_to,
    )
    db = _open(args.db)
    try:
        with db.writing() as session:
            number_id = create_number(session, data).id
    finally:
        db.dispose()
    print(number_id)
    return 0
