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

from urllib.parse import quote

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


def is_true(value: str | None) -> bool:
    """The platform's boolean environment values: only ``"true"`` (any case) is true."""
    return (value or "").strip().lower() == "true"


__all__ = [
    "AGENT_ID_VARIABLE",
    "DEFAULT_BASE_URL",
    "STAGING_BASE_URL",
    "base_url_from",
    "choose_agent_id",
    "full_url",
    "is_true",
    "needs_organization_segment",
    "path_segment",
]
