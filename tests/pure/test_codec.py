import msgspec
import pytest

from xpander_pure import (
    Agent,
    DecodeError,
    Secret,
    Task,
    TaskStatus,
    Tokens,
    decode,
    to_redacted_builtins,
    to_wire,
)

AGENT = {
    "id": "a-1",
    "organization_id": "org-1",
    "name": "Support Bot",
    "unique_name": "support-bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
}
CANARY = "sk-canary-7f3a9"


def test_agent_decoding_tolerates_unknown_fields() -> None:
    agent = decode(Agent, {**AGENT, "brand_new_field": {"x": 1}}).unwrap()
    assert agent.id == "a-1"


def test_agent_missing_optionals_take_official_defaults() -> None:
    agent = decode(Agent, AGENT).unwrap()
    assert agent.version == 1
    assert agent.output_format == "markdown"
    assert agent.llm_reasoning_effort == "medium"
    assert agent.agno_settings.num_history_runs == 50
    assert agent.agno_settings.session_storage is True
    assert agent.instructions.role == []


def test_wrong_type_names_the_path() -> None:
    error = decode(Agent, {**AGENT, "version": "two"}).failure()
    assert isinstance(error, DecodeError)
    assert isinstance(error, ValueError)
    assert error.field == "$.version"
    assert "Expected `int`" in error.reason


def test_missing_required_field_is_reported() -> None:
    error = decode(Agent, {k: v for k, v in AGENT.items() if k != "name"}).failure()
    assert "name" in str(error)


def test_malformed_json_is_a_decode_error() -> None:
    error = decode(Agent, b"{not json").failure()
    assert isinstance(error, DecodeError)
    assert error.field == "$"


def test_nested_wrong_type_names_nested_path() -> None:
    payload = {**AGENT, "graph": [{"item_id": "x", "targets": [1]}]}
    assert decode(Agent, payload).failure().field == "$.graph[0].targets[0]"


def test_custom_key_is_a_secret_absent_from_repr() -> None:
    agent = decode(Agent, {**AGENT, "llm_credentials": {"name": "k", "value": CANARY}}).unwrap()
    assert agent.llm_credentials is not None
    assert agent.llm_credentials.value == Secret(CANARY)
    assert CANARY not in repr(agent)
    assert CANARY not in repr(agent.llm_credentials)
    assert CANARY not in str(to_redacted_builtins(agent))


def test_extra_header_values_absent_from_agent_repr() -> None:
    agent = decode(Agent, {**AGENT, "llm_extra_headers": {"Authorization": CANARY}}).unwrap()
    assert CANARY not in repr(agent)


def test_secret_plain_encoding_refuses() -> None:
    with pytest.raises(TypeError):
        msgspec.json.encode(Secret(CANARY))


def test_wire_encoding_reveals_secret_for_the_platform() -> None:
    agent = decode(Agent, {**AGENT, "llm_credentials": {"name": "k", "value": CANARY}}).unwrap()
    assert CANARY.encode() in to_wire(agent)
    assert decode(Agent, to_wire(agent)).unwrap() == agent


def test_tokens_total_is_computed_without_cache_counts() -> None:
    tokens = Tokens(prompt_tokens=50, completion_tokens=150, cache_read_tokens=7)
    assert tokens.total_tokens == 200


def test_tokens_total_given_is_kept() -> None:
    assert Tokens(prompt_tokens=1, completion_tokens=1, total_tokens=9).total_tokens == 9


def test_negative_token_count_is_rejected_on_decode() -> None:
    assert decode(Tokens, {"prompt_tokens": -1}).failure().field == "$.prompt_tokens"


def test_task_decodes_status_and_input() -> None:
    task = decode(
        Task,
        {
            "id": "t-1",
            "agent_id": "a-1",
            "organization_id": "org-1",
            "input": {"text": "hi", "user": {"email": "u@example.com"}},
            "created_at": "2026-01-01T00:00:00Z",
            "status": "executing",
        },
    ).unwrap()
    assert task.status is TaskStatus.EXECUTING
    assert task.input.user is not None and task.input.user.email == "u@example.com"
