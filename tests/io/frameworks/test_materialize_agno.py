"""agno: real Agent/Team objects built from the materialized kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from xpander_io.frameworks import materialize

Kwargs = Callable[[str, str], dict[str, Any]]


@pytest.fixture(scope="module")
def built(kwargs_for: Kwargs) -> dict[str, Any]:
    from agno.agent import Agent
    from agno.team import Team

    return {
        case: (Team if case == "team" else Agent)(**kwargs_for("agno", case))
        for case in ("plain", "json_schema", "task_overrides", "mcp", "team")
    }


def test_plain_agent_gets_its_model_id_and_key(built: dict[str, Any]) -> None:
    model = built["plain"].model
    assert (type(model).__name__, model.id, model.api_key) == (
        "OpenAIChat",
        "gpt-4.1",
        "sk-canary-plain-0001",
    )


def test_plain_agent_gets_role_goals_and_description(built: dict[str, Any]) -> None:
    agent = built["plain"]
    assert "You answer support questions." in agent.instructions
    assert agent.description == "A helpful support agent."


def test_plain_agent_gets_tool_call_limit_and_history(built: dict[str, Any]) -> None:
    agent = built["plain"]
    assert (agent.tool_call_limit, agent.num_history_runs, agent.max_tool_calls_from_history) == (
        7,
        5,
        2,
    )


def test_json_agent_gets_claude_and_the_schema(built: dict[str, Any], cases: Any) -> None:
    agent = built["json_schema"]
    assert (type(agent.model).__name__, agent.model.api_key) == (
        "Claude",
        "sk-ant-canary-json-0002",
    )
    assert agent.output_schema == cases.load_case("json_schema").agent.output_schema


def test_task_instructions_and_expected_output_win(built: dict[str, Any]) -> None:
    agent = built["task_overrides"]
    assert (agent.instructions, agent.expected_output) == ("Write a haiku instead.", "Three lines.")


def test_task_schema_wins_and_markdown_is_off(built: dict[str, Any]) -> None:
    agent = built["task_overrides"]
    assert (agent.output_schema["required"], agent.markdown) == (["lines"], False)


def test_open_router_uses_its_endpoint_key_and_headers(built: dict[str, Any]) -> None:
    model = built["task_overrides"].model
    assert (model.base_url, model.api_key, model.default_headers) == (
        "https://openrouter.ai/api/v1",
        "sk-or-canary-task-0003",
        {"X-Title": "xpander-tests"},
    )


def test_task_session_user_and_context_reach_the_agent(built: dict[str, Any]) -> None:
    agent = built["task_overrides"]
    assert (agent.session_id, agent.user_id) == ("task-1", "user-7")
    assert agent.additional_context.endswith("The reader is a child.")


def test_mcp_servers_become_unconnected_mcp_tools(built: dict[str, Any]) -> None:
    tools = built["mcp"].tools
    assert [type(t).__name__ for t in tools] == ["MCPTools", "MCPTools"]
    assert tools[0].server_params.headers == {"Authorization": "Bearer mcp-canary-key-0005"}
    assert tools[0].session is None


def test_nim_uses_openai_like_with_nvidia_endpoint(built: dict[str, Any]) -> None:
    model = built["mcp"].model
    assert (type(model).__name__, model.base_url) == (
        "OpenAILike",
        "https://integrate.api.nvidia.com/v1",
    )


def test_sub_agents_make_a_team_of_members_with_their_own_keys(built: dict[str, Any]) -> None:
    team = built["team"]
    assert [(m.name, m.model.api_key) for m in team.members] == [
        ("Researcher", "sk-canary-research-0007"),
        ("Copy Editor", "sk-canary-editor-0008"),
    ]
    assert team.model.api_key == "sk-canary-lead-0006"


def test_local_tools_are_appended(kwargs_for: Kwargs, cases: Any) -> None:
    from xpander_pure.frameworks import plan_args

    def ping() -> str:
        """Ping."""
        return "pong"

    plan = plan_args("agno", cases.load_case("plain")).unwrap()
    assert materialize(plan, tools=[ping])["tools"] == [ping]


def test_overrides_apply_last(cases: Any) -> None:
    import msgspec

    from xpander_pure.frameworks import plan_args

    plan_input = msgspec.structs.replace(cases.load_case("plain"), overrides={"markdown": False})
    assert materialize(plan_args("agno", plan_input).unwrap())["markdown"] is False
