"""The I/O shell of xpander-backend: environment, HTTP, callbacks, the local platform."""

from xpander_pure import (
    Agent,
    InvalidInputError,
    RetryPolicy,
    Task,
    TaskUpdateEvent,
    Tokens,
    XpanderError,
)

from ._backend import Backend, dispatch_get_args
from ._config import Configuration
from ._exceptions import (
    AuthenticationError,
    ConfigurationError,
    ConnectError,
    HTTPStatusError,
    InvalidResponseError,
    McpAuthError,
    McpAuthTimeoutError,
    McpConnectionError,
    MissingAgentIdError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TimeoutError,
    TransportError,
    ValidationError,
    XpanderIOError,
)
from ._handlers import AuthEventHandlers, auth_event_handlers, on_auth_event
from ._http import Timeouts
from ._worker import Worker, WorkerTask, on_task, run_worker
from .frameworks import FrameworkNotInstalledError

__all__ = [
    "Agent",
    "AuthEventHandlers",
    "AuthenticationError",
    "Backend",
    "Configuration",
    "ConfigurationError",
    "ConnectError",
    "FrameworkNotInstalledError",
    "HTTPStatusError",
    "InvalidInputError",
    "InvalidResponseError",
    "McpAuthError",
    "McpAuthTimeoutError",
    "McpConnectionError",
    "MissingAgentIdError",
    "NotFoundError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "Task",
    "TaskUpdateEvent",
    "TimeoutError",
    "Timeouts",
    "Tokens",
    "TransportError",
    "ValidationError",
    "Worker",
    "WorkerTask",
    "XpanderError",
    "XpanderIOError",
    "auth_event_handlers",
    "dispatch_get_args",
    "on_auth_event",
    "on_task",
    "run_worker",
]
