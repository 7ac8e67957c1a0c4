"""langchain: ``create_agent`` keyword arguments with a chat model from ``init_chat_model``.

Sub-agents become tools: each wraps the sub-agent's compiled graph and returns
its last message. Remote MCP servers become tools (``_langchain_mcp``): building
the arguments connects to each server once to list its tools (as strands does
when its ``Agent`` is constructed); each tool opens its own session per call.
"""

from __future__ import annotations

from typing import Any

from xpander_pure import Framework
from xpander_pure.frameworks import AgentPlan, ModelSpec, SubAgentMode

from ._langchain_mcp import mcp_tools
from ._lazy import attr, reveal, reveal_all

FW = Framework.LANGCHAIN


def model(spec: ModelSpec) -> Any:
    """The chat model, built by ``init_chat_model`` with its own key and endpoint."""
    provider = spec.cls.partition(":")[2]
    extra: dict[str, Any] = {}
    if spec.base_url:
        extra["base_url"] = spec.base_url
    if spec.headers:
        extra["default_headers"] = reveal_all(spec.headers)
    if spec.reasoning_effort and provider == "openai":
        extra["reasoning_effort"] = spec.reasoning_effort
    return attr(FW, "langchain.chat_models.init_chat_model")(
        model=spec.model_id, model_provider=provider, api_key=reveal(spec.api_key), **extra
    )


def _text(result: Any) -> str:
    content = result["messages"][-1].content
    return content if isinstance(content, str) else str(content)


def sub_agent_tool(plan: AgentPlan) -> Any:
    """The sub-agent's graph as a tool taking one ``request`` string."""
    graph = build(plan, [])

    def run(request: str) -> str:
        return _text(graph.invoke({"messages": [{"role": "user", "content": request}]}))

    async def arun(request: str) -> str:
        return _text(await graph.ainvoke({"messages": [{"role": "user", "content": request}]}))

    return attr(FW, "langchain_core.tools.StructuredTool").from_function(
        func=run,
        coroutine=arun,
        name=plan.name,
        description=plan.description or f"Ask the {plan.name} agent.",
    )


def kwargs(plan: AgentPlan, tools: list[Any]) -> dict[str, Any]:
    """``langchain.agents.create_agent`` keyword arguments."""
    sub_tools = (
        [sub_agent_tool(sub) for sub in plan.sub_agents]
        if plan.sub_agent_mode == SubAgentMode.TOOLS
        else []
    )
    args: dict[str, Any] = {
        "model": model(plan.model),
        "tools": [*mcp_tools(plan.mcp_tools), *sub_tools, *tools],
        "system_prompt": plan.system_prompt,
        "name": plan.name,
    }
    if plan.output.schema is not None:
        args["response_format"] = dict(plan.output.schema)
    args.update(plan.overrides)
    return args


def build(plan: AgentPlan, tools: list[Any]) -> Any:
    """The compiled graph ``create_agent`` returns."""
    return attr(FW, "langchain.agents.create_agent")(**kwargs(plan, tools))
