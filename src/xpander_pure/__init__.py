"""The pure core of xpander-backend: wire models and decisions, no I/O.

Every public function takes plain values and returns a
``returns.result.Result`` (a typed ``Failure`` for bad input, never an
exception), except the two encoders ``to_wire`` and ``to_redacted_builtins``,
whose precondition is a value built from this package's types, and total
predicates such as ``invocation_succeeded`` that answer a plain ``bool``. Nothing here
reads the environment, the clock, a file or the network, awaits, or calls
user code.

The local platform's server-side rules live in the ``xpander_pure.platform``
sub-package; a client does not need them.
"""

from ._agent import (
    Agent,
    AgentInstructions,
    AgnoSettings,
    GraphItem,
    GraphItemSettings,
    LLMCredentials,
)
from ._codec import REDACTED, decode, to_redacted_builtins, to_wire
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
    ConflictError,
    DecodeError,
    InvalidInputError,
    InvalidTransitionError,
    McpAuthError,
    McpAuthTimeoutError,
    ReportValidationError,
    UnknownProviderError,
    UnknownResourceError,
    UnsafeEndpointError,
    UnsupportedFrameworkError,
    UnsupportedSchemaError,
    WorkerStopError,
    XpanderError,
)
from ._events import TaskUpdateEvent
from ._keys import (
    OIDC_HEADER,
    PLACEHOLDER_KEY,
    PROVIDERS,
    ProviderSpec,
    check_endpoint,
    merge_llm_headers,
    provider_name,
    resolve_llm_key,
    resolve_model,
)
from ._mcp import McpAuthData, McpAuthResult, McpServer
from ._model import Deployment, KeySource, ResolvedKey, ResolvedModel
from ._oauth import (
    BACKGROUND_USER,
    LOGIN_TIMEOUT,
    POLL_INTERVAL,
    TOKEN_REDACTED,
    Done,
    OAuthAction,
    OAuthState,
    PollAgain,
    PushLogin,
    oauth_step,
    start_oauth,
)
from ._report import ExternalTaskReport, build_report
from ._retry import (
    ErrorKind,
    Retry,
    RetryPolicy,
    Stop,
    decide_retry,
)
from ._routing import route_event
from ._secret import Secret
from ._sse import SseDecoder, SseEvent
from ._task import Task, TaskInput, Tokens, User, UserTokens, invocation_succeeded
from ._worker import ReconnectPolicy
from .platform import END_STATES, InvokeRequest

__all__ = [
    "Agent",
    "AgentInstructions",
    "AgentStatus",
    "AgentType",
    "AgnoSettings",
    "BACKGROUND_USER",
    "ConflictError",
    "DecodeError",
    "Deployment",
    "Done",
    "END_STATES",
    "ErrorKind",
    "EventType",
    "ExternalTaskReport",
    "Framework",
    "GraphItem",
    "GraphItemSettings",
    "GraphItemType",
    "InvalidInputError",
    "InvalidTransitionError",
    "InvokeRequest",
    "KeySource",
    "LLMCredentials",
    "LOGIN_TIMEOUT",
    "McpAuthData",
    "McpAuthError",
    "McpAuthResult",
    "McpAuthResultType",
    "McpAuthTimeoutError",
    "McpAuthType",
    "McpServer",
    "McpServerType",
    "McpSsoToken",
    "McpTransport",
    "OAuthAction",
    "OAuthState",
    "OIDC_HEADER",
    "OutputFormat",
    "PLACEHOLDER_KEY",
    "POLL_INTERVAL",
    "PROVIDERS",
    "PollAgain",
    "Provider",
    "ProviderSpec",
    "PushLogin",
    "REDACTED",
    "ReasoningEffort",
    "ReconnectPolicy",
    "ReportValidationError",
    "ResolvedKey",
    "ResolvedModel",
    "Retry",
    "RetryPolicy",
    "Secret",
    "SseDecoder",
    "SseEvent",
    "Stop",
    "TOKEN_REDACTED",
    "Task",
    "TaskInput",
    "TaskStatus",
    "TaskUpdateEvent",
    "Tokens",
    "UnknownProviderError",
    "UnknownResourceError",
    "UnsafeEndpointError",
    "UnsupportedFrameworkError",
    "UnsupportedSchemaError",
    "User",
    "UserTokens",
    "WorkerStopError",
    "XpanderError",
    "build_report",
    "check_endpoint",
    "decide_retry",
    "decode",
    "invocation_succeeded",
    "merge_llm_headers",
    "oauth_step",
    "provider_name",
    "resolve_llm_key",
    "resolve_model",
    "route_event",
    "start_oauth",
    "to_redacted_builtins",
    "to_wire",
]
