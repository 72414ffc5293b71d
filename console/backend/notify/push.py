"""Push notifications through a configured webhook (`--push-url URL`).

Our push gateway (or a relay to APNs/FCM) receives, for each recipient of a group message:

    POST <push-url>
    Content-Type: application/json
    X-Console-Event: group_message
    X-Console-Delivery: <delivery id, the same on every retry>
    X-Console-Signature: <hex>   (only when CONSOLE_PUSH_SECRET is set)

    {"type": "group_message", "delivery_id", "contact_id", "group_message_id",
     "conversation_id", "message_id", "title", "body", "sender_name"}

Any 2xx answer is success; anything else (or no answer in 10 s) is retried with backoff.
"""

from __future__ import annotations

import json
from typing import Any

PUSH_SECRET_ENV = "CONSOLE_PUSH_SECRET"
PUSH_EVENT = "group_message"


def payload(
    *,
    delivery_id: str,
    contact_id: str,
    group_message_id: str,
    conversation_id: str,
    message_id: str,
    title: str,
    body: str,
    sender_name: str,
) -> bytes:
    document: dict[str, Any] = {
        "type": PUSH_EVENT,
        "delivery_id": delivery_id,
        "contact_id": contact_id,
        "group_message_id": group_message_id,
        "conversation_id": conversation_id,
        "message_id": message_id,
        "title": title,
        "body": body,
        "sender_name": sender_name,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
