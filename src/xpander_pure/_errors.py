"""Typed errors returned (inside ``Failure``) by the core.

The core never raises for bad input: it returns ``Failure(error)`` where
``error`` is one of the classes below. They are exceptions so that the shell
can raise them as they are, and so that ``except ValueError`` catches every
input problem::

    XpanderError
    └── InvalidInputError (ValueError)      field + reason
        ├── DecodeError                      msgspec's ``$.path`` message
        ├── UnknownProviderError             model provider not in the table
        ├── UnsupportedFrameworkError        framework value with no planner
        │                                    (or a framework/provider pair it cannot reach)
        ├── UnsupportedSchemaError           output schema a framework cannot take
        ├── ReportValidationError            external task report rejected
        ├── UnsafeEndpointError              llm_api_base at a metadata/private address
        ├── InvalidTransitionError           task status change not allowed
        └── ConflictError                    clashes with what is stored (same id, other body)
    ├── McpAuthError                         MCP OAuth login refused (server + message)
    │   └── McpAuthTimeoutError              the user did not log in in time
    ├── UnknownResourceError                 no such resource for this organisation
    └── WorkerStopError                      the task worker cannot go on (conflict, unreachable)

No message built here ever includes a secret value: callers pass field names
and reasons, never the offending value of a secret field.
"""

from __future__ import annotations


class XpanderError(Exception):
    """Root of every error this library produces."""


class InvalidInputError(XpanderError, ValueError):
    """Input was rejected; ``field`` names where, ``reason`` says why.

    >>> str(InvalidInputError("duration", "must be >= 0"))
    'duration: must be >= 0'
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, InvalidInputError)
            and (other.field, other.reason) == (self.field, self.reason)
        )

    def __hash__(self) -> int:
        return hash((type(self), self.field, self.reason))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.field, self.reason))


class DecodeError(InvalidInputError):
    """A wire payload could not be decoded; ``field`` is msgspec's ``$.path``."""


class UnknownProviderError(InvalidInputError):
    """The agent's ``model_provider`` is not one this library knows."""

    def __init__(self, provider: str) -> None:
        super().__init__("model_provider", f"unknown provider {provider!r}")
        self.provider = provider

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.provider,))


class UnsupportedFrameworkError(InvalidInputError):
    """No planner exists for the framework (or for the framework/provider pair)."""


class UnsupportedSchemaError(InvalidInputError):
    """An output JSON schema uses something the framework cannot express (``field`` is its path)."""


class ReportValidationError(InvalidInputError):
    """An external task report field is invalid."""


class UnsafeEndpointError(InvalidInputError):
    """The model endpoint (``llm_api_base``) points where no LLM call may go.

    The message names the host, never the whole URL (it may carry credentials).
    """


class McpAuthError(XpanderError):
    """The MCP OAuth login for ``server`` failed; ``message`` is the server's reason."""

    def __init__(self, server: str, message: str) -> None:
        super().__init__(f"MCP server {server!r}: {message}")
        self.server = server
        self.message = message

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, McpAuthError)
            and (other.server, other.message) == (self.server, self.message)
        )

    def __hash__(self) -> int:
        return hash((type(self), self.server, self.message))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.server, self.message))


class McpAuthTimeoutError(McpAuthError):
    """Nobody completed the MCP OAuth login within the allowed time."""

    def __init__(self, server: str, seconds: float) -> None:
        super().__init__(server, f"login not completed within {seconds:g} s")
        self.seconds = seconds

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.server, self.seconds))


class InvalidTransitionError(InvalidInputError):
    """A task cannot move from its current status to the requested one."""


class UnknownResourceError(XpanderError):
    """No such resource, or it belongs to another organisation (never told apart).

    A decision of the local platform's rules (answered as HTTP 404); the
    client's error for a 404 answer is ``xpander_io.NotFoundError``.

    >>> str(UnknownResourceError("agent", "a-1"))
    "agent 'a-1' not found"
    """

    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"{kind} {identifier!r} not found")
        self.kind = kind
        self.identifier = identifier

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.kind, self.identifier))


class ConflictError(InvalidInputError):
    """The request clashes with what is stored, for good: ``field`` names what clashes.

    E.g. a task id reported with another body, or a task that has ended. Such
    a conflict never goes away, so the local platform answers it with 422 (a
    client does not retry that). 409 is reserved for conflicts that may pass;
    the local platform answers none.

    >>> str(ConflictError("id", "already reported with a different body"))
    'id: already reported with a different body'
    """


class WorkerStopError(XpanderError):
    """The task worker stops: the platform refused it here, or its stream stayed unreachable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.reason,))
