"""What a planner takes in and what it hands to a materializer.

The plan is plain data: a materializer (``xpander_io.frameworks``) reads it and
builds the framework's objects without deciding anything. Secrets (the LLM key,
header values, MCP auth headers, a local MCP server's environment) stay
``Secret`` until the materializer passes them to the framework's client, so a
plan's ``repr`` and its redacted encoding never show them.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .._agent import Agent
from .._mcp import McpServer
from .._model import ResolvedModel
from .._secret import Secret
from .._task import Task


class McpServerAuth(msgspec.Struct, kw_only=True, frozen=True):
    """An MCP server and the auth headers the shell obtained for it.

    ``headers`` come from the OAuth flow (``Authorization: Bearer ...``) or any
    other source the shell resolved; they are added to the server's own
    ``headers`` and win on a name clash.
    """

    server: McpServer
    headers: dict[str, Secret] = {}

    def __repr__(self) -> str:
        return f"McpServerAuth(server={self.server!r}, headers={sorted(self.headers)!r})"


class PlanInput(msgspec.Struct, kw_only=True, frozen=True):
    """Everything a planner needs, gathered by the shell.

    ``mcp_servers`` ``None`` means "the agent's and the task's servers with
    their static auth" (``api_key`` as a bearer token, custom headers); the
    shell passes a list when it ran the OAuth flow. ``sub_agents`` are the
    graph's sub-agents, already fetched, each with its own resolved model.
    ``session_id``/``user_id`` default to the task's id and its user's id.
    ``overrides`` are applied last, to the framework's keyword arguments.
    """

    agent: Agent
    model: ResolvedModel
    task: Task | None = None
    mcp_servers: list[McpServerAuth] | None = None
    sub_agents: list[PlanInput] = []
    session_id: str | None = None
    user_id: str | None = None
    overrides: dict[str, Any] = {}

    def __repr__(self) -> str:
        return (
            f"PlanInput(agent={self.agent!r}, model={self.model!r}, "
            f"task={self.task!r}, sub_agents={len(self.sub_agents)})"
        )


class ModelSpec(msgspec.Struct, kw_only=True, frozen=True):
    """Which model class to build and with what.

    ``cls`` names the framework's class (e.g. ``agno.models.openai.OpenAIChat``,
    ``litellm`` for a LiteLLM route); ``model_id`` is what that class takes as
    its model (for LiteLLM routes, ``provider/model``); ``base_url`` is the
    endpoint with provider defaults filled in (``None``: the SDK's default).
    """

    cls: str
    provider: str
    model_id: str
    api_key: Secret | None = None
    base_url: str | None = None
    headers: dict[str, Secret] = {}
    reasoning_effort: str | None = None
    region: str | None = None

    def __repr__(self) -> str:
        return (
            f"ModelSpec(cls={self.cls!r}, provider={self.provider!r}, "
            f"model_id={self.model_id!r}, base_url={self.base_url!r}, "
            f"headers={sorted(self.headers)!r})"
        )


class OutputSpec(msgspec.Struct, kw_only=True, frozen=True):
    """The answer's format: ``text``, ``markdown``, ``json`` (with ``schema`` or not), ``voice``."""

    format: str
    schema: dict[str, Any] | None = None


class HistorySpec(msgspec.Struct, kw_only=True, frozen=True):
    """Conversation history settings (from ``agno_settings``)."""

    enabled: bool = True
    num_history_runs: int | None = None
    max_tool_calls_from_history: int | None = None
    session_summaries: bool = False
    user_memories: bool = False


class McpToolSpec(msgspec.Struct, kw_only=True, frozen=True):
    """An MCP server to expose as tools, built without connecting.

    ``transport`` is ``streamable-http``, ``sse`` or ``stdio`` (then
    ``command``, ``args`` and ``env`` apply instead of ``url``). ``env`` and
    ``headers`` values are ``Secret`` (the materializer reveals them for the
    framework's client); ``repr`` shows neither them nor ``args``.
    """

    name: str
    transport: str
    url: str | None = None
    command: str | None = None
    args: list[str] = []
    env: dict[str, Secret] = {}
    headers: dict[str, Secret] = {}
    allowed_tools: list[str] = []

    def __repr__(self) -> str:
        return (
            f"McpToolSpec(name={self.name!r}, transport={self.transport!r}, "
            f"url={self.url!r}, headers={sorted(self.headers)!r})"
        )


class SubAgentMode:
    """How sub-agents reach the framework (``AgentPlan.sub_agent_mode``)."""

    NONE = "none"
    TEAM = "team"
    """agno: the plan becomes a ``Team`` whose ``members`` are the sub-agents."""
    HANDOFFS = "handoffs"
    """openai-agents: ``handoffs=[Agent, ...]``."""
    SUB_AGENTS = "sub_agents"
    """google-adk: ``sub_agents=[LlmAgent, ...]``."""
    TOOLS = "tools"
    """langchain, strands: each sub-agent is wrapped as a tool of the parent."""


class AgentPlan(msgspec.Struct, kw_only=True, frozen=True):
    """A framework-specific construction plan for one agent (and its sub-agents).

    ``system_prompt`` is the whole prompt for frameworks that take a single
    instruction text (openai-agents, langchain, google-adk, strands); agno takes
    ``description``, ``instructions``, ``expected_output`` and
    ``additional_context`` separately and ignores it. ``tool_call_limit`` only
    reaches agno's constructor; the others take a turn limit at run time.
    """

    framework: str
    name: str
    id: str
    description: str
    instructions: str
    expected_output: str
    system_prompt: str
    model: ModelSpec
    output: OutputSpec
    session_id: str | None = None
    user_id: str | None = None
    history: HistorySpec = HistorySpec()
    tool_call_limit: int | None = None
    additional_context: str = ""
    mcp_tools: list[McpToolSpec] = []
    sub_agents: list[AgentPlan] = []
    sub_agent_mode: str = SubAgentMode.NONE
    overrides: dict[str, Any] = {}

    def __repr__(self) -> str:
        return (
            f"AgentPlan(framework={self.framework!r}, name={self.name!r}, id={self.id!r}, "
            f"model={self.model!r}, sub_agents={len(self.sub_agents)})"
        )
