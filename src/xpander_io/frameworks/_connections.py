"""MCP connection settings for clients that connect by themselves (langchain-mcp-adapters)."""

from __future__ import annotations

from typing import Any

from returns.result import Failure

from xpander_pure.frameworks import PlanInput, mcp_tool_specs

from ._lazy import reveal_all

_TRANSPORTS = {"streamable-http": "streamable_http", "sse": "sse"}


def mcp_connections(plan_input: PlanInput) -> dict[str, dict[str, Any]]:
    """The agent's (and task's) MCP servers as ``MultiServerMCPClient`` connections.

    langchain plans refuse MCP servers because ``get_tools()`` connects; this
    gives what that client takes, auth headers included, so that the caller
    can connect when it chooses::

        tools = await MultiServerMCPClient(mcp_connections(plan_input)).get_tools()
        plan = plan_args("langchain", msgspec.structs.replace(plan_input, mcp_servers=[]))
        kwargs = materialize(plan.unwrap(), tools=tools)

    Raises the planner's typed error for a server it cannot describe.
    """
    specs = mcp_tool_specs("langchain", plan_input, stdio=False)
    if isinstance(specs, Failure):
        raise specs.failure()
    return {
        spec.name: {
            "transport": _TRANSPORTS[spec.transport],
            "url": spec.url,
            "headers": reveal_all(spec.headers),
        }
        for spec in specs.unwrap()
    }
