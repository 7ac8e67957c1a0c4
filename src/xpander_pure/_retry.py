"""When to try an HTTP request again, as a pure function.

The shell makes the request, then asks ``decide_retry`` with what it saw (a
status or an error kind, the response headers), a jitter value it drew from
its own random source and the current time; it sleeps ``Retry.after`` seconds
and tries again, or gives up on ``Stop``. A loop::

    attempt = 1
    while True:
        response, kind = send()                      # kind is None when a response came
        if response is not None and is_answer(response.status_code):
            return response
        # jitter: a draw in [0, 1) from the shell's random source; now: its clock
        decision = decide_retry(policy, attempt, status, kind, headers,
                                jitter, now).unwrap()
        if isinstance(decision, Stop):
            raise ...
        sleep(decision.after)
        attempt += 1

Retried: 408, 409, 429 and every 5xx, and the connection errors of
``ErrorKind`` except ``OTHER``. Never any other 4xx. A server's
``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date) is obeyed when
it is at most ``retry_after_cap``; a server that asks for a longer wait gets a
``Stop`` (retrying sooner than asked would only be refused again). Without one,
the wait is ``min(max_delay, base_delay * 2 ** (attempt - 1))`` shortened by up
to a quarter by the jitter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from enum import Enum

import msgspec
from returns.result import Failure, Result, Success

from ._errors import InvalidInputError


class ErrorKind(str, Enum):
    """Why a request produced no response (the shell maps its exceptions to these)."""

    CONNECT = "connect"
    """The connection could not be opened (refused, DNS failure, reset)."""
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    WRITE_TIMEOUT = "write_timeout"
    POOL_TIMEOUT = "pool_timeout"
    READ_ERROR = "read_error"
    """The connection broke while reading the answer."""
    REMOTE_PROTOCOL = "remote_protocol"
    """The server closed the connection without an answer, or spoke nonsense."""
    OTHER = "other"
    """Anything else: never retried."""


RETRYABLE_STATUSES = frozenset({408, 409, 429})
"""4xx statuses that are retried; every 5xx is retried too.

409 is a conflict that may pass (e.g. a concurrent write). A conflict that
never passes is a 422: the local platform answers that for a task id reported
with another body or a task that has ended, so the client does not retry it.
"""


class RetryPolicy(msgspec.Struct, kw_only=True, frozen=True):
    """Bounds of the retry loop. ``max_attempts`` counts the first try too."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_after_cap: float = 60.0


class Retry(msgspec.Struct, kw_only=True, frozen=True):
    """Try again after ``after`` seconds."""

    after: float


class Stop(msgspec.Struct, kw_only=True, frozen=True):
    """Do not try again; ``reason`` says why."""

    reason: str


def _check_policy(policy: RetryPolicy) -> InvalidInputError | None:
    if policy.max_attempts < 1:
        return InvalidInputError("max_attempts", "must be >= 1")
    for field in ("base_delay", "max_delay", "retry_after_cap"):
        value = getattr(policy, field)
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            return InvalidInputError(field, "must be a finite number >= 0")
    return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name and isinstance(value, str):
            return value.strip()
    return None


def _seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# The three forms RFC 9110 section 5.6.7 makes recipients accept. Parsed by hand:
# ``strptime`` depends on the locale and ``email.utils`` imports ``socket``.
_IMF = re.compile(r"^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$")
_RFC850 = re.compile(r"^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$")
_ASCTIME = re.compile(r"^[a-z]{3} ([a-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$")


def parse_http_date(text: str) -> datetime | None:
    """An HTTP date (IMF-fixdate, RFC 850 or asctime form) as an aware UTC datetime.

    >>> parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")
    datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.timezone.utc)
    >>> parse_http_date("soon") is None
    True
    """
    lowered = " ".join(text.lower().split())
    if match := _IMF.match(lowered):
        day, month, year, hour, minute, second = match.groups()
    elif match := _RFC850.match(lowered):
        day, month, short_year, hour, minute, second = match.groups()
        # Two-digit years: 70-99 are 19xx, the rest 20xx (as the C library reads them).
        year = str(2000 + int(short_year) if int(short_year) < 70 else 1900 + int(short_year))
    elif match := _ASCTIME.match(lowered):
        month, day, hour, minute, second, year = match.groups()
    else:
        return None
    number = _MONTHS.get(month)
    if number is None:
        return None
    try:
        return datetime(
            int(year), number, int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc
        )
    except ValueError:
        return None


