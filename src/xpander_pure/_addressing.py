"""Where requests go: the API base URL, full route URLs, which agent is meant.

Pure rules of the wire contract (section 1). The shell passes the values it
read from arguments and the environment; nothing here reads them itself.

>>> base_url_from(None, is_stg=False)
'https://inbound.xpander.ai'
>>> base_url_from("agent-controller.local:9016/", is_stg=False)
'https://agent-controller.local:9016'
>>> full_url("https://agent-controller.local:9016", "org-1", "/agents/a-1")
'https://agent-controller.local:9016/org-1/agents/a-1'
>>> full_url("https://inbound.xpander.ai", "org-1", "agents/a-1")
'https://inbound.xpander.ai/agents/a-1'
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from urllib.parse import quote

from returns.result import Failure, Result, Success

from ._errors import InvalidInputError

DEFAULT_BASE_URL = "https://inbound.xpander.ai"
STAGING_BASE_URL = "https://inbound.stg.xpander.ai"
AGENT_ID_VARIABLE = "XPANDER_AGENT_ID"


def base_url_from(value: str | None, *, is_stg: bool) -> str:
    """The API base URL: ``value`` (``https://`` added when it has no scheme) or the default.

    An empty or blank ``value`` means "not set". A trailing slash is dropped so
    that routes join with exactly one.
    """
    cleaned = (value or "").strip()
    if not cleaned:
        return STAGING_BASE_URL if is_stg else DEFAULT_BASE_URL
    if "://" not in cleaned:
        cleaned = f"https://{cleaned}"
    return cleaned.rstrip("/")


def needs_organization_segment(base_url: str) -> bool:
    """True for agent-controller bases, which take the organisation id as first path segment."""
    return "agent-controller" in base_url or "9016" in base_url


def full_url(base_url: str, organization_id: str | None, route: str) -> str:
    """``{base}/{organization_id}/{route}`` for agent-controller bases, else ``{base}/{route}``."""
    base = base_url.rstrip("/")
    path = route.lstrip("/")
    if organization_id and needs_organization_segment(base):
        return f"{base}/{quote(organization_id, safe='')}/{path}"
    return f"{base}/{path}"


def path_segment(value: str) -> str:
    """``value`` quoted for use as one URL path segment (ids may hold anything)."""
    return quote(value, safe="")


def choose_agent_id(
    agent_id: str | None,
    agent_of_call: str | None,
    configured: str | None,
    environment: str | None,
) -> str | None:
    """The agent a call is about: explicit id, then the given agent's id, then the
    configuration's, then ``XPANDER_AGENT_ID``; blank values count as unset.

    >>> choose_agent_id(None, None, "", "from-env")
    'from-env'
    >>> choose_agent_id(None, None, None, None) is None
    True
    """
    for candidate in (agent_id, agent_of_call, configured, environment):
        if candidate is not None and candidate.strip():
            return candidate.strip()
    return None


MAX_VERSION_DIGITS = 18
"""The most digits an agent version may have: it must fit the platform's 64-bit integers."""


def _version_digits(field: str, text: str) -> Result[int, InvalidInputError]:
    """``text`` as a version number: 1 to 18 ASCII digits, at least 1.

    The length is checked before ``int()``, so a long string neither hits
    Python's digit limit nor passes here only to be refused by the platform.
    The reason never echoes ``text`` (it is the caller's input).
    """
    if not (text.isascii() and text.isdigit()):
        return Failure(InvalidInputError(field, "must be a positive integer of ASCII digits"))
    if len(text) > MAX_VERSION_DIGITS:
        return Failure(InvalidInputError(field, f"must have at most {MAX_VERSION_DIGITS} digits"))
    number = int(text)
    if number < 1:
        return Failure(InvalidInputError(field, "must be a positive integer"))
    return Success(number)


def agent_version_number(value: int | str | None) -> Result[int | None, InvalidInputError]:
    """``agent_version`` as the number to ask for (``None``: the latest).

    Tasks carry the version as a string (``task.agent_version``), so its ASCII
    digits (surrounding blanks ignored: the string comes from a stored task,
    not from a request line) are accepted as well as an ``int``; anything else
    (a bool, another type, a number below 1 or of more than 18 digits) is an
    ``InvalidInputError`` naming ``agent_version``.

    >>> agent_version_number("2").unwrap()
    2
    >>> agent_version_number(0).failure().reason
    'must be a positive integer'
    """
    if value is None:
        return Success(None)
    if isinstance(value, str):
        return _version_digits("agent_version", value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return Failure(
            InvalidInputError(
                "agent_version", f"must be a positive integer, got {type(value).__name__}"
            )
        )
    if value < 1:
        return Failure(InvalidInputError("agent_version", "must be a positive integer"))
    if value >= 10**MAX_VERSION_DIGITS:
        return Failure(
            InvalidInputError("agent_version", f"must have at most {MAX_VERSION_DIGITS} digits")
        )
    return Success(value)


def requested_agent_version(
    header: str | None, query: str | None
) -> Result[int | None, InvalidInputError]:
    """The agent version a platform request asks for: the ``x-agent-version`` header,
    else the ``version`` query parameter (empty counts as absent), else ``None`` (the latest).

    Only 1 to 18 ASCII digits are a version, blanks included: a request says
    exactly what it means. The reason never echoes what was sent (it is the
    caller's input, shown back in an error body).

    >>> requested_agent_version(None, "3").unwrap()
    3
    >>> requested_agent_version("\u00b2", None).failure().field
    'x-agent-version'
    """
    for field, raw in (("x-agent-version", header), ("version", query)):
        if raw is None or raw == "":
            continue
        return _version_digits(field, raw)
    return Success(None)


def sub_agents_to_follow(
    sub_agent_ids: Sequence[str], *, depth: int, seen: Collection[str], max_depth: int
) -> list[str]:
    """The sub-agents whose definitions to fetch for an agent found at ``depth``.

    None at ``max_depth`` or deeper (graphs may be deep); never one already on
    the path from the root (``seen``: graphs may contain cycles). Order kept.

    >>> sub_agents_to_follow(["a", "b", "c"], depth=0, seen={"b"}, max_depth=3)
    ['a', 'c']
    >>> sub_agents_to_follow(["a"], depth=3, seen=set(), max_depth=3)
    []
    """
    if depth >= max_depth:
        return []
    return [agent_id for agent_id in sub_agent_ids if agent_id not in seen]


def is_true(value: str | None) -> bool:
    """The platform's boolean environment values: only ``"true"`` (any case) is true."""
    return (value or "").strip().lower() == "true"


__all__ = [
    "AGENT_ID_VARIABLE",
    "DEFAULT_BASE_URL",
    "MAX_VERSION_DIGITS",
    "STAGING_BASE_URL",
    "agent_version_number",
    "base_url_from",
    "choose_agent_id",
    "full_url",
    "is_true",
    "needs_organization_segment",
    "path_segment",
    "requested_agent_version",
    "sub_agents_to_follow",
]
