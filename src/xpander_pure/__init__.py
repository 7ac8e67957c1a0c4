"""The pure core of xpander-backend: wire models and decisions, no I/O.

Every public function takes plain values and returns a
``returns.result.Result``; nothing here reads the environment, the clock, a
file or the network, awaits, or calls user code.
"""

from ._agent import (
    Agent,
    AgentInstructions,
    AgnoSettings,
    GraphItem,
    GraphItemSettings,
    LLMCredentials,
)
from ._codec import REDACTED, decode, to_redacted_builtins, to_wire, to_wire_builtins
from ._enums import (
    AgentStatus,
    AgentType,
    EventType,
    Framework,
    GraphItemType,
    McpAuthResultType,
    McpAuthType,
    McpServerType,
    McpSsoToken,
    McpTransport,
    OutputFormat,
    Provider,
    ReasoningEffort,
    TaskStatus,
)
from ._errors import (
    DecodeError,
    InvalidInputError,
    ReportValidationError,
    UnknownProviderError,
    UnsupportedFrameworkError,
    XpanderError,
)
from ._events import TaskUpdateEvent
from ._mcp import McpAuthData, McpAuthResult, McpServer
from ._model import Deployment, KeySource, ResolvedKey, ResolvedModel
from ._secret import Secret
from ._task import Task, TaskInput, Tokens, User, UserTokens

__all__ = [
    "Agent",
    "AgentInstructions",
    "AgentStatus",
    "AgentType",
    "AgnoSettings",
    "DecodeError",
    "Deployment",
    "EventType",
    "Framework",
    "GraphItem",
    "GraphItemSettings",
    "GraphItemType",
    "InvalidInputError",
    "KeySource",
    "LLMCredentials",
    "McpAuthData",
    "McpAuthResult",
    "McpAuthResultType",
    "McpAuthType",
    "McpServer",
    "McpServerType",
    "McpSsoToken",
    "McpTransport",
    "OutputFormat",
    "Provider",
    "REDACTED",
    "ReasoningEffort",
    "ReportValidationError",
    "ResolvedKey",
    "ResolvedModel",
    "Secret",
    "Task",
    "TaskInput",
    "TaskStatus",
    "TaskUpdateEvent",
    "Tokens",
    "UnknownProviderError",
    "UnsupportedFrameworkError",
    "User",
    "UserTokens",
    "XpanderError",
    "decode",
    "to_redacted_builtins",
    "to_wire",
    "to_wire_builtins",
]
