"""openai-agents: ``Agent`` keyword arguments with a model bound to its own client.

Nothing process-wide is touched: no ``set_default_openai_key``, no
``set_default_openai_client``, no environment variable. Each model gets its
own ``AsyncOpenAI`` (or a ``LitellmModel`` carrying its key).
"""

from __future__ import annotations

import functools
import json
import ssl
from typing import Any

import httpx

from xpander_pure import Framework
from xpander_pure.frameworks import AgentPlan, McpToolSpec, ModelSpec, SubAgentMode

from ._lazy import attr, reveal, reveal_all

FW = Framework.OPENAI_AGENTS
LITELLM = "agents.extensions.models.litellm_model.LitellmModel"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle is most of the cost of a new client (about 15 ms);
    # an SSLContext is safe to share across clients, threads and event loops,
    # unlike the httpx client itself, so each model still gets its own client.
    context: ssl.SSLContext = httpx.create_ssl_context()
    return context


def model(spec: ModelSpec) -> Any:
    """The openai-agents model object the plan names, bound to its own client."""
    if spec.cls == LITELLM:
        return attr(FW, LITELLM)(
            model=spec.model_id, base_url=spec.base_url, api_key=reveal(spec.api_key)
        )
    http_client = attr(FW, "openai.DefaultAsyncHttpxClient")(verify=_ssl_context())
    client = attr(FW, "openai.AsyncOpenAI")(
        api_key=reveal(spec.api_key),
        base_url=spec.base_url,
        default_headers=reveal_all(spec.headers) or None,
        http_client=http_client,
    )
    return attr(FW, spec.cls)(model=spec.model_id, openai_client=client)


def model_settings(spec: ModelSpec) -> Any:
    """Reasoning effort, and extra headers for LiteLLM routes (clients carry their own)."""
    settings: dict[str, Any] = {}
    if spec.reasoning_effort:
        settings["reasoning"] = attr(FW, "openai.types.shared.Reasoning")(
            effort=spec.reasoning_effort
        )
    if spec.cls == LITELLM and spec.headers:
        settings["extra_headers"] = reveal_all(spec.headers)
    return attr(FW, "agents.ModelSettings")(**settings)


def output_type(schema: dict[str, Any], name: str) -> Any:
    """An ``AgentOutputSchemaBase`` wrapping a plain JSON schema."""
    base = attr(FW, "agents.AgentOutputSchemaBase")
    behaviour_error = attr(FW, "agents.exceptions.ModelBehaviorError")

    class JsonSchemaOutput(base):  # type: ignore[misc, valid-type]
        """The agent's output schema as given by the platform (not strict)."""

        def is_plain_text(self) -> bool:
            return False

        def name(self) -> str:
            return name

        def json_schema(self) -> dict[str, Any]:
            return schema

        def is_strict_json_schema(self) -> bool:
            # Platform schemas rarely meet OpenAI's strict rules (all fields
            # required, additionalProperties false); strict would reject them.
            return False

        def validate_json(self, json_str: str) -> Any:
            try:
                value = json.loads(json_str)
            except ValueError as exc:
                raise behaviour_error(f"output is not JSON: {exc}") from exc
            # Checked before looking for fields: ``in`` on a number raises
            # TypeError, and on a string it matches substrings.
            if not isinstance(value, dict):
                raise behaviour_error(f"output is not a JSON object: got {type(value).__name__}")
            missing = [k for k in schema.get("required", []) if k not in value]
            if missing:
                raise behaviour_error(f"output lacks required fields: {missing}")
            return value

    return JsonSchemaOutput()


def mcp_server(spec: McpToolSpec) -> Any:
    """An unconnected MCP server; the caller connects it before running the agent."""
    params = {"url": spec.url, "headers": reveal_all(spec.headers)}
    cls = (
        "agents.mcp.MCPServerSse"
        if spec.transport == "sse"
        else ("agents.mcp.MCPServerStreamableHttp")
    )
    filters: dict[str, Any] = {}
    if spec.allowed_tools:
        filters["tool_filter"] = attr(FW, "agents.mcp.create_static_tool_filter")(
            allowed_tool_names=list(spec.allowed_tools)
        )
    return attr(FW, cls)(params=params, name=spec.name, **filters)


def kwargs(plan: AgentPlan, tools: list[Any]) -> dict[str, Any]:
    """``agents.Agent`` keyword arguments."""
    args: dict[str, Any] = {
        "name": plan.name,
        "instructions": plan.system_prompt,
        "handoff_description": plan.description or None,
        "model": model(plan.model),
        "model_settings": model_settings(plan.model),
        "tools": list(tools),
        "mcp_servers": [mcp_server(spec) for spec in plan.mcp_tools],
    }
    if plan.output.schema is not None:
        args["output_type"] = output_type(dict(plan.output.schema), "output")
    if plan.sub_agent_mode == SubAgentMode.HANDOFFS:
        args["handoffs"] = [build(sub, []) for sub in plan.sub_agents]
    args.update(plan.overrides)
    return args


def build(plan: AgentPlan, tools: list[Any]) -> Any:
    """The real ``agents.Agent``."""
    return attr(FW, "agents.Agent")(**kwargs(plan, tools))
