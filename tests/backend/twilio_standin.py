"""A stand-in for Twilio's REST API (Programmable Messaging's `Messages.json`) that checks what
Twilio's docs require (Basic auth with the account sid and auth token, form fields To, From,
Body, StatusCallback) and records every request, for the tests of `serve --carrier twilio`
(test_twilio.py, test_scaleout_twilio.py).

Per To number it can refuse (400 / 21211), be busy (503, with a Retry-After), hold the answer
(the request stays in flight: a backend killed meanwhile never hears back), or answer success
without a message sid. Several backends can share one stand-in: each is given the API base
`url_for(tag)` (`.../via/TAG`), and every request records the tag of the process that made it.
With `callback_to` set, the stand-in also plays Twilio's status callbacks: a signed `sent` for
every message it took, posted to the first of those backend addresses that answers.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx

from console.backend.carrier.twilio_signature import twilio_signature

ACCOUNT = "AC00000000000000000000000000000001"
TOKEN = "twilio-test-auth-token-0001"
PUBLIC = "https://console.example.test"  # where "Twilio" reaches the backend (a proxy, say)
INVALID_TO_CODE = 21211
STATUS_PATH = "/webhooks/twilio/status"
# When the status callbacks of one taken message go out, after the answer (s). Twilio sends
# several as a message moves on; repeating `sent` is harmless (a status only moves forward)
# and covers a callback that beats the backend's own record of the sid (a callback for a sid
# not recorded yet is acknowledged and changes nothing), even on a busy machine.
CALLBACK_DELAYS_S = (0.3, 1.5, 4.0, 8.0, 12.0)

_PATH = re.compile(rf"^(?:/via/([\w-]+))?/2010-04-01/Accounts/{ACCOUNT}/Messages\.json$")


def signed_headers(path: str, form: dict[str, str], signature: str | None = None) -> dict[str, str]:
    """The headers of a webhook Twilio sends to PUBLIC + path with this form."""
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature or twilio_signature(TOKEN, PUBLIC + path,
                                                             list(form.items())),
    }


@dataclass
class FakeTwilio:
    server: ThreadingHTTPServer
    # Every request, in arrival order: its form fields plus `_answer` (pending, held, 503,
    # 400, no sid, or the message sid), `_via` (the API base's tag, "" without one) and `_at`
    # (time.monotonic() on arrival). A request cut off before its whole body arrived (its
    # sender was killed while writing it) is only `_answer` "cut off", `_via` and `_at`.
    sent: list[dict[str, Any]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # To numbers answered 400 / 21211
    busy: dict[str, int] = field(default_factory=dict)  # To -> how many 503s before taking it
    busy_retry_after: dict[str, float] = field(default_factory=dict)  # To -> its 503s' Retry-After
    hold: set[str] = field(default_factory=set)  # To numbers answered only after a pause:
    hold_s: float = 5.0  # this long, or until the number leaves `hold`
    no_sid: set[str] = field(default_factory=set)  # To numbers answered 201 with no message sid
    callback_to: list[str] = field(default_factory=list)  # backend URLs for status callbacks
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url_for(self, tag: str) -> str:
        """The API base for one backend process: its requests are recorded with `_via` tag."""
        return f"{self.url}/via/{tag}"

    def to(self, number: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.sent if m.get("To") == number]

    def requests(self) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.sent]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_fake_twilio() -> FakeTwilio:
    """A stand-in listening on a free loopback port (serving from a daemon thread)."""
    ref: list[FakeTwilio] = []
    server = _QuietServer(("127.0.0.1", 0), _handler(ref))
    ref.append(FakeTwilio(server))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return ref[0]


def _handler(fake_ref: list[FakeTwilio]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            fake = fake_ref[0]
            expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
            length = int(self.headers["Content-Length"])
            raw = self.rfile.read(length)
            path = _PATH.match(self.path)
            if path is None:
                return self._answer(404, {"code": 20404, "message": "not found"})
            if len(raw) < length:  # its sender died while writing it: nothing to act on
                with fake.lock:
                    fake.sent.append({"_answer": "cut off", "_via": path.group(1) or "",
                                      "_at": time.monotonic()})
                return None
            form = dict(parse_qsl(raw.decode()))
            if self.headers.get("Authorization") != expected_auth:
                return self._answer(401, {"code": 20003, "message": "Authenticate"})
            if self.headers.get("Content-Type", "").split(";")[0] != (
                "application/x-www-form-urlencoded"
            ):
                return self._answer(400, {"code": 20001, "message": "form expected"})
            to = form.get("To", "")
            with fake.lock:
                fake.sent.append({**form, "_answer": "pending", "_via": path.group(1) or "",
                                  "_at": time.monotonic()})
                record = fake.sent[-1]
                if fake.busy.get(to, 0) > 0:
                    fake.busy[to] -= 1
                    record["_answer"] = "503"
                    retry_after = fake.busy_retry_after.get(to, 0)
                    return self._answer(503, {"code": 20503, "message": "busy"},
                                        retry_after=f"{retry_after:g}")
            if to in fake.hold:
                record["_answer"] = "held"
                until = time.monotonic() + fake.hold_s
                while to in fake.hold and time.monotonic() < until:
                    time.sleep(0.05)  # the caller may be gone by then (killed mid-request)
            if to in fake.refuse:
                record["_answer"] = "400"
                return self._answer(400, {"code": INVALID_TO_CODE, "message": "invalid To"})
            if to in fake.no_sid:  # a success that names no message: was it taken or not?
                record["_answer"] = "no sid"
                return self._answer(201, {"status": "queued", "to": to})
            record["_answer"] = record["Sid"] = sid = "SM" + uuid.uuid4().hex
            self._answer(201, {"sid": sid, "status": "queued", "to": to})
            if fake.callback_to:
                threading.Thread(target=_status_callbacks, args=(fake, sid), daemon=True).start()

        def _answer(self, status: int, body: dict[str, Any], retry_after: str = "") -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if retry_after:
                self.send_header("Retry-After", retry_after)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


def _status_callbacks(fake: FakeTwilio, sid: str) -> None:
    """Twilio telling the backend the message was sent (to any backend that answers)."""
    form = {"MessageSid": sid, "MessageStatus": "sent", "AccountSid": ACCOUNT}
    started = time.monotonic()
    for delay in CALLBACK_DELAYS_S:
        time.sleep(max(0.0, started + delay - time.monotonic()))
        with fake.lock:
            targets = list(fake.callback_to)
        for base in targets:
            try:
                answer = httpx.post(base + STATUS_PATH, content=urlencode(form),
                                    headers=signed_headers(STATUS_PATH, form), timeout=5)
            except httpx.HTTPError:
                continue  # that backend is gone: the next one
            if answer.status_code == 204:
                break


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a held answer written to a backend killed meanwhile: expected, not news
