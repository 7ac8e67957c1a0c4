"""Which LLM key, endpoint, headers and options a model gets.

Everything the decision depends on is an argument: the agent, the task (or
``None``), the environment as a mapping, the deployment (cloud or local) and
the organisation's default headers. Nothing here reads the process environment:
the shell passes it in.

Key precedence (wire contract, section 6), first match wins:

1. **OIDC.** The agent lists ``pre_auth_audiences``, sets
   ``use_oidc_pre_auth_token_for_llm`` and names an
   ``oidc_pre_auth_token_llm_audience``, and the task carries a user OIDC token
   for that audience: that token is the key (and the model gets the header
   ``x-oidc-token``).
2. **Azure ``Authorization`` header.** For ``azure_ai_foundary`` an
   ``Authorization`` extra header (``Bearer `` stripped) is the agent's own key.
3. **User-chosen or cleartext endpoint.** An ``llm_api_base`` whose host is
   not the provider's canonical host gets only the agent's own credential,
   never an environment key, when running in the cloud or when the provider
   has a canonical host (an environment key for api.openai.com must not
   travel to somebody else's server). For a provider with a canonical host
   the same holds for an ``llm_api_base`` that is not ``https``
   (``http://api.openai.com`` would carry the vendor key in cleartext).
   Locally, a provider without a canonical host (``openai_compatible``, ...)
   keeps rule 4: its variable names a key for the user's own server,
   wherever that runs. Without an own credential the key is ``EMPTY``.
4. **No custom key:** the environment.
5. **Custom key in the cloud:** custom, then environment.
6. **Custom key locally:** environment, then custom.
7. **Nothing found:** the provider's placeholder (``EMPTY`` for
   ``openai_compatible``), else no key at all.

"Environment" is the whole chain of the provider's variables, in order: for
openai, locally, a custom key never wins while ``AGENTS_OPENAI_API_KEY`` *or*
``OPENAI_API_KEY`` is set (the official client gets this wrong). Values that
are empty or only whitespace count as unset; keys are returned without
surrounding whitespace (a trailing newline from an ``.env`` file would break
the HTTP header that carries the key).

Providers the wire contract lists without a variable got one here:
``gemini`` reads ``GEMINI_API_KEY`` then ``GOOGLE_API_KEY`` (the names
Google's own SDKs read, in their order); ``huggingFace`` reads ``HF_TOKEN``
then ``HUGGINGFACE_API_KEY`` (``HF_TOKEN`` is what ``huggingface_hub`` reads);
``friendlyAI`` (FriendliAI) reads ``FRIENDLI_TOKEN`` then
``FRIENDLIAI_API_KEY`` (the first is what FriendliAI's client reads).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import msgspec
from returns.result import Failure, Result, Success

from ._agent import Agent
from ._enums import Provider, ReasoningEffort
from ._errors import InvalidInputError, UnknownProviderError, UnsafeEndpointError
from ._model import Deployment, KeySource, ResolvedKey, ResolvedModel
from ._secret import Secret
from ._task import Task

PLACEHOLDER_KEY = "EMPTY"
"""The key sent to an endpoint when no real key may (or needs to) go there."""

OIDC_HEADER = "x-oidc-token"
"""Extra header carrying the user's OIDC token when it is the LLM key."""


class ProviderSpec(msgspec.Struct, kw_only=True, frozen=True):
    """How a model provider finds its key and where its own API lives.

    ``env_vars`` are read in order; ``canonical_host`` is the vendor's own API
    host (``None`` when the endpoint is always chosen by the user);
    ``needs_base_url`` means the agent must set ``llm_api_base``;
    ``placeholder`` is sent when no key is found (``None``: no key at all).
    """

    env_vars: tuple[str, ...]
    canonical_host: str | None = None
    needs_base_url: bool = False
    placeholder: str | None = None


def _spec(*env_vars: str, host: str | None = None) -> ProviderSpec:
    return ProviderSpec(env_vars=env_vars, canonical_host=host)


