"""The agent definition served by ``GET /agents/{agent_id}``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from typing_extensions import override

from ._enums import AgentStatus, AgentType, OutputFormat, ReasoningEffort
from ._mcp import McpServer
from ._secret import Secret


class AgentInstructions(msgspec.Struct, kw_only=True, frozen=True):
    """An agent's ``instructions``: role and goal lines, general text, dynamic-prompt flag."""

    role: list[str] = []
    goal: list[str] = []
    general: str = ""
    dynamic_prompt_enabled: bool = False


class LLMCredentials(msgspec.Struct, kw_only=True, frozen=True):
    """The agent's own (custom) LLM key; the key itself is ``value``."""

    name: str = ""
    description: str | None = None
    value: Secret | None = None


class AgnoSettings(msgspec.Struct, kw_only=True, frozen=True):
    """An agent's ``agno_settings``: memory, history and guardrail switches (official defaults)."""

    session_storage: bool = True
    learning: bool = False
    user_memories: bool = False
    agentic_memory: bool = False
    agent_memories: bool = False
    agentic_culture: bool = False
    session_summaries: bool = False
    num_history_runs: int = 50
    max_tool_calls_from_history: int | None = None
    tool_call_limit: int | None = None
    coordinate_mode: bool = False
    pii_detection_enabled: bool = False
    pii_detection_mask: bool = True
    prompt_injection_detection_enabled: bool = False
    openai_moderation_enabled: bool = False
    openai_moderation_categories: list[str] | None = None
    reasoning_tools_enabled: bool = True


class GraphItemSettings(msgspec.Struct, kw_only=True, frozen=True):
    """A graph item's ``settings``; only an ``mcp`` item's server (``mcp_settings``) is read."""

    mcp_settings: McpServer | None = None


class GraphItem(msgspec.Struct, kw_only=True, frozen=True):
    """A node of the agent's graph: a sub-agent, a tool, an MCP server, ..."""

    item_id: str
    """The id of what the node stands for (for an ``agent`` item, the sub-agent's id)."""
    targets: list[str]
    """Ids of the graph nodes this node leads to."""
    id: str | None = None
    """The node's own id within the graph (not the item it stands for)."""
    name: str | None = None
    type: str | None = None
    """What the node is: a ``GraphItemType`` value (an open set on the wire)."""
    sub_type: str | None = None
    """A refinement of ``type``: ``sdk``, ``task``, ``local_tool``, ..."""
    settings: GraphItemSettings | None = None
    is_first: bool = False
    """Whether the graph starts at this node."""


class Agent(msgspec.Struct, kw_only=True, frozen=True):
    """An agent as the platform serves it.

    Decoding tolerates fields this library does not know; missing optional
    fields take the official client's defaults. ``repr`` never shows keys or
    header values.
    """

    id: str
    organization_id: str
    name: str
    unique_name: str
    framework: str
    model_provider: str
    model_name: str
    description: str | None = None
    instructions: AgentInstructions = AgentInstructions()
    version: int = 1
    status: AgentStatus = AgentStatus.ACTIVE
    type: AgentType | None = None
    llm_credentials: LLMCredentials | None = None
    llm_api_base: str | None = None
    llm_extra_headers: dict[str, Any] = {}
    llm_reasoning_effort: ReasoningEffort = ReasoningEffort.MEDIUM
    output_format: OutputFormat = OutputFormat.MARKDOWN
    output_schema: dict[str, Any] | None = None
    expected_output: str = ""
    agno_settings: AgnoSettings = AgnoSettings()
    graph: list[GraphItem] = []
    mcp_servers: list[McpServer] = []
    knowledge_bases: list[Any] = []
    use_oidc_pre_auth: bool = False
    pre_auth_audiences: list[str] = []
    use_oidc_pre_auth_token_for_llm: bool = False
    oidc_pre_auth_token_llm_audience: str | None = None
    oidc_pre_auth_token_mcp_audience: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None
    webhook_url: str | None = None
    icon: str | None = None
    environment_id: str | None = None

    @override
    def __repr__(self) -> str:
        return (
            f"Agent(id={self.id!r}, name={self.name!r}, version={self.version}, "
            f"framework={self.framework!r}, model_provider={self.model_provider!r}, "
            f"model_name={self.model_name!r})"
        )

    @property
    def sub_agent_ids(self) -> list[str]:
        """Ids of the sub-agents in the graph, in graph order."""
        return [
            item.item_id for item in self.graph if item.type == "agent" and item.item_id != self.id
        ]

    @property
    def graph_mcp_servers(self) -> list[McpServer]:
        """MCP servers attached through graph items, then those listed directly."""
        from_graph = [
            item.settings.mcp_settings
            for item in self.graph
            if item.type == "mcp" and item.settings and item.settings.mcp_settings
        ]
        return [*from_graph, *self.mcp_servers]
