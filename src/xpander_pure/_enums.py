"""Closed value sets of the platform wire, as the official client defines them.

Each enum subclasses ``str`` so that ``TaskStatus.COMPLETED == "completed"``
and values encode as their plain strings. Open sets (framework, model provider,
graph item types) are plain strings on the models, with the known values here
as constants, because the hosted platform adds values over time.
"""

from __future__ import annotations

from enum import Enum


class TaskStatus(str, Enum):
    PENDING = "pending"
    EXECUTING = "executing"
    PAUSED = "paused"
    ERROR = "error"
    FAILED = "failed"
    COMPLETED = "completed"
    STOPPED = "stopped"


class OutputFormat(str, Enum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    VOICE = "voice"


class AgentStatus(str, Enum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DRAFT = "DRAFT"


class AgentType(str, Enum):
    MANAGER = "manager"
    REGULAR = "regular"
    A2A = "a2a"
    CURL = "curl"
    ORCHESTRATION = "orchestration"


class ReasoningEffort(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


class EventType(str, Enum):
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
    LOCAL = "local"
    REMOTE = "remote"


class McpTransport(str, Enum):
    STDIO = "stdio"
    SSE = "sse"
    STREAMABLE_HTTP = "streamable-http"


class McpAuthType(str, Enum):
    API_KEY = "api_key"
    OAUTH2 = "oauth2"
    CUSTOM_HEADERS = "custom_headers"
    SSO_USER = "sso_user"
    NONE = "none"


class McpSsoToken(str, Enum):
    ACCESS = "access"
    ID = "id"
    EXCHANGE = "exchange"


class McpAuthResultType(str, Enum):
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
