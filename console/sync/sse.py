"""A parser for server-sent events (`text/event-stream`), as the HTML standard interprets them.

Incremental: feed it bytes as they arrive (split anywhere, even inside a UTF-8 sequence or a
CR LF pair) and it returns what each chunk completed. Qt-free and I/O-free, so it is tested on
its own; console/sync/event_stream.py reads the HTTP response into it.

Spec points it keeps: lines end in CR LF, LF or CR; one leading BOM is dropped; `:` starts a
comment; `field: value` loses one space after the colon; a line without a colon is a field with
an empty value; `data` lines join with LF; `id` with a NUL is ignored; `retry` only if all
digits; a blank line dispatches; an event cut off by the end of the stream is discarded; the
last event id is kept across events (and only moves when a block is dispatched).

One addition: a block with an `id` but no `data` is reported as SseIdUpdate. Browsers dispatch
nothing for it but still move their last event id; a feed uses it to move the cursor on past
changes this reader may not see.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class SseEvent:
    type: str  # the `event` field, "message" when the server named none
    data: str
    id: str | None  # the stream's last event id once this event is dispatched


@dataclass(frozen=True, slots=True)
class SseComment:
    text: str  # without the leading ":" and one space (servers use these as heartbeats)


@dataclass(frozen=True, slots=True)
class SseIdUpdate:
    id: str


SseItem = SseEvent | SseComment | SseIdUpdate


class SseParser:
    def __init__(self, last_event_id: str | None = None) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""  # the start of a line whose end has not arrived yet
        self._after_cr = False  # the last chunk ended in CR: a LF opening the next one joins it
        self._started = False  # past the (optional) byte order mark
        self.last_event_id = last_event_id
        self.retry_ms: int | None = None  # the server's reconnection time, when it sent one
        self._type = ""
        self._data: list[str] | None = None
        self._id: str | None = None  # an `id` field seen in the block being read

    def feed(self, chunk: bytes) -> list[SseItem]:
        """The items `chunk` completed, in stream order."""
        return self._feed_text(self._decoder.decode(chunk))

    def close(self) -> list[SseItem]:
        """End of stream: anything not ended by a blank line is dropped (as the spec says)."""
        items = self._feed_text(self._decoder.decode(b"", final=True))
        self._partial = ""
        self._reset_block()
        return items

    def _feed_text(self, text: str) -> list[SseItem]:
        if not text:
            return []
        if self._after_cr and text.startswith("\n"):
            text = text[1:]
        self._after_cr = text.endswith("\r")
        if not self._started:
            self._started = True
            if text.startswith(_BOM):
                text = text[1:]
        lines = _LINE_BREAK.split(self._partial + text)
        self._partial = lines.pop()
        items: list[SseItem] = []
        for line in lines:
            item = self._line(line)
            if item is not None:
                items.append(item)
        return items

    def _line(self, line: str) -> SseItem | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            text = line[1:]
            return SseComment(text[1:] if text.startswith(" ") else text)
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._type = value
        elif name == "data":
            if self._data is None:
                self._data = []
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        # Any other field name (or an id with NUL, a retry that is not digits) is ignored.
        return None

    def _dispatch(self) -> SseItem | None:
        id_seen = self._id is not None
        if self._id is not None:
            self.last_event_id = self._id
        data, event_type = self._data, self._type
        self._reset_block()
        if data is None:
            if id_seen and self.last_event_id is not None:
                return SseIdUpdate(self.last_event_id)
            return None
        return SseEvent(event_type or "message", "\n".join(data), self.last_event_id)

    def _reset_block(self) -> None:
        self._type = ""
        self._data = None
        self._id = None
