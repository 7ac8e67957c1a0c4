"""openai-agents: real agents.Agent objects built from the materialized kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Kwargs = Callable[[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def built(kwargs_for: Kwargs) -> dict[str, Any]:
    import agents

    return {
        case: agents.Agent(**kwargs_for("open-ai-agents", case))
        for case in ("plain", "json_schema", "task_overrides", "mcp", "team")
    }


def test_openai_model_is_bound_to_its_own_client_and_key(built: dict[str, Any]) -> None:
    model = built["plain"].model
    assert (type(model).__name__, model.model, model._client.api_key) == (
        "OpenAIResponsesModel",
        "gpt-4.1",
        "sk-canary-plain-0001",
    )


def test_instructions_hold_description_role_and_expected_output(built: dict[str, Any]) -> None:
    text = built["plain"].instructions
    assert text.startswith("A helpful support agent.\n\nYou answer support questions.")
    assert text.endswith("Expected output:\nA short answer.")


def test_anthropic_goes_through_litellm_with_the_key(built: dict[str, Any]) -> None:
    model = built["json_schema"].model
    assert (type(model).__name__, model.model, model.api_key) == (
        "LitellmModel",
        "anthropic/claude-sonnet-4-5",
        "sk-ant-canary-json-0002",
    )


def test_json_schema_is_wrapped_as_output_schema(built: dict[str, Any], cases: Any) -> None:
    output = built["json_schema"].output_type
    schema = cases.load_case("json_schema").agent.output_schema
    assert (output.is_plain_text(), output.json_schema()) == (False, schema)


def test_output_schema_validation_accepts_conforming_json(built: dict[str, Any]) -> None:
    output = built["json_schema"].output_type
    assert output.validate_json('{"invoice_number": "7", "total": 3}')["total"] == 3


def test_output_schema_validation_rejects_missing_required_fields(built: dict[str, Any]) -> None:
    from agents.exceptions import ModelBehaviorError

    with pytest.raises(ModelBehaviorError):
        built["json_schema"].output_type.validate_json('{"total": 3}')


@pytest.mark.parametrize("payload", ["42", "null", "[1, 2]"])
def test_output_schema_validation_rejects_json_that_is_not_an_object(
    built: dict[str, Any], payload: str
) -> None:
    from agents.exceptions import ModelBehaviorError

    with pytest.raises(ModelBehaviorError, match="not a JSON object"):
        built["json_schema"].output_type.validate_json(payload)


def test_output_schema_validation_rejects_a_string_naming_the_required_fields(
    built: dict[str, Any],
) -> None:
    from agents.exceptions import ModelBehaviorError

    with pytest.raises(ModelBehaviorError, match="not a JSON object"):
        built["json_schema"].output_type.validate_json('"invoice_number and total"')


def test_task_override_replaces_agent_instructions(built: dict[str, Any]) -> None:
    text = built["task_overrides"].instructions
    assert "Write a haiku instead." in text and "Write blog posts." not in text


def test_open_router_uses_chat_completions_on_its_endpoint(built: dict[str, Any]) -> None:
    model = built["task_overrides"].model
    client = model._client
    assert (type(model).__name__, str(client.base_url), client.api_key) == (
        "OpenAIChatCompletionsModel",
        "https://openrouter.ai/api/v1/",
        "sk-or-canary-task-0003",
    )
    assert client.default_headers["X-Title"] == "xpander-tests"


def test_mcp_servers_are_built_unconnected_with_auth(built: dict[str, Any]) -> None:
    servers = built["mcp"].mcp_servers
    assert [(type(s).__name__, s.params["url"]) for s in servers] == [
        ("MCPServerStreamableHttp", "http://127.0.0.1:9/mcp"),
        ("MCPServerSse", "http://127.0.0.1:9/sse"),
    ]
    assert servers[0].params["headers"] == {"Authorization": "Bearer mcp-canary-key-0005"}
    assert servers[0].session is None


def test_sub_agents_become_handoffs_with_their_own_keys(built: dict[str, Any]) -> None:
    handoffs = built["team"].handoffs
    assert [(h.name, h.model._client.api_key) for h in handoffs] == [
        ("Researcher", "sk-canary-research-0007"),
        ("Copy Editor", "sk-canary-editor-0008"),
    ]


def test_no_process_wide_default_client_is_set(built: dict[str, Any]) -> None:
    from agents.models import _openai_shared

    assert (
        _openai_shared.get_default_openai_key(),
        _openai_shared.get_default_openai_client(),
    ) == (
        None,
        None,
    )
