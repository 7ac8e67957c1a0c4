"""Server-sent events, sans-I/O: bytes in, events out, and the reverse.

``SseDecoder`` follows the WHATWG event-stream rules: lines end with CRLF, LF
or CR (a CRLF split across two chunks counts once); ``:`` starts a comment;
``data`` lines join with ``\\n``; a blank line dispatches the event, unless no
``data`` was seen; ``id`` with a NUL is ignored; ``retry`` takes digits only;
a leading byte-order mark is dropped. Bytes may be cut anywhere, even inside a
UTF-8 character: the decoder keeps the unfinished line for the next chunk.

>>> decoder = SseDecoder()
>>> decoder.feed(b"event: agent-execution\\ndata: {\\"id\\"")
[]
>>> decoder.feed(b": 1}\\n\\n")
[SseEvent(event='agent-execution', data='{"id": 1}', id=None, retry=None)]
>>> encode_sse("ping", "a\\nb")
b'event: ping\\ndata: a\\ndata: b\\n\\n'
"""

from __future__ import annotations

import re

import msgspec

_BOM = "\ufeff"
_EOL = re.compile(rb"[\r\n]")


class SseEvent(msgspec.Struct, kw_only=True, frozen=True):
    """One dispatched event. ``event`` is ``message`` when the stream named none."""

    event: str = "message"
    data: str = ""
    id: str | None = None
    retry: int | None = None


class SseDecoder:
    """Incremental event-stream decoder; feed it chunks, collect events."""

    __slots__ = ("_data", "_event", "_id", "_pending", "_retry", "_skip_lf", "_started")

    def __init__(self) -> None:
        self._pending = b""
        self._skip_lf = False
        self._started = False
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[SseEvent]:
        """Take the next bytes of the stream; return the events they completed."""
        events: list[SseEvent] = []
        buffer = self._pending + chunk
        start = 0
        if not buffer:
            return events
        if self._skip_lf and buffer[:1] == b"\n":
            # The LF of a CRLF whose CR ended the previous chunk's last line.
            start = 1
        self._skip_lf = False
        while True:
            found = _EOL.search(buffer, start)
            if found is None:
                break
            end = found.start()
            self._line(buffer[start:end], events)
            if buffer[end] == 0x0D:
                if end + 1 < len(buffer):
                    start = end + 2 if buffer[end + 1] == 0x0A else end + 1
                    continue
                self._skip_lf = True
            start = end + 1
        self._pending = buffer[start:]
        return events

    def close(self) -> list[SseEvent]:
        """The stream ended: an unterminated last event is discarded, as the spec says."""
        self._pending = b""
        self._reset()
        return []

    def _reset(self) -> None:
        self._event = ""
        self._data = []
        self._retry = None

    def _line(self, raw: bytes, events: list[SseEvent]) -> None:
        line = raw.decode("utf-8", errors="replace")
        if not self._started:
            self._started = True
            if line.startswith(_BOM):
                line = line[1:]
        if not line:
            if self._data:
                events.append(
                    SseEvent(
                        event=self._event or "message",
                        data="\n".join(self._data),
                        id=self._id,
                        retry=self._retry,
                    )
                )
            self._reset()
            return
        if line.startswith(":"):
            return
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\x00" not in value:
                self._id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)


def encode_sse(event: str, data: str, id: str | None = None) -> bytes:
    """One event as stream bytes; multi-line data becomes several ``data`` lines.

    Line breaks inside ``event`` or ``id`` would corrupt the stream, so they are
    replaced by spaces.
    """
    parts = [f"event: {_one_line(event)}"]
    if id is not None:
        parts.append(f"id: {_one_line(id)}")
    normalized = data.replace("\r\n", "\n").replace("\r", "\n")
    parts.extend(f"data: {line}" for line in normalized.split("\n"))
    return ("\n".join(parts) + "\n\n").encode()


def encode_sse_comment(text: str = "") -> bytes:
    """A comment line: clients ignore it, but it keeps idle connections alive."""
    return f": {_one_line(text)}\n\n".encode()


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
