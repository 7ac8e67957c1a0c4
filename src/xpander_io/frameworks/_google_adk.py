"""google-adk: ``LlmAgent`` keyword arguments.

Gemini models get ``google.adk.models.Gemini`` with the key in its
``client_kwargs`` (its own genai client, no ``GOOGLE_API_KEY``); every other
provider goes through ``LiteLlm`` carrying the key, endpoint and headers.
"""

from __future__ import annotations

from typing import Any

from xpander_pure import Framework
from xpander_pure.frameworks import AgentPlan, McpToolSpec, ModelSpec, SubAgentMode

from ._lazy import attr, reveal, reveal_all

FW = Framework.GOOGLE_ADK
GEMINI = "google.adk.models.Gemini"


def model(spec: ModelSpec) -> Any:
    """The ADK model object, holding its own key."""
    if spec.cls == GEMINI:
        client: dict[str, Any] = {"api_key": reveal(spec.api_key)}
        if spec.headers:
            client["http_options"] = {"headers": reveal_all(spec.headers)}
        return attr(FW, GEMINI)(model=spec.model_id, base_url=spec.base_url, client_kwargs=client)
    extra: dict[str, Any] = {}
    if spec.base_url:
        extra["api_base"] = spec.base_url
    if spec.headers:
        extra["extra_headers"] = reveal_all(spec.headers)
    if spec.region:
        extra["aws_region_name"] = spec.region
    if spec.reasoning_effort:
        extra["reasoning_effort"] = spec.reasoning_effort
    return attr(FW, spec.cls)(model=spec.model_id, api_key=reveal(spec.api_key), **extra)


def mcp_toolset(spec: McpToolSpec) -> Any:
    """An unconnected ``McpToolset`` (it connects when the agent lists its tools)."""
    module = "google.adk.tools.mcp_tool.mcp_session_manager"
    params_cls = attr(
        FW,
        f"{module}.SseConnectionParams"
        if spec.transport == "sse"
        else f"{module}.StreamableHTTPConnectionParams",
    )
    params = params_cls(url=spec.url, headers=reveal_all(spec.headers))
    return attr(FW, "google.adk.tools.mcp_tool.McpToolset")(
        connection_params=params, tool_filter=list(spec.allowed_tools) or None
    )


def kwargs(plan: AgentPlan, tools: list[Any]) -> dict[str, Any]:
    """``google.adk.agents.LlmAgent`` keyword arguments (``name`` is an identifier)."""
    args: dict[str, Any] = {
        "name": plan.name,
        "description": plan.description,
        "model": model(plan.model),
        "instruction": plan.system_prompt,
        "tools": [*(mcp_toolset(spec) for spec in plan.mcp_tools), *tools],
    }
    if plan.output.schema is not None:
        args["output_schema"] = dict(plan.output.schema)
    if plan.sub_agent_mode == SubAgentMode.SUB_AGENTS:
        args["sub_agents"] = [build(sub, []) for sub in plan.sub_agents]
    args.update(plan.overrides)
    return args


def build(plan: AgentPlan, tools: list[Any]) -> Any:
    """The real ``LlmAgent``."""
    return attr(FW, "google.adk.agents.LlmAgent")(**kwargs(plan, tools))
