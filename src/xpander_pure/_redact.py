"""Safe excerpts of response bodies for error messages.

An error body may echo a request (and so a key or token). The excerpt masks
every value under a key whose name looks like a credential, every known secret
value passed in, and anything that looks like a bearer token, then truncates.

>>> body_excerpt(b'{"detail": "bad", "api_key": "sk-1"}', secrets=())
'{"detail":"bad","api_key":"***"}'
>>> body_excerpt(b"denied for sk-live-9", secrets=("sk-live-9",))
'denied for ***'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec

MASK = "***"
EXCERPT_LIMIT = 200

_SENSITIVE = re.compile(
    r"(key|token|secret|password|authorization|credential|cookie|value)", re.IGNORECASE
)
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',}]+")


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (MASK if isinstance(k, str) and _SENSITIVE.search(k) else _mask(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def body_excerpt(body: bytes, secrets: Iterable[str], limit: int = EXCERPT_LIMIT) -> str:
    """At most ``limit`` characters of ``body`` with credentials masked."""
    try:
        text = msgspec.json.encode(_mask(msgspec.json.decode(body))).decode()
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        text = body.decode("utf-8", errors="replace")
    return redact_text(text, secrets)[:limit]


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every known secret (and bearer token) replaced by ``***``."""
    # Longest first so that a secret containing another is masked whole.
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _BEARER.sub(lambda m: m.group(1) + MASK, text)


__all__ = ["EXCERPT_LIMIT", "MASK", "body_excerpt", "redact_text"]