def server_delay(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds the server asked to wait, or ``None`` when it did not say (or said nonsense).

    ``retry-after-ms`` (milliseconds) wins over ``Retry-After`` (seconds or an
    HTTP date, counted from ``now``; a date in the past means 0).

    >>> server_delay({"Retry-After": "2"}, datetime(2025, 1, 1, tzinfo=timezone.utc))
    2.0
    >>> server_delay({"retry-after-ms": "250"}, datetime(2025, 1, 1, tzinfo=timezone.utc))
    0.25
    """
    ms = _header(headers, "retry-after-ms")
    if ms is not None:
        value = _seconds(ms)
        if value is not None:
            return value / 1000
    text = _header(headers, "retry-after")
    if text is None or not text:
        return None
    value = _seconds(text)
    if value is not None:
        return value
    when = parse_http_date(text)
    if when is None:
        return None
    reference = now if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)
    try:
        return max(0.0, (when - reference).total_seconds())
    except OverflowError:
        return None


def is_answer(status: int) -> bool:
    """Whether a response is the answer to hand back: any status below 400.

    Redirects are not followed, so a 3xx is handed back as it is.

    >>> is_answer(204), is_answer(302), is_answer(404)
    (True, True, False)
    """
    return status < 400


def is_retryable(status: int | None, error_kind: ErrorKind | None) -> bool:
    """Whether the outcome is one a new attempt may cure."""
    if status is not None:
        return status in RETRYABLE_STATUSES or 500 <= status <= 599
    return error_kind is not None and error_kind is not ErrorKind.OTHER


def backoff(policy: RetryPolicy, attempt: int, jitter: float) -> float:
    """The exponential wait after ``attempt`` (1-based), shortened by up to 25 % by ``jitter``."""
    exponent = min(attempt - 1, 64)
    return min(policy.max_delay, policy.base_delay * 2.0**exponent) * (1 - 0.25 * jitter)


def decide_retry(
    policy: RetryPolicy,
    attempt: int,
    status: int | None,
    error_kind: ErrorKind | str | None,
    headers: Mapping[str, str],
    jitter: float,
    now: datetime,
) -> Result[Retry | Stop, InvalidInputError]:
    """Retry after some seconds, or stop, after ``attempt`` (1-based) ended so.

    Give ``status`` when a response came (it wins over ``error_kind``), else
    ``error_kind``. ``jitter`` is a number in [0, 1) from the shell's random
    source; ``now`` is used only for a ``Retry-After`` HTTP date.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    >>> decide_retry(RetryPolicy(), 1, 503, None, {"Retry-After": "3"}, 0.0, now).unwrap()
    Retry(after=3.0)
    >>> decide_retry(RetryPolicy(), 1, 404, None, {}, 0.0, now).unwrap()
    Stop(reason='status 404 is not retried')
    """
    problem = _check_policy(policy)
    if problem is not None:
        return Failure(problem)
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        return Failure(InvalidInputError("attempt", "must be an int >= 1"))
    if not (isinstance(jitter, (int, float)) and 0 <= jitter < 1):
        return Failure(InvalidInputError("jitter", "must be a number in [0, 1)"))
    kind: ErrorKind | None = None
    if status is not None:
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 999:
            return Failure(InvalidInputError("status", "must be an HTTP status code"))
    elif error_kind is None:
        return Failure(InvalidInputError("status", "either status or error_kind is required"))
    else:
        try:
            kind = ErrorKind(error_kind)
        except ValueError:
            return Failure(InvalidInputError("error_kind", f"unknown error kind {error_kind!r}"))

    if status is not None and is_answer(status):
        return Success(Stop(reason=f"status {status} is not an error"))
    if not is_retryable(status, kind):
        what = f"status {status}" if status is not None else f"error {kind.value if kind else ''}"
        return Success(Stop(reason=f"{what} is not retried"))
    if attempt >= policy.max_attempts:
        return Success(Stop(reason=f"gave up after {attempt} attempts"))
    asked = server_delay(headers, now) if status is not None else None
    if asked is not None:
        if asked > policy.retry_after_cap:
            return Success(
                Stop(
                    reason=f"server asked to wait {asked:g} s, "
                    f"more than the cap of {policy.retry_after_cap:g} s"
                )
            )
        return Success(Retry(after=asked))
    return Success(Retry(after=backoff(policy, attempt, jitter)))
