"""Errors raised by the shell (HTTP, configuration, the Backend).

Every class descends from ``xpander_pure.XpanderError``, so ``except
XpanderError`` catches everything this library raises; input problems are
also ``ValueError``, timeouts also the built-in ``TimeoutError`` and a missing
framework also ``ImportError``::

    XpanderError                                 (xpander_pure)
    ├── InvalidInputError (ValueError)           (xpander_pure) field + reason
    │   ├── MissingAgentIdError                  no agent_id, no agent, no XPANDER_AGENT_ID
    │   └── ConfigurationError                   a configuration value is unusable
    ├── McpAuthError                             (xpander_pure) MCP OAuth login refused
    │   └── McpAuthTimeoutError                  (xpander_pure) nobody logged in in time
    ├── FrameworkNotInstalledError (ImportError) (xpander_io.frameworks) names the extra
    └── XpanderIOError                           talking to the platform or an MCP server failed
        ├── TransportError                       no usable HTTP answer
        │   ├── ConnectError                     could not connect, or the connection dropped
        │   ├── TimeoutError (TimeoutError)      connect/read/write/pool timeout
        │   └── McpConnectionError               an MCP server's tools could not be listed
        ├── HTTPStatusError                      4xx/5xx: ``status_code``, ``body_excerpt``
        │   ├── AuthenticationError              401, 403
        │   ├── NotFoundError                    404
        │   ├── ValidationError                  400, 409, 422 (the request was refused)
        │   ├── RateLimitError                   429 (``retry_after`` in seconds, if sent)
        │   └── ServerError                      5xx
        └── InvalidResponseError                 a 2xx answer that is not what the wire promises

The core's own ``InvalidInputError`` subclasses (``UnsupportedFrameworkError``,
``ReportValidationError``, ...) are drawn in ``xpander_pure._errors``.

No message includes a secret: ``body_excerpt`` masks credential-looking fields,
bearer tokens and the configuration's own key (``xpander_pure._redact``), and
request URLs never carry keys (the key travels in the ``x-api-key`` header).
``McpConnectionError`` names the MCP server and the failure's type only: an
MCP URL may carry a credential in its query and the failure's own message may
echo request headers.
"""

from __future__ import annotations

import builtins

from xpander_pure._addressing import AGENT_ID_VARIABLE
from xpander_pure._errors import (
    InvalidInputError,
    McpAuthError,
    McpAuthTimeoutError,
    XpanderError,
)


class XpanderIOError(XpanderError):
    """Something went wrong talking to the platform (or to a remote MCP server)."""


class TransportError(XpanderIOError):
    """No usable HTTP answer arrived (connection refused, dropped, timed out)."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(f"{method} {url}: {message}" if method else message)
        self.method = method
        self.url = url


class ConnectError(TransportError):
    """The connection could not be made, or it closed before an answer arrived."""


class TimeoutError(TransportError, builtins.TimeoutError):
    """The platform did not answer in time (connect, read, write or pool timeout)."""


class McpConnectionError(TransportError):
    """Listing a remote MCP server's tools failed (refused, dropped, timed out, refused login).

    ``server`` is the server's name and ``error_type`` the qualified name of the
    underlying exception's class. Neither the URL nor the underlying message is
    kept: a URL may carry a credential in its query, and a message may echo
    request headers.
    """

    def __init__(self, server: str, error_type: str) -> None:
        super().__init__(f"MCP server {server!r}: could not list its tools ({error_type})")
        self.server = server
        self.error_type = error_type

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.server, self.error_type))


class HTTPStatusError(XpanderIOError):
    """The platform answered with a 4xx or 5xx status.

    ``body_excerpt`` is at most 200 characters of the body with credentials masked.
    """

    def __init__(self, status_code: int, body_excerpt: str, *, method: str, url: str) -> None:
        detail = f": {body_excerpt}" if body_excerpt else ""
        super().__init__(f"{method} {url} answered {status_code}{detail}")
        self.status_code = status_code
        self.body_excerpt = body_excerpt
        self.method = method
        self.url = url


class AuthenticationError(HTTPStatusError):
    """401 or 403: the API key is missing, wrong, or not allowed here."""


class NotFoundError(HTTPStatusError):
    """404: no such agent/task for this organisation."""


class ValidationError(HTTPStatusError):
    """400, 409 or 422: the platform refused the request's content."""


class RateLimitError(HTTPStatusError):
    """429: too many requests; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(
        self,
        status_code: int,
        body_excerpt: str,
        *,
        method: str,
        url: str,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status_code, body_excerpt, method=method, url=url)
        self.retry_after = retry_after


class ServerError(HTTPStatusError):
    """5xx: the platform failed."""


class InvalidResponseError(XpanderIOError):
    """A 2xx answer whose body is not what the wire contract promises.

    ``field`` and ``reason`` come from the decoder (``$.path`` and why).
    """

    def __init__(self, what: str, field: str, reason: str) -> None:
        super().__init__(f"invalid {what} in response: {field}: {reason}")
        self.what = what
        self.field = field
        self.reason = reason


class MissingAgentIdError(InvalidInputError):
    """No agent was named: pass ``agent_id=`` or ``agent=``, or set ``XPANDER_AGENT_ID``."""

    def __init__(self) -> None:
        super().__init__(
            "agent_id",
            f"no agent given: pass agent_id= or agent=, or set {AGENT_ID_VARIABLE}",
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), ())


class ConfigurationError(InvalidInputError):
    """A configuration value cannot be used (field + reason, never the value of a key)."""


def status_error_class(status_code: int) -> type[HTTPStatusError]:
    """The exception class for an HTTP error status."""
    if status_code in (401, 403):
        return AuthenticationError
    if status_code == 404:
        return NotFoundError
    if status_code == 429:
        return RateLimitError
    if status_code >= 500:
        return ServerError
    if status_code in (400, 409, 422):
        return ValidationError
    return HTTPStatusError


__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ConnectError",
    "HTTPStatusError",
    "InvalidResponseError",
    "McpAuthError",
    "McpAuthTimeoutError",
    "McpConnectionError",
    "MissingAgentIdError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
    "XpanderIOError",
    "status_error_class",
]
