"""strands-agents: real strands.Agent objects built from the materialized kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from xpander_io.frameworks import materialize
from xpander_pure import McpServer, Secret, UnsupportedSchemaError
from xpander_pure.frameworks import McpServerAuth, plan_args

Kwargs = Callable[[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def built(kwargs_for: Kwargs) -> dict[str, Any]:
    import strands

    return {
        case: strands.Agent(**kwargs_for("strands-agents", case))
        for case in ("plain", "json_schema", "task_overrides", "team")
    }


def test_openai_model_gets_model_id_and_client_key(built: dict[str, Any]) -> None:
    model = built["plain"].model
    assert (type(model).__name__, model.config["model_id"], model.client_args["api_key"]) == (
        "OpenAIModel",
        "gpt-4.1",
        "sk-canary-plain-0001",
    )


def test_system_prompt_holds_role_and_description(built: dict[str, Any]) -> None:
    prompt = built["plain"].system_prompt
    assert prompt.startswith("A helpful support agent.\n\nYou answer support questions.")


def test_json_schema_becomes_a_pydantic_model(built: dict[str, Any]) -> None:
    model_cls = built["json_schema"]._default_structured_output_model
    schema = model_cls.model_json_schema()
    assert (schema["required"], schema["properties"]["total"]["type"]) == (
        ["invoice_number", "total"],
        "number",
    )


def test_anthropic_model_gets_its_key(built: dict[str, Any]) -> None:
    model = built["json_schema"].model
    assert (type(model).__name__, model.client.api_key) == (
        "AnthropicModel",
        "sk-ant-canary-json-0002",
    )


def test_task_override_and_open_router_endpoint(built: dict[str, Any]) -> None:
    agent = built["task_overrides"]
    assert "Write a haiku instead." in agent.system_prompt
    assert agent.model.client_args["base_url"] == "https://openrouter.ai/api/v1"


def test_sub_agents_become_tools(built: dict[str, Any]) -> None:
    assert sorted(built["team"].tool_names) == ["Copy_Editor", "Researcher"]


def test_unsupported_schema_is_refused_with_its_path(cases: Any) -> None:
    base = cases.load_case("json_schema")
    schema = {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}]}}}
    plan_input = msgspec.structs.replace(
        base, agent=msgspec.structs.replace(base.agent, output_schema=schema)
    )
    error = plan_args("strands-agents", plan_input).failure()
    assert isinstance(error, UnsupportedSchemaError)
    assert error.field == "output_schema.properties.x"


def test_mcp_server_tools_load_from_a_real_server_with_auth(
    cases: Any, mcp_server: tuple[str, Any]
) -> None:
    # strands starts an MCPClient when the Agent is constructed, so this one
    # case connects: to a real MCP server on 127.0.0.1.
    import strands

    url, recorder = mcp_server
    server = McpServer(name="sample", url=url)
    auth = McpServerAuth(server=server, headers={"Authorization": Secret("Bearer oauth-canary")})
    plan_input = msgspec.structs.replace(cases.load_case("plain"), mcp_servers=[auth])
    first = len(recorder.headers)  # the server is shared with other tests
    agent = strands.Agent(**materialize(plan_args("strands-agents", plan_input).unwrap()))
    try:
        assert agent.tool_names == ["lookup"]
        assert recorder.headers[first]["authorization"] == "Bearer oauth-canary"
    finally:
        agent.cleanup()
