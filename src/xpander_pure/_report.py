"""The external task report: validated, and shaped exactly as the platform's wire.

``POST /agent-execution/{agent_id}/report_task`` takes a body whose every key
is always present (wire contract, section 5)::

    {"id": str | null, "input": str | null, "llm_response": any,
     "tokens": {...} | null, "is_success": bool, "result": str | null,
     "duration": number, "used_tools": [str]}

``build_report`` checks the values and returns the ``ExternalTaskReport``
to encode with ``to_wire``; it never raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import msgspec
from returns.result import Failure, Result, Success

from ._codec import decode
from ._errors import ReportValidationError
from ._task import Tokens


class ExternalTaskReport(msgspec.Struct, kw_only=True, frozen=True):
    """The body of a ``report_task`` request; every key is encoded, even when null."""

    id: str | None
    input: str | None
    llm_response: Any
    tokens: Tokens | None
    is_success: bool
    result: str | None
    duration: float
    used_tools: list[str]


_COUNTS = ("completion_tokens", "prompt_tokens", "cache_read_tokens", "cache_write_tokens")


def _optional_text(field: str, value: object) -> ReportValidationError | None:
    if value is None or isinstance(value, str):
        return None
    return ReportValidationError(field, f"must be a string or null, got {type(value).__name__}")


def _tokens(value: object) -> Result[Tokens | None, ReportValidationError]:
    if value is None:
        return Success(None)
    if isinstance(value, Tokens):
        tokens = value
    elif isinstance(value, Mapping):
        try:
            decoded = decode(Tokens, dict(value))
        except (TypeError, ValueError, RecursionError):
            return Failure(ReportValidationError("tokens", "must be a mapping of token counts"))
        if isinstance(decoded, Failure):
            error = decoded.failure()
            field = (
                error.field.replace("$", "tokens", 1)
                if error.field.startswith("$")
                else error.field
            )
            return Failure(ReportValidationError(field, error.reason))
        tokens = decoded.unwrap()
    else:
        return Failure(
            ReportValidationError(
                "tokens", f"must be Tokens, a mapping or null, got {type(value).__name__}"
            )
        )
    # Tokens(...) does not check its constraints when built directly: check them here.
    for name in (*_COUNTS, "total_tokens"):
        count = getattr(tokens, name)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            return Failure(ReportValidationError(f"tokens.{name}", "must be an int >= 0"))
    return Success(tokens)


def _used_tools(value: object) -> Result[list[str], ReportValidationError]:
    if value is None:
        return Success([])
    if not isinstance(value, (list, tuple)):
        return Failure(
            ReportValidationError(
                "used_tools", f"must be a list of strings, got {type(value).__name__}"
            )
        )
    for index, name in enumerate(value):
        if not isinstance(name, str):
            return Failure(
                ReportValidationError(
                    f"used_tools[{index}]", f"must be a string, got {type(name).__name__}"
                )
            )
    return Success(list(value))


def _llm_response(value: object) -> Result[Any, ReportValidationError]:
    try:
        plain = msgspec.to_builtins(value)
        msgspec.json.encode(plain)
    except (TypeError, ValueError, OverflowError, msgspec.EncodeError) as exc:
        # The type name only: the value itself may hold anything.
        return Failure(
            ReportValidationError("llm_response", f"not JSON-encodable ({type(exc).__name__})")
        )
    except RecursionError:
        return Failure(ReportValidationError("llm_response", "nested too deeply"))
    return Success(plain)


def build_report(
    *,
    id: str | None = None,
    input: str | None = None,
    llm_response: Any = None,
    tokens: Tokens | Mapping[str, Any] | None = None,
    is_success: bool = True,
    result: str | None = None,
    duration: float = 0,
    used_tools: list[str] | tuple[str, ...] | None = None,
) -> Result[ExternalTaskReport, ReportValidationError]:
    """Validate the report's values; the error names the first bad field.

    ``id`` is non-empty when given; ``duration`` is a finite number >= 0;
    token counts are ints >= 0 (``Tokens`` or a mapping); ``used_tools`` is a
    list of strings; ``llm_response`` is anything JSON can carry (stored as
    built-in values).

    >>> build_report(id="t1", duration=2.5, used_tools=["search"]).unwrap().used_tools
    ['search']
    >>> build_report(duration=-1).failure().field
    'duration'
    """
    if id is not None and (not isinstance(id, str) or not id.strip()):
        return Failure(ReportValidationError("id", "must be a non-empty string when given"))
    for field, value in (("input", input), ("result", result)):
        problem = _optional_text(field, value)
        if problem is not None:
            return Failure(problem)
    if not isinstance(is_success, bool):
        return Failure(ReportValidationError("is_success", "must be a bool"))
    if (
        isinstance(duration, bool)
        or not isinstance(duration, (int, float))
        or not math.isfinite(duration)
        or duration < 0
    ):
        return Failure(ReportValidationError("duration", "must be a finite number >= 0"))
    checked_tokens = _tokens(tokens)
    if isinstance(checked_tokens, Failure):
        return Failure(checked_tokens.failure())
    tools = _used_tools(used_tools)
    if isinstance(tools, Failure):
        return Failure(tools.failure())
    response = _llm_response(llm_response)
    if isinstance(response, Failure):
        return Failure(response.failure())
    return Success(
        ExternalTaskReport(
            id=id,
            input=input,
            llm_response=response.unwrap(),
            tokens=checked_tokens.unwrap(),
            is_success=is_success,
            result=result,
            duration=float(duration),
            used_tools=tools.unwrap(),
        )
    )


REPORT_ARGUMENTS = (
    "agent_id",
    "agent",
    "id",
    "input",
    "llm_response",
    "tokens",
    "is_success",
    "result",
    "duration",
    "used_tools",
)
"""The keyword arguments of ``Backend.report_external_task``: what a batch report may hold."""


def check_report_arguments(report: object) -> Result[dict[str, Any], ReportValidationError]:
    """One report of a batch: a mapping of ``REPORT_ARGUMENTS`` names, or the first bad key.

    >>> check_report_arguments({"id": "t1", "result": "ok"}).unwrap()
    {'id': 't1', 'result': 'ok'}
    >>> check_report_arguments({"reslt": "ok"}).failure().field
    'reslt'
    """
    if not isinstance(report, Mapping):
        return Failure(
            ReportValidationError("$", f"a report must be a mapping, got {type(report).__name__}")
        )
    for key in report:
        if key not in REPORT_ARGUMENTS:
            field = key if isinstance(key, str) else repr(key)
            return Failure(ReportValidationError(field[:50], "not a report argument"))
    return Success(dict(report))


__all__ = ["REPORT_ARGUMENTS", "ExternalTaskReport", "build_report", "check_report_arguments"]
