"""``to_redacted_builtins``: credentials in header, environment and override maps,
and on a local MCP server's command line, never come out (canary values)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from xpander_pure import (
    Agent,
    Deployment,
    LLMCredentials,
    McpServer,
    McpServerType,
    Secret,
    Task,
    TaskInput,
    UserTokens,
    resolve_model,
    to_redacted_builtins,
)
from xpander_pure.frameworks import PlanInput, plan_args

HEADER_CANARY = "hdr-canary-11a7"
LLM_HEADER_CANARY = "llm-hdr-canary-22b8"
ENV_CANARY = "env-canary-33c9"
ARG_CANARY = "arg-canary-44d0"
OIDC_CANARY = "oidc-canary-55e1"
OVERRIDE_CANARY = "override-canary-66f2"
LLM_KEY_CANARY = "sk-canary-77a3"
CANARIES = (
    HEADER_CANARY,
    LLM_HEADER_CANARY,
    ENV_CANARY,
    ARG_CANARY,
    OIDC_CANARY,
    OVERRIDE_CANARY,
    LLM_KEY_CANARY,
)

REMOTE = McpServer(name="remote", url="http://127.0.0.1:9/mcp", headers={"X-Api": HEADER_CANARY})
LOCAL = McpServer(
    name="local",
    type=McpServerType.LOCAL,
    command=f"npx server --token {ARG_CANARY}",
    env_vars={"SERVER_TOKEN": ENV_CANARY},
)


def agent(*servers: McpServer) -> Agent:
    return Agent(
        id="a-1",
        organization_id="org-1",
        name="Canary",
        unique_name="canary",
        framework="agno",
        model_provider="openai",
        model_name="gpt-4o",
        llm_credentials=LLMCredentials(value=Secret(LLM_KEY_CANARY)),
        llm_extra_headers={"X-Gateway": LLM_HEADER_CANARY},
        mcp_servers=list(servers),
        pre_auth_audiences=["llm"],
        use_oidc_pre_auth_token_for_llm=True,
        oidc_pre_auth_token_llm_audience="llm",
    )


def task() -> Task:
    return Task(
        id="t-1",
        agent_id="a-1",
        organization_id="org-1",
        input=TaskInput(text="hi"),
        created_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
        user_tokens=UserTokens(oidc_tokens={"llm": Secret(OIDC_CANARY)}),
    )


def plan_input(*servers: McpServer) -> PlanInput:
    found = agent(*servers)
    model = resolve_model(found, task(), {}, Deployment.LOCAL, {}).unwrap()
    return PlanInput(agent=found, model=model, task=task(), overrides={"api_key": OVERRIDE_CANARY})


def shown(value: object) -> str:
    return json.dumps(to_redacted_builtins(value))


def assert_no_canary(text: str) -> None:
    leaked = [canary for canary in CANARIES if canary in text]
    assert leaked == []


def test_an_agent_shows_no_header_env_command_or_key_value() -> None:
    assert_no_canary(shown(agent(REMOTE, LOCAL)))


def test_an_agent_keeps_the_names_of_its_extra_headers() -> None:
    assert to_redacted_builtins(agent())["llm_extra_headers"] == {"X-Gateway": "***"}


def test_an_mcp_server_keeps_its_env_names_and_hides_their_values() -> None:
    assert to_redacted_builtins(LOCAL)["env_vars"] == {"SERVER_TOKEN": "***"}


def test_an_mcp_server_command_keeps_only_its_program() -> None:
    assert to_redacted_builtins(LOCAL)["command"] == "npx ***"


def test_an_mcp_server_shows_no_header_value() -> None:
    assert_no_canary(shown(REMOTE))


def test_a_resolved_model_hides_the_oidc_header_and_the_extra_headers() -> None:
    model = plan_input().model
    assert "x-oidc-token" in model.headers  # the canary is really there to hide
    assert_no_canary(shown(model))


def test_a_plan_input_shows_no_canary() -> None:
    assert_no_canary(shown(plan_input(REMOTE, LOCAL)))


def test_a_plan_input_keeps_override_names_and_hides_their_values() -> None:
    assert to_redacted_builtins(plan_input())["overrides"] == {"api_key": "***"}


def test_a_plan_shows_no_canary() -> None:
    plan = plan_args("agno", plan_input(REMOTE, LOCAL)).unwrap()
    assert_no_canary(shown(plan))


def test_a_plan_hides_a_local_servers_arguments_but_keeps_their_count() -> None:
    plan = plan_args("agno", plan_input(LOCAL)).unwrap()
    (tool,) = to_redacted_builtins(plan)["mcp_tools"]
    assert tool["args"] == ["***", "***", "***"]


def test_keys_of_user_data_named_like_a_credential_field_are_left_alone() -> None:
    schema = {"type": "object", "properties": {"headers": {"type": "string"}}}
    found = Agent(
        id="a-1",
        organization_id="org-1",
        name="n",
        unique_name="n",
        framework="agno",
        model_provider="openai",
        model_name="gpt-4o",
        output_schema=schema,
    )
    assert to_redacted_builtins(found)["output_schema"] == schema


def test_an_mcp_server_lists_its_credential_values_to_mask() -> None:
    server = McpServer(
        api_key=Secret("k-1"),
        client_secret=Secret("cs-1"),
        headers={"X": HEADER_CANARY},
        env_vars={"E": ENV_CANARY},
        command="npx s",
    )
    expected = {"k-1", "cs-1", HEADER_CANARY, ENV_CANARY, "npx s", "s"}
    assert set(server.secret_values()) == expected


@pytest.mark.parametrize("separator", ["\t", "\n", " \t "])
def test_a_command_split_by_any_whitespace_keeps_only_its_program(separator: str) -> None:
    server = McpServer(type=McpServerType.LOCAL, command=f"tool{separator}--token={ARG_CANARY}")
    assert to_redacted_builtins(server)["command"] == "tool ***"


@pytest.mark.parametrize("separator", ["\t", "\n"])
def test_an_mcp_server_masks_each_argument_split_by_any_whitespace(separator: str) -> None:
    server = McpServer(command=f"tool{separator}--token={ARG_CANARY}")
    assert f"--token={ARG_CANARY}" in server.secret_values()


def test_a_summary_lists_credential_map_names_only() -> None:
    summary = to_redacted_builtins(LOCAL, names_only=True)
    assert summary["env_vars"] == ["SERVER_TOKEN"]


def test_a_summary_shows_a_commands_program_only() -> None:
    assert to_redacted_builtins(LOCAL, names_only=True)["command"] == "npx"


def test_a_summary_shows_a_local_servers_argument_count_not_its_arguments() -> None:
    plan = plan_args("agno", plan_input(LOCAL)).unwrap()
    (tool,) = to_redacted_builtins(plan, names_only=True)["mcp_tools"]
    assert (tool["arg_count"], "args" in tool) == (3, False)


def test_a_summary_shows_no_canary() -> None:
    plan = plan_args("agno", plan_input(REMOTE, LOCAL)).unwrap()
    assert_no_canary(json.dumps(to_redacted_builtins(plan, names_only=True)))


def test_a_summary_leaves_keys_of_user_data_named_like_a_credential_field_alone() -> None:
    schema = {"type": "object", "properties": {"headers": {"type": "object"}}}
    found = Agent(
        id="a-1",
        organization_id="org-1",
        name="n",
        unique_name="n",
        framework="agno",
        model_provider="openai",
        model_name="gpt-4o",
        output_schema=schema,
    )
    assert to_redacted_builtins(found, names_only=True)["output_schema"] == schema
