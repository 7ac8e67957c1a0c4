"""Planner rules shared by every framework, checked through plan_args."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure, Success

from xpander_pure import (
    Agent,
    AgentInstructions,
    AgnoSettings,
    GraphItem,
    InvalidInputError,
    KeySource,
    McpAuthType,
    McpServer,
    McpServerType,
    OutputFormat,
    ReasoningEffort,
    ResolvedKey,
    ResolvedModel,
    Secret,
    Task,
    TaskInput,
    UnknownProviderError,
    UnsupportedFrameworkError,
    User,
    to_redacted_builtins,
)
from xpander_pure.frameworks import (
    PROVIDER_ENDPOINTS,
    AgentPlan,
    McpServerAuth,
    PlanInput,
    SubAgentMode,
    plan_args,
)
from xpander_pure.frameworks._common import identifier
from xpander_pure.frameworks._dispatch import framework_name

FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")
CANARY = "sk-canary-rules-9999"


def agent(**fields: Any) -> Agent:
    base: dict[str, Any] = {
        "id": "a-1",
        "organization_id": "o-1",
        "name": "Helper",
        "unique_name": "helper",
        "framework": "agno",
        "model_provider": "openai",
        "model_name": "gpt-4.1",
        "instructions": AgentInstructions(role=["Be kind."], goal=["Help"], general="Helps."),
    }
    base.update(fields)
    return Agent(**base)


def task(**fields: Any) -> Task:
    base: dict[str, Any] = {
        "id": "t-1",
        "agent_id": "a-1",
        "organization_id": "o-1",
        "input": TaskInput(text="hi"),
        "created_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
    }
    base.update(fields)
    return Task(**base)


def model(provider: str = "openai", **fields: Any) -> ResolvedModel:
    base: dict[str, Any] = {
        "provider": provider,
        "model_name": "m-1",
        "key": ResolvedKey(value=Secret(CANARY), source=KeySource.CUSTOM),
    }
    base.update(fields)
    return ResolvedModel(**base)


def plan(framework: str = "agno", **fields: Any) -> AgentPlan:
    fields.setdefault("agent", agent())
    fields.setdefault("model", model())
    return plan_args(framework, PlanInput(**fields)).unwrap()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_task_instructions_override_wins(framework: str) -> None:
    result = plan(framework, task=task(instructions_override="Only haiku."))
    assert result.instructions == "Only haiku."


def test_agent_role_and_goals_make_the_instructions_without_a_task() -> None:
    assert plan().instructions == "Be kind.\nGoals:\nHelp"


def test_description_is_the_general_instructions() -> None:
    assert plan().description == "Helps."


def test_task_expected_output_wins() -> None:
    result = plan(agent=agent(expected_output="long"), task=task(expected_output="short"))
    assert result.expected_output == "short"


def test_agent_expected_output_applies_when_the_task_has_none() -> None:
    assert plan(agent=agent(expected_output="long"), task=task()).expected_output == "long"


def test_task_output_format_and_schema_win() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    result = plan(
        agent=agent(output_format=OutputFormat.MARKDOWN),
        task=task(output_format=OutputFormat.JSON, output_schema=schema),
    )
    assert (result.output.format, result.output.schema) == ("json", schema)


def test_agent_schema_applies_to_a_json_agent() -> None:
    schema = {"type": "object", "properties": {"b": {"type": "integer"}}}
    result = plan(agent=agent(output_format=OutputFormat.JSON, output_schema=schema))
    assert result.output.schema == schema


def test_json_without_schema_asks_for_json_in_the_instructions() -> None:
    result = plan(agent=agent(output_format=OutputFormat.JSON))
    assert "valid JSON" in result.instructions


def test_voice_output_asks_for_speakable_text() -> None:
    assert "spoken aloud" in plan(agent=agent(output_format=OutputFormat.VOICE)).instructions


def test_additional_context_holds_user_details_then_task_context() -> None:
    user = User(email="ada@example.com", id="u-1")
    result = plan(task=task(input=TaskInput(text="x", user=user), additional_context="CTX"))
    first, second = result.additional_context.split("\n")
    assert ("ada@example.com" in first, second) == (True, "CTX")


def test_session_and_user_ids_come_from_the_task() -> None:
    user = User(email="ada@example.com", id="u-1")
    result = plan(task=task(input=TaskInput(text="x", user=user)))
    assert (result.session_id, result.user_id) == ("t-1", "u-1")


def test_explicit_session_id_wins_over_the_task() -> None:
    assert plan(task=task(), session_id="s-9").session_id == "s-9"


def test_tool_call_limit_comes_from_agno_settings() -> None:
    assert plan(agent=agent(agno_settings=AgnoSettings(tool_call_limit=3))).tool_call_limit == 3


def test_overrides_are_carried_to_the_plan() -> None:
    assert plan(overrides={"markdown": False}).overrides == {"markdown": False}


@pytest.mark.parametrize(
    ("framework", "mode"),
    [
        ("agno", SubAgentMode.TEAM),
        ("open-ai-agents", SubAgentMode.HANDOFFS),
        ("google-adk", SubAgentMode.SUB_AGENTS),
        ("langchain", SubAgentMode.TOOLS),
        ("strands-agents", SubAgentMode.TOOLS),
    ],
)
def test_sub_agents_use_the_frameworks_own_mechanism(framework: str, mode: str) -> None:
    lead = agent(graph=[GraphItem(item_id="a-2", type="agent", targets=[])])
    sub = PlanInput(agent=agent(id="a-2", name="Sub One"), model=model())
    result = plan(framework, agent=lead, sub_agents=[sub])
    assert (result.sub_agent_mode, [s.id for s in result.sub_agents]) == (mode, ["a-2"])


def test_no_sub_agents_means_no_sub_agent_mode() -> None:
    assert plan().sub_agent_mode == SubAgentMode.NONE


def test_framework_argument_overrides_the_agents_field() -> None:
    assert plan("strands-agents", agent=agent(framework="agno")).framework == "strands-agents"


def test_the_agents_framework_field_picks_the_planner() -> None:
    result = plan_args(None, PlanInput(agent=agent(framework="langchain"), model=model()))
    assert result.unwrap().framework == "langchain"


@pytest.mark.parametrize(
    ("alias", "wire"),
    [("openai-agents", "open-ai-agents"), ("strands", "strands-agents"), ("ADK", "google-adk")],
)
def test_friendly_aliases_reach_the_wire_value(alias: str, wire: str) -> None:
    assert framework_name(alias) == wire


def test_unknown_framework_is_a_typed_error_naming_it() -> None:
    result = plan_args("crewai", PlanInput(agent=agent(), model=model()))
    error = result.failure()
    assert isinstance(error, UnsupportedFrameworkError) and "crewai" in str(error)


def test_unsupported_pair_names_framework_and_provider() -> None:
    result = plan_args("langchain", PlanInput(agent=agent(), model=model("amazon_bedrock")))
    error = result.failure()
    assert isinstance(error, UnsupportedFrameworkError)
    assert "langchain" in str(error) and "amazon_bedrock" in str(error)


def test_unknown_provider_is_a_typed_error() -> None:
    result = plan_args("agno", PlanInput(agent=agent(), model=model("acme")))
    assert isinstance(result.failure(), UnknownProviderError)


def test_provider_needing_a_base_url_without_one_is_refused() -> None:
    result = plan_args("agno", PlanInput(agent=agent(), model=model("openai_compatible")))
    error = result.failure()
    assert isinstance(error, InvalidInputError) and error.field == "llm_api_base"


def test_provider_default_base_url_fills_in() -> None:
    assert plan(model=model("nim")).model.base_url == "https://integrate.api.nvidia.com/v1"


def test_agents_base_url_wins_over_the_provider_default() -> None:
    result = plan(model=model("nim", base_url="http://127.0.0.1:8000/v1"))
    assert result.model.base_url == "http://127.0.0.1:8000/v1"


def test_mcp_api_key_becomes_a_bearer_header() -> None:
    server = McpServer(
        name="s", url="http://127.0.0.1:9/mcp", auth_type=McpAuthType.API_KEY, api_key=Secret("k")
    )
    result = plan(agent=agent(mcp_servers=[server]))
    assert result.mcp_tools[0].headers["Authorization"] == Secret("Bearer k")


def test_shell_supplied_mcp_headers_win() -> None:
    server = McpServer(name="s", url="http://127.0.0.1:9/mcp", headers={"Authorization": "old"})
    auth = McpServerAuth(server=server, headers={"Authorization": Secret("Bearer oauth")})
    result = plan(mcp_servers=[auth])
    assert result.mcp_tools[0].headers["Authorization"] == Secret("Bearer oauth")


def test_task_mcp_servers_are_added_and_duplicates_dropped() -> None:
    server = McpServer(name="s", url="http://127.0.0.1:9/mcp")
    other = McpServer(name="t", url="http://127.0.0.1:9/other")
    result = plan(agent=agent(mcp_servers=[server]), task=task(mcp_servers=[server, other]))
    assert [spec.name for spec in result.mcp_tools] == ["s", "t"]


@pytest.mark.parametrize("framework", FRAMEWORKS[1:])
def test_local_mcp_servers_are_refused_outside_agno(framework: str) -> None:
    server = McpServer(name="local", type=McpServerType.LOCAL, command="npx server")
    result = plan_args(framework, PlanInput(agent=agent(mcp_servers=[server]), model=model()))
    assert isinstance(result, Failure) and result.failure().field.startswith("mcp_servers")


def test_local_mcp_server_command_is_split_for_agno() -> None:
    server = McpServer(name="local", type=McpServerType.LOCAL, command="npx -y server")
    spec = plan(agent=agent(mcp_servers=[server])).mcp_tools[0]
    assert (spec.command, spec.args) == ("npx", ["-y", "server"])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_plan_repr_and_redacted_form_hide_the_key(framework: str) -> None:
    result = plan(framework, model=model(headers={"X-Key": CANARY}))
    assert CANARY not in repr(result) and CANARY not in str(to_redacted_builtins(result))


def test_identifier_makes_adk_safe_names() -> None:
    assert identifier("my-agent", "x") == "my_agent"


def test_reasoning_effort_reaches_the_model_spec() -> None:
    result = plan(model=model(reasoning_effort=ReasoningEffort.HIGH))
    assert result.model.reasoning_effort == "high"


@settings(max_examples=200, deadline=None)
@given(
    framework=st.one_of(st.sampled_from(FRAMEWORKS), st.text(max_size=12)),
    provider=st.one_of(st.sampled_from(sorted(PROVIDER_ENDPOINTS)), st.text(max_size=12)),
    base_url=st.one_of(st.none(), st.just("https://llm.example.com/v1")),
    name=st.text(max_size=20),
    output_format=st.sampled_from(list(OutputFormat)),
)
def test_planning_is_total(
    framework: str, provider: str, base_url: str | None, name: str, output_format: OutputFormat
) -> None:
    inp = PlanInput(
        agent=agent(name=name, output_format=output_format),
        model=model(provider, base_url=base_url),
    )
    result = plan_args(framework, inp)
    assert isinstance(result, Success) or isinstance(result.failure(), InvalidInputError)