PROVIDERS: Mapping[str, ProviderSpec] = MappingProxyType(
    {
        Provider.OPENAI: _spec("AGENTS_OPENAI_API_KEY", "OPENAI_API_KEY", host="api.openai.com"),
        Provider.ANTHROPIC: _spec("ANTHROPIC_API_KEY", host="api.anthropic.com"),
        Provider.NIM: _spec("NVIDIA_API_KEY", host="integrate.api.nvidia.com"),
        Provider.GOOGLE_AI_STUDIO: _spec(
            "GOOGLE_API_KEY", host="generativelanguage.googleapis.com"
        ),
        Provider.AMAZON_BEDROCK: _spec("AWS_BEARER_TOKEN_BEDROCK"),
        Provider.AZURE_AI_FOUNDARY: ProviderSpec(env_vars=("AZURE_API_KEY",), needs_base_url=True),
        Provider.OPEN_ROUTER: _spec("OPENROUTER_API_KEY", host="openrouter.ai"),
        Provider.FIREWORKS: _spec("FIREWORKS_API_KEY", host="api.fireworks.ai"),
        Provider.NEBIUS: _spec("NEBIUS_API_KEY", host="api.tokenfactory.nebius.com"),
        Provider.HELICONE: _spec("HELICONE_API_KEY", host="ai-gateway.helicone.ai"),
        Provider.CLOUDFLARE_AI_GW: _spec("CLOUDFLARE_AI_GW_API_KEY"),
        Provider.Z_AI: _spec("Z_AI_API_KEY", host="api.z.ai"),
        Provider.CEREBRAS: _spec("CEREBRAS_API_KEY", host="api.cerebras.ai"),
        Provider.BYTEDANCE: _spec("BYTEDANCE_API_KEY"),
        Provider.TZAFON_LIGHTCONE: _spec("TZAFON_LIGHTCONE_API_KEY"),
        Provider.OPENAI_COMPATIBLE: ProviderSpec(
            env_vars=("OPENAI_COMPATIBLE_API_KEY",),
            needs_base_url=True,
            placeholder=PLACEHOLDER_KEY,
        ),
        Provider.GEMINI: _spec(
            "GEMINI_API_KEY", "GOOGLE_API_KEY", host="generativelanguage.googleapis.com"
        ),
        Provider.HUGGING_FACE: _spec(
            "HF_TOKEN", "HUGGINGFACE_API_KEY", host="router.huggingface.co"
        ),
        Provider.FRIENDLY_AI: _spec("FRIENDLI_TOKEN", "FRIENDLIAI_API_KEY", host="api.friendli.ai"),
    }
)
"""Every provider value of the wire contract → its ``ProviderSpec``."""

_BY_LOWER = {name.lower(): name for name in PROVIDERS}


def provider_name(agent: Agent) -> Result[str, UnknownProviderError]:
    """The table's spelling of the agent's provider.

    Matching ignores case (the official client lowercases). An unknown
    provider with an ``llm_api_base`` is ``openai_compatible``.

    >>> from xpander_pure import Agent
    >>> a = Agent(id="a", organization_id="o", name="n", unique_name="n",
    ...           framework="agno", model_provider="OpenAI", model_name="gpt-4o")
    >>> provider_name(a).unwrap()
    'openai'
    """
    raw = agent.model_provider
    name = raw if raw in PROVIDERS else _BY_LOWER.get(raw.lower())
    if name is not None:
        return Success(name)
    if _clean(agent.llm_api_base) is not None:
        return Success(Provider.OPENAI_COMPATIBLE)
    return Failure(UnknownProviderError(raw))


