"""Key resolution, endpoint guard, headers and model options (wire contract, section 6)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import (
    OIDC_HEADER,
    PLACEHOLDER_KEY,
    PROVIDERS,
    Agent,
    Deployment,
    InvalidInputError,
    KeySource,
    LLMCredentials,
    Provider,
    ReasoningEffort,
    ResolvedKey,
    ResolvedModel,
    Secret,
    Task,
    TaskInput,
    UnknownProviderError,
    UnsafeEndpointError,
    UserTokens,
    check_endpoint,
    merge_llm_headers,
    provider_name,
    resolve_llm_key,
    resolve_model,
)
from xpander_pure._keys import supports_reasoning_effort

CUSTOM = "sk-custom-canary-41b7"
ENV = "sk-env-canary-93c2"
OIDC = "oidc-canary-5d1e"
LOCAL = Deployment.LOCAL
CLOUD = Deployment.CLOUD


def make_agent(
    provider: str = "openai",
    *,
    custom: str | None = None,
    base: str | None = None,
    **extra: Any,
) -> Agent:
    return Agent(
        id="a-1",
        organization_id="org-1",
        name="n",
        unique_name="n",
        framework="agno",
        model_provider=provider,
        model_name=extra.pop("model_name", "gpt-4o"),
        llm_credentials=LLMCredentials(value=Secret(custom)) if custom is not None else None,
        llm_api_base=base,
        **extra,
    )


def make_task(tokens: dict[str, str] | None = None) -> Task:
    return Task(
        id="t-1",
        agent_id="a-1",
        organization_id="org-1",
        input=TaskInput(text="hi"),
        created_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
        user_tokens=UserTokens(oidc_tokens={k: Secret(v) for k, v in (tokens or {}).items()}),
    )


def oidc_agent(**extra: Any) -> Agent:
    return make_agent(
        pre_auth_audiences=["llm"],
        use_oidc_pre_auth_token_for_llm=True,
        oidc_pre_auth_token_llm_audience="llm",
        **extra,
    )


def key(
    agent: Agent,
    env: dict[str, str] | None = None,
    deployment: Deployment = LOCAL,
    task: Task | None = None,
    headers: dict[str, str] | None = None,
) -> ResolvedKey:
    return resolve_llm_key(agent, task, env or {}, deployment, headers or {}).unwrap()


def revealed(resolved: ResolvedKey) -> str | None:
    return resolved.value.reveal() if resolved.value is not None else None


# --- the provider table -------------------------------------------------------------


def test_every_provider_value_of_the_wire_contract_is_in_the_table() -> None:
    values = {v for k, v in vars(Provider).items() if not k.startswith("_")}
    assert values == set(PROVIDERS)


def test_every_provider_reads_at_least_one_variable() -> None:
    assert all(spec.env_vars for spec in PROVIDERS.values())


def test_openai_chain_is_agents_key_then_openai_key() -> None:
    assert PROVIDERS["openai"].env_vars == ("AGENTS_OPENAI_API_KEY", "OPENAI_API_KEY")


def test_unknown_provider_is_a_typed_error_naming_it() -> None:
    error = resolve_llm_key(make_agent("mystery"), None, {}, LOCAL, {}).failure()
    assert isinstance(error, UnknownProviderError)
    assert error.field == "model_provider"
    assert "mystery" in str(error)


def test_unknown_provider_with_a_base_url_is_openai_compatible() -> None:
    agent = make_agent("mystery", base="http://localhost:8000/v1")
    model = resolve_model(agent, None, {"OPENAI_COMPATIBLE_API_KEY": ENV}, LOCAL, {}).unwrap()
    assert model.provider == "openai_compatible"
    assert revealed(model.key) == ENV


def test_provider_matching_ignores_case() -> None:
    model = resolve_model(make_agent("OpenAI"), None, {}, LOCAL, {}).unwrap()
    assert model.provider == "openai"


# --- precedence ---------------------------------------------------------------------


def test_without_custom_key_the_environment_is_used() -> None:
    resolved = key(make_agent(), {"OPENAI_API_KEY": ENV})
    assert (revealed(resolved), resolved.source, resolved.variable) == (
        ENV,
        KeySource.ENVIRONMENT,
        "OPENAI_API_KEY",
    )


def test_first_variable_of_the_chain_wins() -> None:
    resolved = key(make_agent(), {"AGENTS_OPENAI_API_KEY": "first", "OPENAI_API_KEY": ENV})
    assert resolved.variable == "AGENTS_OPENAI_API_KEY"


def test_custom_key_wins_in_the_cloud() -> None:
    resolved = key(make_agent(custom=CUSTOM), {"OPENAI_API_KEY": ENV}, CLOUD)
    assert (revealed(resolved), resolved.source) == (CUSTOM, KeySource.CUSTOM)


def test_cloud_falls_back_to_environment_without_custom_key() -> None:
    assert revealed(key(make_agent(), {"OPENAI_API_KEY": ENV}, CLOUD)) == ENV


def test_environment_wins_locally_over_custom_key() -> None:
    resolved = key(make_agent(custom=CUSTOM), {"AGENTS_OPENAI_API_KEY": ENV})
    assert resolved.source is KeySource.ENVIRONMENT


def test_locally_second_variable_of_chain_still_beats_custom_key() -> None:
    # The official client returns the custom key here (known defect).
    resolved = key(make_agent(custom=CUSTOM), {"OPENAI_API_KEY": ENV})
    assert (revealed(resolved), resolved.variable) == (ENV, "OPENAI_API_KEY")


def test_locally_custom_key_used_when_environment_is_empty() -> None:
    resolved = key(make_agent(custom=CUSTOM), {"OPENAI_API_KEY": ""})
    assert resolved.source is KeySource.CUSTOM


def test_surrounding_whitespace_is_trimmed_from_keys() -> None:
    assert revealed(key(make_agent(), {"OPENAI_API_KEY": f" {ENV}\n"})) == ENV


def test_empty_custom_key_counts_as_absent() -> None:
    resolved = key(make_agent(custom=""), {"OPENAI_API_KEY": ENV}, CLOUD)
    assert resolved.source is KeySource.ENVIRONMENT


def test_nothing_found_is_source_none_without_value() -> None:
    assert key(make_agent()) == ResolvedKey(value=None, source=KeySource.NONE)


def test_oidc_token_wins_over_everything() -> None:
    resolved = key(
        oidc_agent(custom=CUSTOM), {"OPENAI_API_KEY": ENV}, CLOUD, make_task({"llm": OIDC})
    )
    assert (revealed(resolved), resolved.source) == (OIDC, KeySource.OIDC)


def test_oidc_needs_a_token_for_the_audience() -> None:
    resolved = key(oidc_agent(), {"OPENAI_API_KEY": ENV}, task=make_task({"other": OIDC}))
    assert resolved.source is KeySource.ENVIRONMENT


def test_oidc_ignored_when_agent_does_not_ask_for_it() -> None:
    agent = make_agent(pre_auth_audiences=["llm"], oidc_pre_auth_token_llm_audience="llm")
    resolved = key(agent, {"OPENAI_API_KEY": ENV}, task=make_task({"llm": OIDC}))
    assert resolved.source is KeySource.ENVIRONMENT


def test_oidc_ignored_without_a_task() -> None:
    assert key(oidc_agent(), {"OPENAI_API_KEY": ENV}).source is KeySource.ENVIRONMENT


def test_oidc_token_becomes_the_x_oidc_token_header() -> None:
    model = resolve_model(oidc_agent(), make_task({"llm": OIDC}), {}, LOCAL, {}).unwrap()
    assert model.headers[OIDC_HEADER] == OIDC


# --- user-chosen endpoint guard ---------------------------------------------------


def test_foreign_endpoint_of_canonical_provider_never_gets_env_key_locally() -> None:
    resolved = key(make_agent(base="https://proxy.example.com/v1"), {"OPENAI_API_KEY": ENV})
    assert (revealed(resolved), resolved.source) == (PLACEHOLDER_KEY, KeySource.PLACEHOLDER)


def test_foreign_endpoint_gets_the_agents_own_key() -> None:
    agent = make_agent(custom=CUSTOM, base="https://proxy.example.com/v1")
    assert key(agent, {"OPENAI_API_KEY": ENV}).source is KeySource.CUSTOM


def test_canonical_endpoint_gets_the_environment_key() -> None:
    agent = make_agent(base="https://API.openai.com/v1")
    assert key(agent, {"OPENAI_API_KEY": ENV}).source is KeySource.ENVIRONMENT


def test_no_canonical_host_locally_allows_environment_key() -> None:
    agent = make_agent("openai_compatible", base="http://localhost:8000/v1")
    assert revealed(key(agent, {"OPENAI_COMPATIBLE_API_KEY": ENV})) == ENV


def test_no_canonical_host_in_cloud_gets_placeholder_not_environment() -> None:
    agent = make_agent("openai_compatible", base="https://llm.example.com/v1")
    resolved = key(agent, {"OPENAI_COMPATIBLE_API_KEY": ENV}, CLOUD)
    assert revealed(resolved) == PLACEHOLDER_KEY


def test_cleartext_canonical_host_never_gets_the_environment_key() -> None:
    resolved = key(make_agent(base="http://api.openai.com/v1"), {"OPENAI_API_KEY": ENV})
    assert (revealed(resolved), resolved.source) == (PLACEHOLDER_KEY, KeySource.PLACEHOLDER)


def test_cleartext_endpoint_gets_the_agents_own_key() -> None:
    agent = make_agent(custom=CUSTOM, base="http://api.openai.com/v1")
    assert revealed(key(agent, {"OPENAI_API_KEY": ENV})) == CUSTOM


def test_canonical_host_without_a_scheme_counts_as_https() -> None:
    agent = make_agent(base="api.openai.com/v1")
    assert key(agent, {"OPENAI_API_KEY": ENV}).source is KeySource.ENVIRONMENT


def test_cleartext_own_server_locally_gets_its_environment_key() -> None:
    # Without a canonical host the variable is the key of the user's own server.
    agent = make_agent("openai_compatible", base="http://192.168.1.20:8000/v1")
    assert revealed(key(agent, {"OPENAI_COMPATIBLE_API_KEY": ENV})) == ENV


def test_cleartext_own_server_in_cloud_never_gets_the_environment_key() -> None:
    agent = make_agent("openai_compatible", base="http://localhost:8000/v1")
    assert revealed(key(agent, {"OPENAI_COMPATIBLE_API_KEY": ENV}, CLOUD)) == PLACEHOLDER_KEY


def test_openai_compatible_without_any_key_is_the_placeholder() -> None:
    agent = make_agent("openai_compatible", base="http://localhost:8000/v1")
    assert revealed(key(agent)) == "EMPTY"


def test_openai_compatible_needs_a_base_url() -> None:
    error = resolve_llm_key(make_agent("openai_compatible"), None, {}, LOCAL, {}).failure()
    assert error.field == "llm_api_base"


# --- Azure --------------------------------------------------------------------------

AZURE_BASE = "https://my.openai.azure.com"


def test_azure_reads_the_authorization_header_without_bearer() -> None:
    agent = make_agent("azure_ai_foundary", base=AZURE_BASE)
    resolved = key(agent, {"AZURE_API_KEY": ENV}, headers={"authorization": f"Bearer {CUSTOM}"})
    assert (revealed(resolved), resolved.source) == (CUSTOM, KeySource.EXTRA_HEADER)


def test_azure_falls_back_to_azure_api_key() -> None:
    agent = make_agent("azure_ai_foundary", base=AZURE_BASE)
    assert revealed(key(agent, {"AZURE_API_KEY": ENV})) == ENV


def test_azure_without_base_url_is_a_typed_error() -> None:
    error = resolve_llm_key(make_agent("azure_ai_foundary"), None, {}, LOCAL, {}).failure()
    assert isinstance(error, InvalidInputError)
    assert error.field == "llm_api_base"


def test_azure_header_from_agent_extra_headers_via_resolve_model() -> None:
    agent = make_agent(
        "azure_ai_foundary", base=AZURE_BASE, llm_extra_headers={"Authorization": CUSTOM}
    )
    model = resolve_model(agent, None, {}, CLOUD, {}).unwrap()
    assert model.key.source is KeySource.EXTRA_HEADER


# --- headers ------------------------------------------------------------------------


def test_agent_headers_override_org_headers_ignoring_case() -> None:
    merged = merge_llm_headers({"X-Team": "org", "X-Org": "1"}, {"x-team": "agent"}).unwrap()
    assert merged == {"X-Org": "1", "x-team": "agent"}


@pytest.mark.parametrize(
    "entry",
    [{"X-Empty": ""}, {"X-Num": 3}, {"": "v"}, {"bad name": "v"}, {"X-Inject": "a\r\nB: c"}],
)
def test_empty_or_invalid_header_entries_are_dropped(entry: dict[str, Any]) -> None:
    assert merge_llm_headers({}, entry).unwrap() == {}


def test_resolve_model_merges_org_and_agent_headers() -> None:
    agent = make_agent(llm_extra_headers={"X-A": "agent"})
    model = resolve_model(agent, None, {}, LOCAL, {"X-O": "org", "X-A": "org"}).unwrap()
    assert model.headers == {"X-O": "org", "X-A": "agent"}


# --- endpoint safety --------------------------------------------------------------


@pytest.mark.parametrize(
    "base",
    [
        "http://169.254.169.254/latest",
        "http://2852039166/",
        "http://0xa9.0xfe.0xa9.0xfe/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
        "http://169.254.170.2/v2",
    ],
)
@pytest.mark.parametrize("deployment", [LOCAL, CLOUD])
def test_metadata_endpoint_refused_everywhere(base: str, deployment: Deployment) -> None:
    error = resolve_model(make_agent(base=base), None, {}, deployment, {}).failure()
    assert isinstance(error, UnsafeEndpointError)
    assert error.field == "llm_api_base"


@pytest.mark.parametrize(
    "base",
    [
        "http://localhost:8000",
        "http://127.0.0.1:11434/v1",
        "http://10.1.2.3/v1",
        "http://192.168.0.5/v1",
        "http://[::1]:8000",
        "http://my-llm:8000/v1",
        "http://llm.default.svc.cluster.local/v1",
        "http://100.64.1.1/v1",
    ],
)
def test_private_endpoint_refused_in_cloud(base: str) -> None:
    error = check_endpoint(base, CLOUD).failure()
    assert isinstance(error, UnsafeEndpointError)


@pytest.mark.parametrize("base", ["http://localhost:8000", "http://10.1.2.3/v1"])
def test_private_endpoint_allowed_locally(base: str) -> None:
    assert check_endpoint(base, LOCAL).unwrap()


def test_unsafe_endpoint_error_does_not_show_url_credentials() -> None:
    error = check_endpoint(f"http://user:{CUSTOM}@169.254.169.254/", LOCAL).failure()
    assert CUSTOM not in str(error)


def test_public_endpoint_allowed_in_cloud() -> None:
    assert check_endpoint("https://api.groq.com/openai/v1", CLOUD).unwrap() == "api.groq.com"


# --- model options ----------------------------------------------------------------


def test_base_url_is_llm_api_base() -> None:
    agent = make_agent(base="https://api.openai.com/v1")
    assert resolve_model(agent, None, {}, LOCAL, {}).unwrap().base_url == agent.llm_api_base


@pytest.mark.parametrize("model", ["o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5.1", "gpt-oss-120b"])
def test_reasoning_models_support_effort(model: str) -> None:
    assert supports_reasoning_effort(model)


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-5-chat-latest", "o1-preview", "claude-3"])
def test_other_models_do_not_support_effort(model: str) -> None:
    assert not supports_reasoning_effort(model)


def test_high_effort_passed_to_a_reasoning_model() -> None:
    agent = make_agent(model_name="gpt-5", llm_reasoning_effort=ReasoningEffort.HIGH)
    model = resolve_model(agent, None, {}, LOCAL, {}).unwrap()
    assert model.reasoning_effort is ReasoningEffort.HIGH


def test_effort_not_passed_to_other_models() -> None:
    agent = make_agent(model_name="gpt-4o", llm_reasoning_effort=ReasoningEffort.HIGH)
    assert resolve_model(agent, None, {}, LOCAL, {}).unwrap().reasoning_effort is None


def test_medium_effort_is_never_passed() -> None:
    agent = make_agent(model_name="gpt-5")
    assert resolve_model(agent, None, {}, LOCAL, {}).unwrap().reasoning_effort is None


def test_bedrock_region_comes_from_aws_region() -> None:
    agent = make_agent("amazon_bedrock", model_name="anthropic.claude")
    model = resolve_model(agent, None, {"AWS_REGION": "eu-west-1"}, LOCAL, {}).unwrap()
    assert model.region == "eu-west-1"


def test_region_only_for_bedrock() -> None:
    model = resolve_model(make_agent(), None, {"AWS_REGION": "eu-west-1"}, LOCAL, {}).unwrap()
    assert model.region is None


# --- secrets never shown ----------------------------------------------------------


def test_resolved_model_repr_shows_no_key_or_header_value() -> None:
    agent = oidc_agent(custom=CUSTOM, llm_extra_headers={"X-K": ENV})
    model = resolve_model(agent, make_task({"llm": OIDC}), {}, CLOUD, {}).unwrap()
    text = repr(model) + str(model) + repr(model.key)
    assert not any(canary in text for canary in (CUSTOM, ENV, OIDC))


# --- properties ---------------------------------------------------------------------

names = st.sampled_from(sorted(PROVIDERS))
env_values = st.one_of(st.just(""), st.text(min_size=1, max_size=8))
deployments = st.sampled_from([LOCAL, CLOUD])


@st.composite
def environments(draw: st.DrawFn, provider: str) -> dict[str, str]:
    variables = [*PROVIDERS[provider].env_vars, "UNRELATED", "AWS_REGION"]
    chosen = draw(st.lists(st.sampled_from(variables), unique=True))
    return {name: draw(env_values) for name in chosen}


def first_env(provider: str, env: dict[str, str]) -> tuple[str, str] | None:
    for name in PROVIDERS[provider].env_vars:
        if env.get(name, "").strip():
            return name, env[name].strip()
    return None


@settings(max_examples=200)
@given(data=st.data(), provider=names, deployment=deployments, custom=st.none() | env_values)
def test_precedence_without_base_url(
    data: st.DataObject, provider: str, deployment: Deployment, custom: str | None
) -> None:
    spec = PROVIDERS[provider]
    base = "https://llm.example.com/v1" if spec.needs_base_url else None
    env = data.draw(environments(provider))
    agent = make_agent(provider, custom=custom, base=base)
    resolved = key(agent, env, deployment)
    has_custom = bool(custom and custom.strip())
    from_env = first_env(provider, env)
    guarded = base is not None and (deployment is CLOUD or spec.canonical_host is not None)
    if guarded:
        expected = own_or_placeholder(custom if has_custom else None)
    elif not has_custom:
        expected = (
            (from_env[1], KeySource.ENVIRONMENT)
            if from_env
            else (spec.placeholder, KeySource.PLACEHOLDER)
            if spec.placeholder
            else (None, KeySource.NONE)
        )
    elif deployment is CLOUD or from_env is None:
        expected = (custom.strip() if custom else custom, KeySource.CUSTOM)
    else:
        expected = (from_env[1], KeySource.ENVIRONMENT)
    assert (revealed(resolved), resolved.source) == expected


def own_or_placeholder(custom: str | None) -> tuple[str, KeySource]:
    return (
        (custom.strip(), KeySource.CUSTOM) if custom else (PLACEHOLDER_KEY, KeySource.PLACEHOLDER)
    )


@settings(max_examples=200)
@given(data=st.data(), provider=names, custom=st.text(min_size=1).filter(str.strip))
def test_locally_custom_key_never_wins_while_any_chain_variable_is_set(
    data: st.DataObject, provider: str, custom: str
) -> None:
    spec = PROVIDERS[provider]
    base = "https://llm.example.com/v1" if spec.needs_base_url else None
    env = data.draw(environments(provider))
    resolved = key(make_agent(provider, custom=custom, base=base), env, LOCAL)
    if first_env(provider, env) is not None:
        assert resolved.source is KeySource.ENVIRONMENT


@settings(max_examples=200)
@given(
    provider=names,
    deployment=deployments,
    env=st.dictionaries(st.text(max_size=30), st.text(max_size=8), max_size=5),
    host=st.sampled_from(["proxy.example.com", "10.0.0.1", "llm.internal"]),
)
def test_foreign_endpoint_in_cloud_never_receives_an_environment_key(
    provider: str, deployment: Deployment, env: dict[str, str], host: str
) -> None:
    agent = make_agent(provider, base=f"https://{host}/v1")
    full_env = {**env, **{name: ENV for name in PROVIDERS[provider].env_vars}}
    result = resolve_llm_key(agent, None, full_env, CLOUD, {})
    assert result.unwrap().source is not KeySource.ENVIRONMENT


# Hosts that are not loopback, including every provider's own canonical host.
canonical_hosts = sorted(
    {spec.canonical_host for spec in PROVIDERS.values() if spec.canonical_host}
)
non_loopback_hosts = st.sampled_from(
    [
        *canonical_hosts,
        "proxy.example.com",
        "192.168.1.20",
        "10.0.0.1",
        "llm.internal",
        "[2001:db8::1]",
    ]
)


@settings(max_examples=200)
@given(
    provider=names,
    deployment=deployments,
    scheme=st.sampled_from(["http", "HTTP", "ws"]),
    host=non_loopback_hosts,
    custom=st.none() | st.just(CUSTOM),
)
def test_cleartext_endpoint_never_receives_a_vendor_environment_key(
    provider: str, deployment: Deployment, scheme: str, host: str, custom: str | None
) -> None:
    assume(PROVIDERS[provider].canonical_host is not None or deployment is CLOUD)
    agent = make_agent(provider, custom=custom, base=f"{scheme}://{host}/v1")
    env = {name: ENV for name in PROVIDERS[provider].env_vars}
    resolved = key(agent, env, deployment)
    assert (revealed(resolved), resolved.source) == own_or_placeholder(custom)


@settings(max_examples=200)
@given(
    provider=st.text(max_size=20),
    base=st.none() | st.text(max_size=40),
    deployment=deployments,
    custom=st.none() | st.just(CUSTOM),
    env=st.dictionaries(st.text(max_size=30), st.text(max_size=8), max_size=5),
    org=st.dictionaries(st.text(max_size=10), st.text(max_size=10) | st.integers(), max_size=3),
    effort=st.sampled_from(list(ReasoningEffort)),
    model_name=st.text(max_size=20),
)
def test_resolve_model_is_total(
    provider: str,
    base: str | None,
    deployment: Deployment,
    custom: str | None,
    env: dict[str, str],
    org: dict[str, Any],
    effort: ReasoningEffort,
    model_name: str,
) -> None:
    agent = make_agent(
        provider, custom=custom, base=base, llm_reasoning_effort=effort, model_name=model_name
    )
    result = resolve_model(agent, None, env, deployment, org)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), InvalidInputError)
        assert CUSTOM not in str(result.failure())
    else:
        assert isinstance(result.unwrap(), ResolvedModel)


# Characters URLs are made of, plus the ones that break parsers.
url_text = st.text(max_size=40) | st.from_regex(r"[a-z0-9.:\[\]/@%_-]{0,40}", fullmatch=True)


@settings(max_examples=200)
@given(base_url=url_text, deployment=deployments)
def test_check_endpoint_is_total(base_url: str, deployment: Deployment) -> None:
    result = check_endpoint(base_url, deployment)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), UnsafeEndpointError)
    else:
        assert isinstance(result.unwrap(), str)


header_entries = st.dictionaries(
    st.text(max_size=10) | st.integers() | st.none(),
    st.text(max_size=10) | st.integers() | st.none() | st.lists(st.text(max_size=3), max_size=2),
    max_size=4,
)


@settings(max_examples=200)
@given(org=header_entries, own=header_entries)
def test_merge_llm_headers_is_total_and_keeps_only_string_pairs(
    org: dict[Any, Any], own: dict[Any, Any]
) -> None:
    merged = merge_llm_headers(org, own).unwrap()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in merged.items())


@settings(max_examples=200)
@given(provider=st.text(max_size=20), base=st.none() | st.text(max_size=20))
def test_provider_name_is_a_table_name_or_an_unknown_provider_error(
    provider: str, base: str | None
) -> None:
    result = provider_name(make_agent(provider, base=base))
    if isinstance(result, Failure):
        assert isinstance(result.failure(), UnknownProviderError)
    else:
        assert result.unwrap() in PROVIDERS
