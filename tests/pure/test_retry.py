"""The retry policy as a pure function."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import (
    ErrorKind,
    InvalidInputError,
    Retry,
    RetryPolicy,
    Stop,
    decide_retry,
)
from xpander_pure._retry import is_answer

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=timezone.utc)
POLICY = RetryPolicy(max_attempts=4, base_delay=0.5, max_delay=8.0, retry_after_cap=60.0)


def decide(
    status: int | None = None,
    kind: ErrorKind | str | None = None,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
    jitter: float = 0.0,
    policy: RetryPolicy = POLICY,
) -> Retry | Stop:
    return decide_retry(policy, attempt, status, kind, headers or {}, jitter, NOW).unwrap()


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses_are_retried(status: int) -> None:
    assert isinstance(decide(status), Retry)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_other_client_errors_stop(status: int) -> None:
    assert isinstance(decide(status), Stop)


def test_success_status_stops() -> None:
    assert isinstance(decide(200), Stop)


@pytest.mark.parametrize(
    "kind",
    [
        ErrorKind.CONNECT,
        ErrorKind.CONNECT_TIMEOUT,
        ErrorKind.READ_TIMEOUT,
        ErrorKind.REMOTE_PROTOCOL,
        ErrorKind.READ_ERROR,
    ],
)
def test_connection_errors_are_retried(kind: ErrorKind) -> None:
    assert isinstance(decide(kind=kind), Retry)


def test_error_kind_accepted_as_its_string_value() -> None:
    assert isinstance(decide(kind="read_timeout"), Retry)


def test_other_error_kind_stops() -> None:
    assert isinstance(decide(kind=ErrorKind.OTHER), Stop)


def test_unknown_error_kind_is_a_typed_error() -> None:
    error = decide_retry(POLICY, 1, None, "gremlins", {}, 0.0, NOW).failure()
    assert error.field == "error_kind"


def test_neither_status_nor_error_kind_is_a_typed_error() -> None:
    assert isinstance(decide_retry(POLICY, 1, None, None, {}, 0.0, NOW), Failure)


def test_attempts_are_bounded() -> None:
    assert isinstance(decide(503, attempt=4), Stop)


def test_last_attempt_before_the_bound_is_retried() -> None:
    assert isinstance(decide(503, attempt=3), Retry)


def test_backoff_doubles_per_attempt() -> None:
    delays = [decide(503, attempt=n, policy=RetryPolicy(max_attempts=10)) for n in (1, 2, 3)]
    assert delays == [Retry(after=0.5), Retry(after=1.0), Retry(after=2.0)]


def test_backoff_is_capped_by_max_delay() -> None:
    assert decide(503, attempt=9, policy=RetryPolicy(max_attempts=20)) == Retry(after=8.0)


def test_jitter_shortens_the_wait_by_at_most_a_quarter() -> None:
    assert decide(503, jitter=0.5) == Retry(after=0.5 * (1 - 0.125))


def test_retry_after_seconds_is_honoured() -> None:
    assert decide(429, headers={"Retry-After": "7"}) == Retry(after=7.0)


def test_retry_after_header_name_is_case_insensitive() -> None:
    assert decide(429, headers={"retry-after": "7"}) == Retry(after=7.0)


def test_retry_after_ms_wins_over_retry_after() -> None:
    assert decide(429, headers={"retry-after-ms": "1500", "Retry-After": "7"}) == Retry(after=1.5)


def test_retry_after_http_date_is_relative_to_now() -> None:
    when = (NOW + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert decide(503, headers={"Retry-After": when}) == Retry(after=30.0)


def test_retry_after_date_in_the_past_means_now() -> None:
    assert decide(503, headers={"Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"}) == Retry(after=0)


def test_retry_after_beyond_the_cap_stops() -> None:
    decision = decide(429, headers={"Retry-After": "3600"})
    assert isinstance(decision, Stop)
    assert "3600" in decision.reason


def test_garbage_retry_after_falls_back_to_backoff() -> None:
    assert decide(503, headers={"Retry-After": "soon-ish"}) == Retry(after=0.5)


def test_jitter_outside_unit_interval_is_a_typed_error() -> None:
    assert decide_retry(POLICY, 1, 503, None, {}, 1.0, NOW).failure().field == "jitter"


def test_attempt_zero_is_a_typed_error() -> None:
    assert decide_retry(POLICY, 0, 503, None, {}, 0.0, NOW).failure().field == "attempt"


def test_negative_delay_in_policy_is_a_typed_error() -> None:
    policy = RetryPolicy(base_delay=-1)
    assert decide_retry(policy, 1, 503, None, {}, 0.0, NOW).failure().field == "base_delay"


@settings(max_examples=200)
@given(
    attempt=st.integers(min_value=1, max_value=10_000),
    status=st.integers(min_value=100, max_value=999),
    jitter=st.floats(min_value=0, max_value=1, exclude_max=True),
    headers=st.dictionaries(
        st.sampled_from(["Retry-After", "retry-after-ms", "x-other"]), st.text(max_size=40)
    ),
)
def test_every_retry_waits_between_zero_and_the_larger_bound(
    attempt: int, status: int, jitter: float, headers: dict[str, str]
) -> None:
    decision = decide(status, headers=headers, attempt=attempt, jitter=jitter)
    if isinstance(decision, Retry):
        assert 0 <= decision.after <= max(POLICY.max_delay, POLICY.retry_after_cap)
        assert attempt < POLICY.max_attempts


@settings(max_examples=200)
@given(
    attempt=st.integers(),
    status=st.none() | st.integers(),
    kind=st.none() | st.text(max_size=20) | st.sampled_from(list(ErrorKind)),
    headers=st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=4),
    jitter=st.floats(allow_nan=True, allow_infinity=True),
    delays=st.tuples(st.floats(), st.floats(), st.floats()),
    max_attempts=st.integers(),
)
def test_decide_retry_is_total(
    attempt: int,
    status: int | None,
    kind: str | None,
    headers: dict[str, str],
    jitter: float,
    delays: tuple[float, float, float],
    max_attempts: int,
) -> None:
    policy = RetryPolicy(
        max_attempts=max_attempts,
        base_delay=delays[0],
        max_delay=delays[1],
        retry_after_cap=delays[2],
    )
    result = decide_retry(policy, attempt, status, kind, headers, jitter, NOW)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), InvalidInputError)
    else:
        assert isinstance(result.unwrap(), Retry | Stop)


@given(st.integers(min_value=100, max_value=999))
def test_a_response_handed_back_as_the_answer_is_never_retried(status: int) -> None:
    # The shell returns such a response without asking decide_retry: the two must agree.
    if is_answer(status):
        assert isinstance(decide(status), Stop)


@given(st.integers(min_value=100, max_value=999))
def test_only_statuses_below_400_are_answers(status: int) -> None:
    assert is_answer(status) == (status < 400)
