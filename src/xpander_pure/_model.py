"""What key resolution produces and every framework planner consumes."""

from __future__ import annotations

from enum import Enum

import msgspec

from ._enums import ReasoningEffort
from ._secret import Secret


class Deployment(str, Enum):
    """Where the code runs: inside the hosted cloud, or anywhere else (local)."""

    CLOUD = "cloud"
    LOCAL = "local"


class KeySource(str, Enum):
    """Which source supplied the LLM key."""

    OIDC = "oidc"
    """The task user's OIDC token for the agent's LLM audience."""
    CUSTOM = "custom"
    """The agent's own ``llm_credentials.value``."""
    ENVIRONMENT = "environment"
    """An environment variable (named in ``ResolvedKey.variable``)."""
    EXTRA_HEADER = "extra_header"
    """The ``Authorization`` extra header (Azure AI Foundry)."""
    PLACEHOLDER = "placeholder"
    """The literal ``EMPTY`` sent to an endpoint that needs no real key."""
    NONE = "none"
    """Nothing found; the framework's own default applies."""


class ResolvedKey(msgspec.Struct, kw_only=True, frozen=True):
    """The LLM key and where it came from. ``value`` is a ``Secret``."""

    value: Secret | None
    source: KeySource
    variable: str | None = None


class ResolvedModel(msgspec.Struct, kw_only=True, frozen=True):
    """Everything a planner needs to build the framework's model object.

    ``headers`` are the merged extra headers (organisation defaults, then the
    agent's own, then ``x-oidc-token`` when the OIDC token is the key). Their
    values may be credentials, so ``repr`` shows only their names.
    """

    provider: str
    model_name: str
    key: ResolvedKey
    base_url: str | None = None
    headers: dict[str, str] = {}
    reasoning_effort: ReasoningEffort | None = None
    region: str | None = None

    def __repr__(self) -> str:
        return (
            f"ResolvedModel(provider={self.provider!r}, model_name={self.model_name!r}, "
            f"key_source={self.key.source.value!r}, base_url={self.base_url!r}, "
            f"headers={sorted(self.headers)!r}, reasoning_effort={self.reasoning_effort!r}, "
            f"region={self.region!r})"
        )
