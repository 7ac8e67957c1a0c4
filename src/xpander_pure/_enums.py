"""Closed value sets of the platform wire, as the official client defines them.

Each enum subclasses ``str`` so that ``TaskStatus.COMPLETED == "completed"``
and values encode as their plain strings. Open sets (framework, model provider,
graph item types) are plain strings on the models, with the known values here
as constants, because the hosted platform adds values over time.
"""

from __future__ import annotations

from enum import Enum


class TaskStatus(str, Enum):
    """A task's ``status``; ``error``, ``failed``, ``completed`` and ``stopped`` end it."""

    PENDING = "pending"
    EXECUTING = "executing"
    PAUSED = "paused"
    ERROR = "error"
    FAILED = "failed"
    COMPLETED = "completed"
    STOPPED = "stopped"


class OutputFormat(str, Enum):
    """``output_format`` of an agent or task: how its result reads (default ``markdown``)."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    VOICE = "voice"


class AgentStatus(str, Enum):
    """An agent's ``status``, upper case on the wire (default ``ACTIVE``)."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DRAFT = "DRAFT"


class AgentType(str, Enum):
    """An agent's ``type``: ``regular``, a ``manager`` of sub-agents, ``a2a``, ..."""

    MANAGER = "manager"
    REGULAR = "regular"
    A2A = "a2a"
    CURL = "curl"
    ORCHESTRATION = "orchestration"


class ReasoningEffort(str, Enum):
    """An agent's ``llm_reasoning_effort``; only non-``medium`` values reach the model."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


class EventType(str, Enum):
    """``type`` of a ``TaskUpdateEvent`` pushed to ``/agent-execution/{task_id}/events/push``."""

    CONNECTED = "connected"
    TASK_CREATED = "task_created"
    TASK_UPDATED = "task_updated"
    TASK_FINISHED = "task_finished"
    CHUNK = "chunk"
    AUTH_EVENT = "auth_event"
    TOOL_CALL_REQUEST = "tool_call_request"
    TOOL_CALL_RESULT = "tool_call_result"
    SUB_AGENT_TRIGGER = "sub_agent_trigger"


class McpServerType(str, Enum):
    """An MCP server's ``type``: ``local`` (a command run over stdio) or ``remote`` (a URL)."""

    LOCAL = "local"
    REMOTE = "remote"


class McpTransport(str, Enum):
    """An MCP server's ``transport``; local servers always use ``stdio``, remote ones never do."""

    STDIO = "stdio"
    SSE = "sse"
    STREAMABLE_HTTP = "streamable-http"


class McpAuthType(str, Enum):
    """An MCP server's ``auth_type``: how the platform authenticates to it (default ``none``)."""

    API_KEY = "api_key"
    OAUTH2 = "oauth2"
    CUSTOM_HEADERS = "custom_headers"
    SSO_USER = "sso_user"
    NONE = "none"


class McpSsoToken(str, Enum):
    """An SSO MCP server's ``sso_token``: which user token it gets (default ``access``)."""

    ACCESS = "access"
    ID = "id"
    EXCHANGE = "exchange"


class McpAuthResultType(str, Enum):
    """``type`` of an MCP token answer from ``POST /mcp_auth/{agent_id}/{user_id}/get_token``."""

    NOT_SUPPORTED = "not_supported"
    TOKEN_ISSUE = "token_issue"
    LOGIN_REQUIRED = "login_required"
    TOKEN_READY = "token_ready"


class Framework:
    """Framework values of ``Agent.framework`` (an open set on the wire)."""

    AGNO = "agno"
    GOOGLE_ADK = "google-adk"
    LANGCHAIN = "langchain"
    OPENAI_AGENTS = "open-ai-agents"
    STRANDS_AGENTS = "strands-agents"
    OPEN_CLAW = "open-claw"
    EXTERNAL_HARNESS = "external-harness"


class Provider:
    """Model provider values of ``Agent.model_provider`` (an open set on the wire)."""

    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    NIM = "nim"
    GOOGLE_AI_STUDIO = "google_ai_studio"
    AMAZON_BEDROCK = "amazon_bedrock"
    AZURE_AI_FOUNDARY = "azure_ai_foundary"
    OPEN_ROUTER = "open_router"
    FIREWORKS = "fireworks"
    NEBIUS = "nebius"
    HELICONE = "helicone"
    CLOUDFLARE_AI_GW = "cloudflare_ai_gw"
    Z_AI = "z_ai"
    CEREBRAS = "cerebras"
    BYTEDANCE = "bytedance"
    TZAFON_LIGHTCONE = "tzafon_lightcone"
    OPENAI_COMPATIBLE = "openai_compatible"
    GEMINI = "gemini"
    HUGGING_FACE = "huggingFace"
    FRIENDLY_AI = "friendlyAI"


class GraphItemType:
    """Known ``GraphItem.type`` values."""

    SOURCE_NODE = "source_node"
    AGENT = "agent"
    WORKFLOW = "workflow"
    TOOL = "tool"
    HUMAN_IN_THE_LOOP = "human_in_the_loop"
    DELAY = "xpsleep-agent-delay"
    CUSTOM_AGENT = "custom_agent"
    STORAGE = "storage"
    CODING_AGENT = "coding_agent"
    MCP = "mcp"
    LOCAL_DB = "local_db"
    SKILLS = "skills"