def _clean(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted and isinstance(value, str):
            return _clean(value)
    return None


def _from_environment(spec: ProviderSpec, environment: Mapping[str, str]) -> ResolvedKey | None:
    for variable in spec.env_vars:
        value = environment.get(variable)
        if isinstance(value, str) and _clean(value) is not None:
            return ResolvedKey(
                value=Secret(value.strip()), source=KeySource.ENVIRONMENT, variable=variable
            )
    return None


def _host(base_url: str) -> Result[str, InvalidInputError]:
    """The lower-case host of ``base_url`` (a value without a scheme gets ``https://``)."""
    text = base_url.strip()
    if "://" not in text:
        text = f"https://{text}"
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return Failure(InvalidInputError("llm_api_base", "not a valid URL"))
    if not host:
        return Failure(InvalidInputError("llm_api_base", "has no host"))
    return Success(host.rstrip(".").lower())


def _is_user_chosen(spec: ProviderSpec, host: str | None) -> bool:
    return host is not None and host != spec.canonical_host


def _is_cleartext(base_url: str) -> bool:
    """Whether ``base_url`` is not ``https`` (a value without a scheme is ``https``)."""
    text = base_url.strip()
    if "://" not in text:
        return False
    return text.split("://", 1)[0].lower() != "https"


def _only_own_key(
    spec: ProviderSpec, base_url: str | None, host: str | None, deployment: Deployment
) -> bool:
    """Whether the endpoint may receive only the agent's own key (rule 3)."""
    if base_url is None or host is None:
        return False
    if _is_user_chosen(spec, host) and (
        deployment is Deployment.CLOUD or spec.canonical_host is not None
    ):
        return True
    # The vendor's own key must not cross the network in cleartext.
    return spec.canonical_host is not None and _is_cleartext(base_url)


def resolve_llm_key(
    agent: Agent,
    task: Task | None,
    environment: Mapping[str, str],
    deployment: Deployment,
    headers: Mapping[str, str],
) -> Result[ResolvedKey, InvalidInputError]:
    """Pick the LLM key by the precedence in this module's docstring.

    ``headers`` are the merged extra headers (see ``merge_llm_headers``); only
    Azure reads a key from them. The result says which source won; its value
    is a ``Secret``.
    """
    name = provider_name(agent)
    if isinstance(name, Failure):
        return Failure(name.failure())
    return _resolve_key(agent, task, environment, deployment, headers, name.unwrap())


def _resolve_key(
    agent: Agent,
    task: Task | None,
    environment: Mapping[str, str],
    deployment: Deployment,
    headers: Mapping[str, str],
    name: str,
) -> Result[ResolvedKey, InvalidInputError]:
    spec = PROVIDERS[name]
    base_url = _clean(agent.llm_api_base)
    if spec.needs_base_url and base_url is None:
        return Failure(InvalidInputError("llm_api_base", f"required for provider {name!r}"))
    host: str | None = None
    if base_url is not None:
        parsed = _host(base_url)
        if isinstance(parsed, Failure):
            return parsed
        host = parsed.unwrap()

    oidc = _oidc_token(agent, task)
    if oidc is not None:
        return Success(ResolvedKey(value=oidc, source=KeySource.OIDC))

    if name == Provider.AZURE_AI_FOUNDARY:
        authorization = _header(headers, "Authorization")
        if authorization is not None:
            token = re.sub(r"^\s*bearer\s+", "", authorization, flags=re.IGNORECASE)
            if _clean(token) is not None:
                return Success(
                    ResolvedKey(
                        value=Secret(token.strip()),
                        source=KeySource.EXTRA_HEADER,
                        variable="Authorization",
                    )
                )

    custom_value = agent.llm_credentials.value if agent.llm_credentials else None
    custom = (
        ResolvedKey(value=Secret(custom_value.reveal().strip()), source=KeySource.CUSTOM)
        if custom_value is not None and _clean(custom_value.reveal()) is not None
        else None
    )
    if _only_own_key(spec, base_url, host, deployment):
        # Only the agent's own credential may travel to an endpoint it chose
        # or over cleartext.
        return Success(custom or _placeholder(PLACEHOLDER_KEY))

    from_env = _from_environment(spec, environment)
    if custom is None:
        chosen = from_env
    elif deployment is Deployment.CLOUD:
        chosen = custom
    else:
        chosen = from_env or custom
    if chosen is not None:
        return Success(chosen)
    if spec.placeholder is not None:
        return Success(_placeholder(spec.placeholder))
    return Success(ResolvedKey(value=None, source=KeySource.NONE))


def _placeholder(value: str) -> ResolvedKey:
    return ResolvedKey(value=Secret(value), source=KeySource.PLACEHOLDER)


def _oidc_token(agent: Agent, task: Task | None) -> Secret | None:
    audience = agent.oidc_pre_auth_token_llm_audience
    if not (agent.pre_auth_audiences and agent.use_oidc_pre_auth_token_for_llm and audience):
        return None
    if task is None:
        return None
    token = task.oidc_token(audience)
    if token is None or _clean(token.reveal()) is None:
        return None
    return Secret(token.reveal().strip())


# RFC 9110 token characters: anything else cannot be a header name.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def _valid_header(name: object, value: object) -> bool:
    return (
        isinstance(name, str)
        and _HEADER_NAME.match(name) is not None
        and isinstance(value, str)
        and value.strip() != ""
        # A CR, LF or NUL would let a value smuggle in another header.
        and not any(ch in value for ch in "\r\n\x00")
    )


def merge_llm_headers(
    org_headers: Mapping[str, Any], agent_headers: Mapping[str, Any]
) -> Result[dict[str, str], InvalidInputError]:
    """The organisation's default headers with the agent's over them.

    Names compare without case (the agent's spelling wins); entries whose name
    is not a valid header name, or whose value is not a non-empty string free
    of CR/LF/NUL, are dropped. Never fails; a ``Result`` for uniformity.

    >>> merge_llm_headers({"X-Team": "a", "X-Org": "1"}, {"x-team": "b", "X-Bad": ""}).unwrap()
    {'X-Org': '1', 'x-team': 'b'}
    """
    merged: dict[str, str] = {}
    for source in (org_headers, agent_headers):
        for name, value in source.items():
            if not _valid_header(name, value):
                continue
            for existing in [key for key in merged if key.lower() == name.lower()]:
                del merged[existing]
            merged[name] = value
    return Success(merged)


# Reasoning models that accept a ``reasoning_effort`` parameter: OpenAI's
# o-series (o1, o3, o4-mini, ... but not o1-preview / o1-mini, which reject it),
# the gpt-5 family except the non-reasoning ``gpt-5-chat`` variants, the
# open-weight gpt-oss models, and xAI's grok-3-mini. Matched on the last path
# segment of the model name, so ``openai/gpt-5`` (OpenRouter) matches too.
_REASONING_MODEL = re.compile(
    r"^(?:o\d+|gpt-5(?!-chat)(?:\.\d+)?|gpt-oss|grok-3-mini)(?:[-.:_].*)?$"
)


def supports_reasoning_effort(model_name: str) -> bool:
    """Whether ``model_name`` accepts a ``reasoning_effort`` option (see module source).

    >>> [supports_reasoning_effort(m) for m in ("o3-mini", "gpt-5", "openai/gpt-5-mini")]
    [True, True, True]
    >>> [supports_reasoning_effort(m) for m in ("gpt-4o", "o1-preview", "gpt-5-chat-latest")]
    [False, False, False]
    """
    tail = model_name.strip().lower().rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    if tail in ("o1-mini", "o1-preview") or tail.startswith(("o1-mini-", "o1-preview-")):
        return False
    return _REASONING_MODEL.match(tail) is not None


# Cloud instance-metadata services: refused everywhere, whatever the deployment.
_METADATA_HOSTS = frozenset(
    {"metadata.google.internal", "metadata.goog", "metadata", "metadata.azure.internal"}
)
_METADATA_NETWORKS = (
    ipaddress.ip_network("169.254.0.0/16"),  # AWS/GCP/Azure/OpenStack, ECS 169.254.170.2
    ipaddress.ip_network("100.100.100.200/32"),  # Alibaba Cloud
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS over IPv6
    ipaddress.ip_network("fe80::/10"),  # IPv6 link-local
)
# Names that only resolve inside a private network or a cluster.
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".svc", ".cluster.local", ".lan")


