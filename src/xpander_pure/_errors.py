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
        └── ReportValidationError            external task report rejected

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


class ReportValidationError(InvalidInputError):
    """An external task report field is invalid."""
