"""langchain: real create_agent graphs built from the materialized kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from xpander_io.frameworks import materialize, mcp_connections
from xpander_pure import UnsupportedFrameworkError
from xpander_pure.frameworks import plan_args

Kwargs = Callable[[str, str], dict[str, Any]]
CASES = ("plain", "json_schema", "task_overrides", "team")


@pytest.fixture(scope="module")
def built(kwargs_for: Kwargs) -> dict[str, tuple[dict[str, Any], Any]]:
    from langchain.agents import create_agent

    result = {}
    for case in CASES:
        kwargs = kwargs_for("langchain", case)
        result[case] = (kwargs, create_agent(**kwargs))
    return result


def test_chat_model_carries_model_id_and_key(built: dict[str, Any]) -> None:
    kwargs, graph = built["plain"]
    model = kwargs["model"]
    assert (type(model).__name__, model.model_name, model.openai_api_key.get_secret_value()) == (
        "ChatOpenAI",
        "gpt-4.1",
        "sk-canary-plain-0001",
    )
    assert type(graph).__name__ == "CompiledStateGraph"


def test_system_prompt_holds_role_and_description(built: dict[str, Any]) -> None:
    kwargs, _ = built["plain"]
    assert "You answer support questions." in kwargs["system_prompt"]
    assert kwargs["system_prompt"].startswith("A helpful support agent.")


def test_anthropic_chat_model_and_schema(built: dict[str, Any], cases: Any) -> None:
    kwargs, _ = built["json_schema"]
    model = kwargs["model"]
    assert (type(model).__name__, model.anthropic_api_key.get_secret_value()) == (
        "ChatAnthropic",
        "sk-ant-canary-json-0002",
    )
    assert kwargs["response_format"] == cases.load_case("json_schema").agent.output_schema


def test_task_override_and_open_router_endpoint(built: dict[str, Any]) -> None:
    kwargs, _ = built["task_overrides"]
    model = kwargs["model"]
    assert "Write a haiku instead." in kwargs["system_prompt"]
    assert (model.openai_api_base, model.default_headers) == (
        "https://openrouter.ai/api/v1",
        {"X-Title": "xpander-tests"},
    )


def test_sub_agents_become_tools_of_the_graph(built: dict[str, Any]) -> None:
    _, graph = built["team"]
    tools = graph.nodes["tools"].bound.tools_by_name
    assert sorted(tools) == ["Copy_Editor", "Researcher"]
    assert tools["Researcher"].description == "Finds facts."


def test_mcp_servers_are_refused_with_a_typed_error(cases: Any) -> None:
    result = plan_args("langchain", cases.load_case("mcp"))
    error = result.failure()
    assert isinstance(error, UnsupportedFrameworkError) and error.field == "mcp_servers"


def test_mcp_connections_describe_the_servers_with_auth(cases: Any) -> None:
    connections = mcp_connections(cases.load_case("mcp"))
    assert connections["search"] == {
        "transport": "streamable_http",
        "url": "http://127.0.0.1:9/mcp",
        "headers": {"Authorization": "Bearer mcp-canary-key-0005"},
    }
    assert connections["files"]["transport"] == "sse"


def test_mcp_tools_connected_elsewhere_can_be_passed_in(cases: Any) -> None:
    from langchain.agents import create_agent
    from langchain_core.tools import StructuredTool

    def lookup(query: str) -> str:
        """Look something up."""
        return query

    tool = StructuredTool.from_function(lookup)
    plan_input = msgspec.structs.replace(cases.load_case("mcp"), mcp_servers=[])
    kwargs = materialize(plan_args("langchain", plan_input).unwrap(), tools=[tool])
    graph = create_agent(**kwargs)
    assert list(graph.nodes["tools"].bound.tools_by_name) == ["lookup"]
