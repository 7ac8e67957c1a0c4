"""strands-agents: ``Agent`` keyword arguments with strands model classes.

The JSON output schema becomes a pydantic model (the planner has already
refused schemas that would not convert); sub-agents become tools through
``Agent.as_tool``.
"""

from __future__ import annotations

from typing import Any, Literal

from xpander_pure import Framework
from xpander_pure.frameworks import AgentPlan, McpToolSpec, ModelSpec, SubAgentMode

from ._lazy import attr, reveal, reveal_all

FW = Framework.STRANDS_AGENTS
ANTHROPIC_MAX_TOKENS = 8192
"""strands' AnthropicModel requires ``max_tokens``; the Anthropic API requires it too."""


def model(spec: ModelSpec) -> Any:
    """The strands model object with its own client arguments."""
    cls = attr(FW, spec.cls)
    key = reveal(spec.api_key)
    if spec.cls.endswith("BedrockModel"):
        return cls(model_id=spec.model_id, region_name=spec.region, api_key=key)
    if spec.cls.endswith("GeminiModel"):
        http: dict[str, Any] = {}
        if spec.headers:
            http["headers"] = reveal_all(spec.headers)
        if spec.base_url:
            http["base_url"] = spec.base_url
        client = {"api_key": key, **({"http_options": http} if http else {})}
        return cls(client_args=client, model_id=spec.model_id)
    client_args: dict[str, Any] = {"api_key": key}
    if spec.base_url:
        client_args["base_url"] = spec.base_url
    if spec.headers:
        client_args["default_headers"] = reveal_all(spec.headers)
    if spec.cls.endswith("AnthropicModel"):
        return cls(client_args=client_args, model_id=spec.model_id, max_tokens=ANTHROPIC_MAX_TOKENS)
    params = {"reasoning_effort": spec.reasoning_effort} if spec.reasoning_effort else None
    return cls(client_args=client_args, model_id=spec.model_id, params=params)


_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool}


def _annotation(schema: dict[str, Any], name: str) -> Any:
    if "enum" in schema:
        return Literal[tuple(schema["enum"])]
    kind = schema.get("type")
    if kind == "object":
        return pydantic_model(schema, name)
    if kind == "array":
        items = schema.get("items")
        return list[_annotation(items, f"{name}Item")] if items else list[Any]  # type: ignore[misc]
    return _SCALARS[str(kind)]


def pydantic_model(schema: dict[str, Any], name: str = "Output") -> Any:
    """A pydantic model class for a JSON object schema (as ``check_schema`` allows)."""
    field = attr(FW, "pydantic.Field")
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    for prop, sub in schema.get("properties", {}).items():
        annotation = _annotation(sub, f"{name}_{prop}")
        description = sub.get("description")
        if prop in required:
            fields[prop] = (annotation, field(..., description=description))
        else:
            fields[prop] = (annotation | None, field(sub.get("default"), description=description))
    return attr(FW, "pydantic.create_model")(
        schema.get("title") or name, __doc__=schema.get("description"), **fields
    )


def mcp_client(spec: McpToolSpec) -> Any:
    """An unconnected ``MCPClient``; strands starts it when the agent uses it."""
    cls = attr(FW, "strands.tools.mcp.MCPClient")
    headers = reveal_all(spec.headers) or None
    filters = {"tool_filters": {"allowed": list(spec.allowed_tools)}} if spec.allowed_tools else {}
    if spec.transport == "sse":
        sse_client = attr(FW, "mcp.client.sse.sse_client")
        url = spec.url
        return cls(lambda: sse_client(url, headers=headers), prefix=None, **filters)
    return cls(url=spec.url, headers=headers, **filters)


def kwargs(plan: AgentPlan, tools: list[Any]) -> dict[str, Any]:
    """``strands.Agent`` keyword arguments."""
    sub_tools = (
        [
            build(sub, []).as_tool(name=sub.name, description=sub.description or None)
            for sub in plan.sub_agents
        ]
        if plan.sub_agent_mode == SubAgentMode.TOOLS
        else []
    )
    args: dict[str, Any] = {
        "model": model(plan.model),
        "system_prompt": plan.system_prompt,
        "name": plan.name,
        "description": plan.description or None,
        "tools": [*(mcp_client(spec) for spec in plan.mcp_tools), *sub_tools, *tools],
        "callback_handler": None,
    }
    if plan.output.schema is not None:
        args["structured_output_model"] = pydantic_model(dict(plan.output.schema))
    args.update(plan.overrides)
    return args


def build(plan: AgentPlan, tools: list[Any]) -> Any:
    """The real ``strands.Agent``."""
    return attr(FW, "strands.Agent")(**kwargs(plan, tools))
