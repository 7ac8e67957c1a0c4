"""agno: ``Agent``/``Team`` keyword arguments with an agno model object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xpander_pure import Framework
from xpander_pure.frameworks import AgentPlan, McpToolSpec, ModelSpec, SubAgentMode

from ._lazy import attr, reveal, reveal_all

FW = Framework.AGNO


def _openai(spec: ModelSpec, cls: Any) -> Any:
    extra: dict[str, Any] = {}
    if spec.reasoning_effort:
        extra["reasoning_effort"] = spec.reasoning_effort
    if spec.cls.endswith("OpenAILike"):
        extra["provider"] = spec.provider
    return cls(
        id=spec.model_id,
        api_key=reveal(spec.api_key),
        base_url=spec.base_url,
        default_headers=reveal_all(spec.headers) or None,
        **extra,
    )


def _claude(spec: ModelSpec, cls: Any) -> Any:
    params = {"base_url": spec.base_url} if spec.base_url else None
    return cls(
        id=spec.model_id,
        api_key=reveal(spec.api_key),
        default_headers=reveal_all(spec.headers) or None,
        client_params=params,
    )


def _gemini(spec: ModelSpec, cls: Any) -> Any:
    http_options: dict[str, Any] = {}
    if spec.headers:
        http_options["headers"] = reveal_all(spec.headers)
    if spec.base_url:
        http_options["base_url"] = spec.base_url
    params = {"http_options": http_options} if http_options else None
    return cls(id=spec.model_id, api_key=reveal(spec.api_key), client_params=params)


def _bedrock(spec: ModelSpec, cls: Any) -> Any:
    return cls(id=spec.model_id, aws_region=spec.region)


_BUILDERS: dict[str, Callable[[ModelSpec, Any], Any]] = {
    "agno.models.openai.OpenAIChat": _openai,
    "agno.models.openai.like.OpenAILike": _openai,
    "agno.models.anthropic.Claude": _claude,
    "agno.models.google.Gemini": _gemini,
    "agno.models.aws.AwsBedrock": _bedrock,
}


def model(spec: ModelSpec) -> Any:
    """The agno model object the plan names."""
    return _BUILDERS[spec.cls](spec, attr(FW, spec.cls))


def mcp_tools(spec: McpToolSpec) -> Any:
    """``agno.tools.mcp.MCPTools`` for one server; it connects when the agent runs."""
    tools_cls = attr(FW, "agno.tools.mcp.MCPTools")
    include = list(spec.allowed_tools) or None
    if spec.transport == "stdio":
        params_cls = attr(FW, "mcp.client.stdio.StdioServerParameters")
        params = params_cls(
            command=spec.command, args=list(spec.args), env=reveal_all(spec.env) or None
        )
        return tools_cls(server_params=params, transport="stdio", include_tools=include)
    params_name = "SSEClientParams" if spec.transport == "sse" else "StreamableHTTPClientParams"
    params = attr(FW, f"agno.tools.mcp.params.{params_name}")(
        url=spec.url, headers=reveal_all(spec.headers) or None
    )
    return tools_cls(
        server_params=params, transport=spec.transport, include_tools=include, name=spec.name
    )


def kwargs(plan: AgentPlan, tools: list[Any]) -> dict[str, Any]:
    """agno keyword arguments; ``Team`` ones (with ``members``) for a team plan."""
    args: dict[str, Any] = {
        "id": plan.id,
        "name": plan.name,
        "model": model(plan.model),
        "description": plan.description or None,
        "instructions": plan.instructions or None,
        "expected_output": plan.expected_output or None,
        "additional_context": plan.additional_context or None,
        "markdown": plan.output.format == "markdown",
        "add_datetime_to_context": True,
        "session_id": plan.session_id,
        "user_id": plan.user_id,
        "tools": [*(mcp_tools(spec) for spec in plan.mcp_tools), *tools],
    }
    if plan.output.schema is not None:
        args["output_schema"] = dict(plan.output.schema)
    history = plan.history
    if history.enabled:
        args["add_history_to_context"] = True
        if history.num_history_runs is not None:
            args["num_history_runs"] = history.num_history_runs
        if history.max_tool_calls_from_history is not None:
            args["max_tool_calls_from_history"] = history.max_tool_calls_from_history
        if history.session_summaries:
            args["enable_session_summaries"] = True
    if history.user_memories and plan.user_id:
        args["enable_agentic_memory"] = True
    if plan.tool_call_limit is not None:
        args["tool_call_limit"] = plan.tool_call_limit
    if plan.sub_agent_mode == SubAgentMode.TEAM:
        args["members"] = [build(sub, []) for sub in plan.sub_agents]
        args["add_member_tools_to_context"] = True
        args["share_member_interactions"] = True
        args["show_members_responses"] = True
    args.update(plan.overrides)
    return args


def build(plan: AgentPlan, tools: list[Any]) -> Any:
    """The real agno ``Agent`` or ``Team`` for ``plan`` (used for team members)."""
    args = kwargs(plan, tools)
    cls = attr(FW, "agno.team.Team" if "members" in args else "agno.agent.Agent")
    return cls(**args)
