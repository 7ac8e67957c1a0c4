"""Properties of the wire codec: decoding is total, encoding round-trips."""

from __future__ import annotations

from datetime import timezone
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import (
    Agent,
    AgentInstructions,
    DecodeError,
    GraphItem,
    LLMCredentials,
    McpAuthResult,
    McpServer,
    OutputFormat,
    ReasoningEffort,
    Secret,
    Task,
    TaskInput,
    TaskStatus,
    TaskUpdateEvent,
    Tokens,
    User,
    UserTokens,
    decode,
    to_wire,
)

WIRE_TYPES = [Agent, Task, Tokens, TaskUpdateEvent, McpAuthResult]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
# Objects no JSON decoder would ever produce, to check convert() paths too.
odd_values = st.one_of(
    st.builds(object), st.binary(), st.tuples(st.integers()), st.sets(st.integers())
)


@pytest.mark.parametrize("type_", WIRE_TYPES, ids=lambda t: t.__name__)
@settings(max_examples=200)
@given(payload=st.binary(max_size=200))
def test_decoding_arbitrary_bytes_never_raises(type_: type[Any], payload: bytes) -> None:
    result = decode(type_, payload)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), DecodeError)


@pytest.mark.parametrize("type_", WIRE_TYPES, ids=lambda t: t.__name__)
@settings(max_examples=200)
@given(payload=json_values | odd_values | st.dictionaries(st.text(), json_values | odd_values))
def test_decoding_arbitrary_values_never_raises(type_: type[Any], payload: object) -> None:
    result = decode(type_, payload)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), DecodeError)
    else:
        assert isinstance(result.unwrap(), type_)


@pytest.mark.parametrize("type_", WIRE_TYPES, ids=lambda t: t.__name__)
@settings(max_examples=200)
@given(payload=json_values)
def test_decoding_arbitrary_json_text_never_raises(type_: type[Any], payload: object) -> None:
    result = decode(type_, msgspec.json.encode(payload))
    if isinstance(result, Failure):
        assert isinstance(result.failure(), DecodeError)


counts = st.integers(min_value=0, max_value=2**53)
text = st.text(max_size=12)
secrets = st.builds(Secret, text)
aware = st.datetimes(timezones=st.just(timezone.utc))

tokens = st.builds(
    Tokens,
    completion_tokens=counts,
    prompt_tokens=counts,
    cache_read_tokens=counts,
    cache_write_tokens=counts,
    total_tokens=st.none() | counts,
)

mcp_servers = st.builds(
    McpServer,
    name=st.none() | text,
    url=st.none() | text,
    api_key=st.none() | secrets,
    headers=st.dictionaries(text, text, max_size=2),
    share_user_token_across_other_agents=st.booleans(),
)

agents = st.builds(
    Agent,
    id=text,
    organization_id=text,
    name=text,
    unique_name=text,
    framework=text,
    model_provider=text,
    model_name=text,
    description=st.none() | text,
    instructions=st.builds(AgentInstructions, role=st.lists(text, max_size=2), general=text),
    version=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    llm_credentials=st.none() | st.builds(LLMCredentials, value=st.none() | secrets),
    llm_api_base=st.none() | text,
    llm_extra_headers=st.dictionaries(text, text, max_size=3),
    llm_reasoning_effort=st.sampled_from(list(ReasoningEffort)),
    output_format=st.sampled_from(list(OutputFormat)),
    graph=st.lists(
        st.builds(
            GraphItem, item_id=text, targets=st.lists(text, max_size=2), type=st.none() | text
        ),
        max_size=2,
    ),
    mcp_servers=st.lists(mcp_servers, max_size=2),
    pre_auth_audiences=st.lists(text, max_size=2),
    use_oidc_pre_auth_token_for_llm=st.booleans(),
    created_at=st.none() | aware,
)

tasks = st.builds(
    Task,
    id=text,
    agent_id=text,
    organization_id=text,
    input=st.builds(
        TaskInput,
        text=text,
        files=st.lists(text, max_size=2),
        user=st.none() | st.builds(User, email=text, id=st.none() | text),
    ),
    created_at=aware,
    status=st.sampled_from(list(TaskStatus)),
    result=st.none() | text,
    user_oidc_token=st.none() | secrets,
    user_tokens=st.none() | st.builds(UserTokens, oidc_tokens=st.dictionaries(text, secrets)),
    tokens=st.none() | tokens,
    used_tools=st.lists(text, max_size=3),
    duration=st.floats(min_value=0, allow_infinity=False),
    mcp_servers=st.lists(mcp_servers, max_size=1),
)


@settings(max_examples=200)
@given(value=tokens)
def test_tokens_round_trip(value: Tokens) -> None:
    assert decode(Tokens, to_wire(value)).unwrap() == value


@settings(max_examples=200)
@given(value=agents)
def test_agent_round_trips(value: Agent) -> None:
    assert decode(Agent, to_wire(value)).unwrap() == value


@settings(max_examples=200)
@given(value=tasks)
def test_task_round_trips(value: Task) -> None:
    assert decode(Task, to_wire(value)).unwrap() == value


CANARY = "sk-canary-prop-0c4d"


@settings(max_examples=100)
@given(value=agents)
def test_agent_repr_never_shows_its_key(value: Agent) -> None:
    keyed = msgspec.structs.replace(value, llm_credentials=LLMCredentials(value=Secret(CANARY)))
    assert CANARY not in repr(keyed) + str(keyed)


@settings(max_examples=100)
@given(field=st.sampled_from(["llm_credentials", "version", "graph"]), bad=json_values)
def test_decode_errors_never_show_a_key(field: str, bad: object) -> None:
    payload = {
        "id": "a",
        "organization_id": "o",
        "name": "n",
        "unique_name": "n",
        "framework": "agno",
        "model_provider": "openai",
        "model_name": "m",
        "llm_credentials": {"value": CANARY},
        field: bad,
    }
    result = decode(Agent, payload)
    if isinstance(result, Failure):
        assert CANARY not in str(result.failure())
