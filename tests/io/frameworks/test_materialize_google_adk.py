"""google-adk: real LlmAgent objects built from the materialized kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from xpander_io.frameworks import materialize
from xpander_pure import Agent, Deployment, resolve_model
from xpander_pure.frameworks import PlanInput, plan_args

Kwargs = Callable[[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def built(kwargs_for: Kwargs) -> dict[str, Any]:
    from google.adk.agents import LlmAgent

    return {
        case: LlmAgent(**kwargs_for("google-adk", case))
        for case in ("plain", "json_schema", "task_overrides", "mcp", "team")
    }


def test_name_becomes_an_identifier(built: dict[str, Any]) -> None:
    assert built["plain"].name == "Support_Bot"


def test_openai_goes_through_litellm_with_the_key(built: dict[str, Any]) -> None:
    model = built["plain"].model
    assert (type(model).__name__, model.model, model._additional_args["api_key"]) == (
        "LiteLlm",
        "openai/gpt-4.1",
        "sk-canary-plain-0001",
    )


def test_instruction_holds_role_and_description(built: dict[str, Any]) -> None:
    agent = built["plain"]
    assert "You answer support questions." in agent.instruction
    assert agent.description == "A helpful support agent."


def test_json_schema_reaches_output_schema(built: dict[str, Any], cases: Any) -> None:
    assert built["json_schema"].output_schema == cases.load_case("json_schema").agent.output_schema


def test_task_override_and_open_router_route(built: dict[str, Any]) -> None:
    agent = built["task_overrides"]
    args = agent.model._additional_args
    assert "Write a haiku instead." in agent.instruction
    assert (agent.model.model, args["api_base"], args["extra_headers"]) == (
        "openai/openai/gpt-4o-mini",
        "https://openrouter.ai/api/v1",
        {"X-Title": "xpander-tests"},
    )


def test_mcp_servers_become_unconnected_toolsets(built: dict[str, Any]) -> None:
    tools = built["mcp"].tools
    params = [t._connection_params for t in tools]
    assert [type(t).__name__ for t in tools] == ["McpToolset", "McpToolset"]
    assert (params[0].url, params[0].headers) == (
        "http://127.0.0.1:9/mcp",
        {"Authorization": "Bearer mcp-canary-key-0005"},
    )


def test_sub_agents_become_adk_sub_agents(built: dict[str, Any]) -> None:
    subs = built["team"].sub_agents
    assert [(s.name, s.model._additional_args["api_key"]) for s in subs] == [
        ("Researcher", "sk-canary-research-0007"),
        ("Copy_Editor", "sk-canary-editor-0008"),
    ]


def test_gemini_gets_its_key_through_client_kwargs() -> None:
    from google.adk.agents import LlmAgent

    agent = Agent(
        id="g-1",
        organization_id="o-1",
        name="gem",
        unique_name="gem",
        framework="google-adk",
        model_provider="google_ai_studio",
        model_name="gemini-2.5-flash",
    )
    environment = {"GOOGLE_API_KEY": "AIza-canary-gemini-0010"}
    model = resolve_model(agent, None, environment, Deployment.LOCAL, {}).unwrap()
    built = LlmAgent(**materialize(plan_args(None, PlanInput(agent=agent, model=model)).unwrap()))
    assert (type(built.model).__name__, built.model.client_kwargs["api_key"]) == (
        "Gemini",
        "AIza-canary-gemini-0010",
    )
    assert built.model.api_client._api_client.api_key == "AIza-canary-gemini-0010"
