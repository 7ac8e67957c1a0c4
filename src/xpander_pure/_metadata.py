"""Rules for the organisation metadata the client reads (default LLM headers).

>>> default_headers_absent(404), default_headers_absent(500)
(True, False)
"""

from __future__ import annotations

ABSENT_STATUSES = frozenset({404})
"""Answers to ``GET /metadata/default_llm_extra_headers`` that mean "none are set"."""


def default_headers_absent(status: int) -> bool:
    """Whether the default LLM headers' answer ``status`` means the organisation has none.

    A platform without the route (404) has no defaults to add: the call goes on
    with ``{}``, as the official client does (it is fail-open on metadata).
    Any other error is still an error.
    """
    return status in ABSENT_STATUSES


__all__ = ["ABSENT_STATUSES", "default_headers_absent"]