def _inet_part(part: str) -> int | None:
    """One dotted part as ``inet_aton`` reads it: hex ``0x..``, octal ``0..``, else decimal."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:], 16)
        if part[:1] == "0" and len(part) > 1:
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``host`` spells, including the forms ``inet_aton`` accepts
    (``2852039166``, ``0xa9.0xfe.0xa9.0xfe``, ``169.254.43518``)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is None:
        parts = host.split(".")
        if not 1 <= len(parts) <= 4:
            return None
        maybe = [_inet_part(part) for part in parts]
        numbers = [n for n in maybe if n is not None]
        if len(numbers) != len(maybe):
            return None
        limits = [256] * (len(numbers) - 1) + [256 ** (5 - len(numbers))]
        if any(not 0 <= n < limit for n, limit in zip(numbers, limits, strict=True)):
            return None
        value = 0
        for n in numbers[:-1]:
            value = value * 256 + n
        value = value * limits[-1] + numbers[-1]
        address = ipaddress.IPv4Address(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def check_endpoint(base_url: str, deployment: Deployment) -> Result[str, UnsafeEndpointError]:
    """Refuse a model endpoint no LLM call may go to; ``Success(host)`` otherwise.

    Metadata services are refused everywhere. In the cloud, loopback, private,
    link-local, shared (CGNAT), reserved and unspecified addresses are refused
    too, and so are names that only resolve inside a network or a cluster
    (``localhost``, ``*.local``, ``*.internal``, ``*.svc``, single-label names
    such as a Kubernetes service ``my-llm``). Locally a model server on
    ``localhost`` or the LAN is normal and allowed. Hosts are judged as
    written; the shell does not re-check DNS answers.
    """
    host_result = _host(base_url)
    if isinstance(host_result, Failure):
        error = host_result.failure()
        return Failure(UnsafeEndpointError(error.field, error.reason))
    host = host_result.unwrap()
    address = _ip(host)
    metadata = host in _METADATA_HOSTS or (
        address is not None and any(address in net for net in _METADATA_NETWORKS)
    )
    if metadata:
        return Failure(
            UnsafeEndpointError("llm_api_base", f"host {host!r} is a cloud metadata address")
        )
    if deployment is Deployment.CLOUD:
        private = (
            (address is not None and not address.is_global)
            or (address is None and ("." not in host or host.endswith(_PRIVATE_SUFFIXES)))
            or host == "localhost"
        )
        if private:
            return Failure(
                UnsafeEndpointError(
                    "llm_api_base",
                    f"host {host!r} is private, loopback or in-cluster: refused in the cloud",
                )
            )
    return Success(host)


def resolve_model(
    agent: Agent,
    task: Task | None,
    environment: Mapping[str, str],
    deployment: Deployment,
    org_headers: Mapping[str, Any],
) -> Result[ResolvedModel, InvalidInputError]:
    """Everything a planner needs to build the agent's model.

    ``base_url`` is ``llm_api_base`` (checked by ``check_endpoint``);
    ``headers`` are ``merge_llm_headers(org_headers, agent.llm_extra_headers)``
    plus ``x-oidc-token`` when the OIDC token is the key; ``reasoning_effort``
    is set only when it is not ``medium`` and ``supports_reasoning_effort``;
    ``region`` is ``AWS_REGION`` (else ``AWS_DEFAULT_REGION``) for Amazon
    Bedrock. An unknown provider with an ``llm_api_base`` comes back as
    ``openai_compatible``.
    """
    name_result = provider_name(agent)
    if isinstance(name_result, Failure):
        return Failure(name_result.failure())
    name = name_result.unwrap()
    base_url = _clean(agent.llm_api_base)
    if base_url is not None:
        checked = check_endpoint(base_url, deployment)
        if isinstance(checked, Failure):
            return Failure(checked.failure())
    headers = merge_llm_headers(org_headers, agent.llm_extra_headers).unwrap()
    key_result = _resolve_key(agent, task, environment, deployment, headers, name)
    if isinstance(key_result, Failure):
        return Failure(key_result.failure())
    key = key_result.unwrap()
    if key.source is KeySource.OIDC and key.value is not None:
        headers = {k: v for k, v in headers.items() if k.lower() != OIDC_HEADER}
        headers[OIDC_HEADER] = key.value.reveal()
    effort = agent.llm_reasoning_effort
    reasoning = (
        effort
        if effort is not ReasoningEffort.MEDIUM and supports_reasoning_effort(agent.model_name)
        else None
    )
    region = None
    if name == Provider.AMAZON_BEDROCK:
        region = _clean(environment.get("AWS_REGION")) or _clean(
            environment.get("AWS_DEFAULT_REGION")
        )
    return Success(
        ResolvedModel(
            provider=name,
            model_name=agent.model_name,
            key=key,
            base_url=base_url.strip() if base_url is not None else None,
            headers=headers,
            reasoning_effort=reasoning,
            region=region,
        )
    )


__all__ = [
    "OIDC_HEADER",
    "PLACEHOLDER_KEY",
    "PROVIDERS",
    "ProviderSpec",
    "check_endpoint",
    "merge_llm_headers",
    "provider_name",
    "resolve_llm_key",
    "resolve_model",
    "supports_reasoning_effort",
]
