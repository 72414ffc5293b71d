"""Twilio's request signature (X-Twilio-Signature), as its webhook security docs define it.

The signed string is the full URL Twilio requested (scheme, host, path and query, exactly as
configured) followed by every POST parameter sorted by name, each as name then value with
nothing between (a name sent several times: its distinct values, sorted, as Twilio's own
libraries do). HMAC-SHA1 keyed with the account's auth token, base64-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    data = url + "".join(name + value for name, value in sorted(set(params)))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], signature: str | None
) -> bool:
    if not signature:
        return False
    expected = twilio_signature(auth_token, url, params)
    return hmac.compare_digest(expected.encode(), signature.encode())
