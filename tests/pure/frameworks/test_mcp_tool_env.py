"""A local MCP server's environment reaches the plan as ``Secret`` values."""

from __future__ import annotations

from xpander_pure import Agent, Deployment, McpServer, McpServerType, Secret, resolve_model
from xpander_pure.frameworks import McpToolSpec, PlanInput, mcp_tool_specs

ENV_CANARY = "env-canary-8b21"


def local_spec() -> McpToolSpec:
    server = McpServer(
        name="fs", type=McpServerType.LOCAL, command="npx fs", env_vars={"TOKEN": ENV_CANARY}
    )
    agent = Agent(
        id="a-1",
        organization_id="org-1",
        name="n",
        unique_name="n",
        framework="agno",
        model_provider="openai",
        model_name="gpt-4o",
        mcp_servers=[server],
    )
    model = resolve_model(agent, None, {"OPENAI_API_KEY": "k"}, Deployment.LOCAL, {}).unwrap()
    plan_input = PlanInput(agent=agent, model=model)
    (spec,) = mcp_tool_specs("agno", plan_input, stdio=True).unwrap()
    return spec


def test_env_values_are_secrets() -> None:
    assert local_spec().env == {"TOKEN": Secret(ENV_CANARY)}


def test_the_spec_repr_shows_no_env_value() -> None:
    assert ENV_CANARY not in repr(local_spec())
