"""langchain: real create_agent graphs built from the materialized kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from xpander_io.frameworks import materialize
from xpander_pure import McpServer, McpTransport, Secret
from xpander_pure.frameworks import McpServerAuth, plan_args

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


def _mcp_graph(cases: Any, url: str, **server: Any) -> Any:
    from langchain.agents import create_agent

    auth = McpServerAuth(
        server=McpServer(name="sample", url=url, **server),
        headers={"Authorization": Secret("Bearer oauth-canary-lc")},
    )
    plan_input = msgspec.structs.replace(cases.load_case("plain"), mcp_servers=[auth])
    return create_agent(**materialize(plan_args("langchain", plan_input).unwrap()))


def test_mcp_server_tools_are_listed_from_a_real_server_with_auth(
    cases: Any, mcp_server: tuple[str, Any]
) -> None:
    url, recorder = mcp_server
    first = len(recorder.headers)  # the server is shared with other tests
    graph = _mcp_graph(cases, url)
    assert list(graph.nodes["tools"].bound.tools_by_name) == ["lookup"]
    sent = {headers.get("authorization") for headers in recorder.headers[first:]}
    assert sent == {"Bearer oauth-canary-lc"}


def test_mcp_tool_calls_the_real_server_in_a_session_of_its_own(
    cases: Any, mcp_server: tuple[str, Any]
) -> None:
    url, recorder = mcp_server
    tool = _mcp_graph(cases, url).nodes["tools"].bound.tools_by_name["lookup"]
    first = len(recorder.headers)
    assert tool.invoke({"query": "tea"}) == "found tea"
    assert recorder.headers[first]["authorization"] == "Bearer oauth-canary-lc"


@pytest.mark.anyio
async def test_mcp_tool_calls_the_real_server_from_async_code(
    cases: Any, mcp_server: tuple[str, Any]
) -> None:
    # Materializing inside a running event loop: listing runs on its own loop.
    url, _ = mcp_server
    tool = _mcp_graph(cases, url).nodes["tools"].bound.tools_by_name["lookup"]
    assert await tool.ainvoke({"query": "milk"}) == "found milk"


def test_sse_mcp_server_tools_are_listed_and_called_with_auth(
    cases: Any, mcp_sse_server: tuple[str, Any]
) -> None:
    url, recorder = mcp_sse_server
    first = len(recorder.headers)
    graph = _mcp_graph(cases, url, transport=McpTransport.SSE)
    tool = graph.nodes["tools"].bound.tools_by_name["lookup"]
    assert tool.invoke({"query": "jam"}) == "found jam"
    sent = {headers.get("authorization") for headers in recorder.headers[first:]}
    assert sent == {"Bearer oauth-canary-lc"}


def test_mcp_allowed_tools_filter_the_listed_tools(cases: Any, mcp_server: tuple[str, Any]) -> None:
    url, _ = mcp_server
    graph = _mcp_graph(cases, url, allowed_tools=["other"])
    assert "tools" not in graph.nodes


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
