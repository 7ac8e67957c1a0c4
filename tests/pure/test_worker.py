"""Decisions of the task worker: stream events, admission, status, backoff."""

import math
from datetime import datetime, timezone

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from returns.result import Success

from xpander_pure import (
    DecodeError,
    InvalidInputError,
    Task,
    TaskInput,
    TaskStatus,
)
from xpander_pure._errors import WorkerStopError
from xpander_pure._sse import SseEvent
from xpander_pure._worker import (
    REFUSING_STATUSES,
    Admission,
    Conflict,
    Execute,
    Ignore,
    Raised,
    ReconnectPolicy,
    Registered,
    Returned,
    StreamResponse,
    TaskPatch,
    admit,
    apply_patch,
    capacity_change,
    check_concurrency,
    check_reconnect_policy,
    check_worker_organization,
    decide_stream_event,
    decide_stream_response,
    events_base,
    reconnect_delay,
    result_text,
    settle,
    start_patch,
)

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def make_task(**changes: object) -> Task:
    task = Task(id="t1", agent_id="a1", organization_id="o1", input=TaskInput(), created_at=NOW)
    return msgspec.structs.replace(task, **changes)


# --- stream events ---


def test_a_registration_event_yields_the_worker() -> None:
    event = SseEvent(event="worker-registration", data='{"id": "w1", "extra": 1}')
    action = decide_stream_event(event).unwrap()
    assert isinstance(action, Registered)
    assert action.worker.id == "w1"


def test_an_execution_event_yields_the_task() -> None:
    data = msgspec.json.encode(make_task()).decode()
    action = decide_stream_event(SseEvent(event="agent-execution", data=data)).unwrap()
    assert isinstance(action, Execute)
    assert action.task.id == "t1"


def test_an_execution_event_decodes_into_the_given_task_type() -> None:
    class MyTask(Task, kw_only=True):
        pass

    data = msgspec.json.encode(make_task()).decode()
    action = decide_stream_event(SseEvent(event="agent-execution", data=data), MyTask).unwrap()
    assert isinstance(action, Execute)
    assert type(action.task) is MyTask


def test_a_bad_task_is_a_decode_error_naming_the_event_and_field() -> None:
    error = decide_stream_event(SseEvent(event="agent-execution", data='{"id": 1}')).failure()
    assert isinstance(error, DecodeError)
    assert error.field == "agent-execution: $.id"


def test_an_environment_conflict_stops_with_its_error() -> None:
    event = SseEvent(event="worker-environment-conflict", data='{"error": "deployed in cloud"}')
    assert decide_stream_event(event).unwrap() == Conflict(error="deployed in cloud")


def test_unknown_events_are_ignored() -> None:
    assert decide_stream_event(SseEvent(event="ping", data="x")).unwrap() == Ignore(event="ping")


@given(st.text(), st.text())
def test_every_stream_event_has_a_decision_or_a_typed_error(name: str, data: str) -> None:
    result = decide_stream_event(SseEvent(event=name, data=data))
    assert result.value_or(None) is not None or isinstance(result.failure(), DecodeError)


# --- admission and capacity ---


def test_a_task_runs_when_a_slot_is_free() -> None:
    assert admit("t", accepted=set(), running=1, limit=2) is Admission.RUN


def test_a_task_waits_when_every_slot_is_taken() -> None:
    assert admit("t", accepted={"x", "y"}, running=2, limit=2) is Admission.WAIT


def test_a_redelivered_task_is_a_duplicate() -> None:
    assert admit("t", accepted={"t"}, running=0, limit=2) is Admission.DUPLICATE


@given(st.integers(0, 50), st.integers(1, 50))
def test_admission_never_exceeds_the_limit(running: int, limit: int) -> None:
    decision = admit("new", accepted=set(), running=running, limit=limit)
    assert (decision is Admission.RUN) == (running < limit)


@pytest.mark.parametrize("limit", [0, -1, True, 1.5])
def test_a_concurrency_limit_below_one_or_not_an_integer_is_refused(limit: object) -> None:
    error = check_concurrency(limit).failure()  # type: ignore[arg-type]
    assert isinstance(error, InvalidInputError)
    assert error.field == "concurrency"


def test_becoming_full_reports_busy_and_freeing_a_slot_reports_free() -> None:
    assert (capacity_change(1, 2, 2), capacity_change(2, 1, 2)) == (True, False)


def test_no_capacity_update_while_the_busy_state_holds() -> None:
    assert capacity_change(0, 1, 3) is None


# --- status around the handler ---


def test_the_task_is_marked_executing_before_the_handler() -> None:
    assert start_patch() == TaskPatch(status=TaskStatus.EXECUTING)


def test_a_returned_task_completes_with_its_result() -> None:
    task = make_task(result="done")
    assert settle(task, Returned(value=task)) == TaskPatch(
        status=TaskStatus.COMPLETED, result="done"
    )


def test_returning_none_completes_with_the_result_set_in_place() -> None:
    task = make_task()
    task.result = "set in place"
    assert settle(task, Returned()).result == "set in place"


def test_a_raising_handler_fails_the_task_with_the_error_message() -> None:
    patch = settle(make_task(), Raised(error_type="RuntimeError", message="boom"))
    assert patch == TaskPatch(status=TaskStatus.FAILED, result="boom")


def test_an_error_without_message_is_named_by_its_type() -> None:
    assert settle(make_task(), Raised(error_type="KeyError", message="")).result == "KeyError"


def test_a_dict_result_is_saved_as_json_text() -> None:
    task = make_task(output_format="json")
    task.result = {"answer": [1, 2]}  # type: ignore[assignment]
    assert settle(task, Returned(value=task)) == TaskPatch(
        status=TaskStatus.COMPLETED, result='{"answer":[1,2]}'
    )


def test_a_result_that_is_not_json_fails_the_task_saying_so() -> None:
    task = make_task()
    task.result = object()  # type: ignore[assignment]
    patch = settle(task, Returned(value=task))
    assert patch.status is TaskStatus.FAILED
    assert "cannot be saved as JSON" in (patch.result or "")


def test_returning_something_else_than_a_task_fails_the_task() -> None:
    patch = settle(make_task(), Returned(value=42))
    assert patch == TaskPatch(
        status=TaskStatus.FAILED, result="handler returned int; expected the task or None"
    )


def test_a_final_status_set_by_the_handler_is_kept() -> None:
    task = make_task(status=TaskStatus.STOPPED, result="user cancelled")
    assert settle(task, Returned(value=task)).status is TaskStatus.STOPPED


def test_a_running_status_left_by_the_handler_becomes_completed() -> None:
    task = make_task(status=TaskStatus.EXECUTING)
    assert settle(task, Returned(value=task)).status is TaskStatus.COMPLETED


@pytest.mark.parametrize("status", [TaskStatus.PAUSED, TaskStatus.ERROR, TaskStatus.FAILED])
def test_a_non_executing_status_set_by_the_handler_is_kept(status: TaskStatus) -> None:
    task = make_task(status=status, result="partial")
    assert settle(task, Returned(value=task)) == TaskPatch(status=status, result="partial")


def test_result_text_keeps_strings_as_they_are() -> None:
    assert result_text("plain").unwrap() == "plain"


# --- reconnecting ---


def test_reconnect_delays_grow_then_cap() -> None:
    policy = ReconnectPolicy(initial_delay=1, multiplier=2, max_delay=5)
    assert [reconnect_delay(policy, n).unwrap() for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]


def test_reconnecting_gives_up_after_max_attempts() -> None:
    policy = ReconnectPolicy(max_attempts=2)
    assert isinstance(reconnect_delay(policy, 3).failure(), WorkerStopError)


def test_without_max_attempts_reconnecting_never_gives_up() -> None:
    assert reconnect_delay(ReconnectPolicy(max_delay=3), 10_000).unwrap() == 3.0


@given(st.integers(1, 10_000))
def test_every_reconnect_delay_is_within_the_bounds(attempt: int) -> None:
    policy = ReconnectPolicy(initial_delay=0.1, multiplier=3, max_delay=7)
    assert 0.1 <= reconnect_delay(policy, attempt).unwrap() <= 7


def test_the_default_reconnect_policy_is_usable() -> None:
    assert check_reconnect_policy(ReconnectPolicy()).unwrap() == ReconnectPolicy()


def test_a_negative_delay_policy_is_refused_naming_the_field() -> None:
    error = check_reconnect_policy(ReconnectPolicy(initial_delay=-1)).failure()
    assert (type(error), error.field) == (InvalidInputError, "initial_delay")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_a_max_delay_that_is_not_finite_is_refused(value: float) -> None:
    assert check_reconnect_policy(ReconnectPolicy(max_delay=value)).failure().field == "max_delay"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0.5])
def test_a_multiplier_below_one_or_not_finite_is_refused(value: float) -> None:
    policy = ReconnectPolicy(multiplier=value)
    assert check_reconnect_policy(policy).failure().field == "multiplier"


@pytest.mark.parametrize("value", [0, True])
def test_max_attempts_must_be_a_positive_integer(value: int) -> None:
    policy = ReconnectPolicy(max_attempts=value)
    assert check_reconnect_policy(policy).failure().field == "max_attempts"


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "multiplier"])
def test_a_policy_number_too_large_for_a_float_is_refused_naming_the_field(field: str) -> None:
    policy = ReconnectPolicy(**{field: 10**400})
    error = check_reconnect_policy(policy).failure()
    assert (type(error), error.field) == (InvalidInputError, field)


@given(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers()),
    st.integers(1, 10_000),
)
def test_every_checked_policy_gives_a_finite_delay(
    initial: float, multiplier: float, cap: float, attempt: int
) -> None:
    policy = ReconnectPolicy(initial_delay=initial, multiplier=multiplier, max_delay=cap)
    if isinstance(check_reconnect_policy(policy), Success):
        assert math.isfinite(reconnect_delay(policy, attempt).unwrap())


# --- where the stream is ---


def test_the_stream_of_a_local_platform_is_under_its_base_and_organisation() -> None:
    assert events_base("http://127.0.0.1:9016/", "org 1") == "http://127.0.0.1:9016/org%201/events"


@pytest.mark.parametrize(
    ("base", "host"),
    [
        ("https://inbound.xpander.ai", "https://agent-controller.xpander.ai"),
        ("https://inbound.stg.xpander.ai", "https://agent-controller.stg.xpander.ai"),
    ],
)
def test_the_hosted_inbound_hosts_stream_from_their_agent_controller(base: str, host: str) -> None:
    assert events_base(base, "o1") == f"{host}/o1/events"


# --- opening the stream ---


@given(st.integers(min_value=200, max_value=299))
def test_a_stream_answered_2xx_is_read(status: int) -> None:
    assert decide_stream_response(status).unwrap() is StreamResponse.READ


@given(st.integers(min_value=300, max_value=399))
def test_a_redirected_stream_stops_the_worker_naming_the_status(status: int) -> None:
    error = decide_stream_response(status).failure()
    assert isinstance(error, WorkerStopError)
    assert str(status) in error.reason


@given(st.integers(min_value=100, max_value=199))
def test_an_informational_stream_status_reconnects(status: int) -> None:
    assert decide_stream_response(status).unwrap() is StreamResponse.RECONNECT


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_a_refused_stream_stops_the_worker_naming_the_status(status: int) -> None:
    error = decide_stream_response(status).failure()
    assert isinstance(error, WorkerStopError)
    assert str(status) in error.reason


@given(st.integers(min_value=400, max_value=599).filter(lambda s: s not in REFUSING_STATUSES))
def test_any_other_error_status_reconnects(status: int) -> None:
    assert decide_stream_response(status).unwrap() is StreamResponse.RECONNECT


def test_a_worker_without_organisation_is_refused() -> None:
    assert check_worker_organization(None).failure().field == "organization_id"


def test_a_worker_organisation_is_kept() -> None:
    assert check_worker_organization("o1").unwrap() == "o1"


# --- applying a patch ---


def test_marking_executing_keeps_the_result_the_task_carries() -> None:
    saved = apply_patch(make_task(result="earlier"), start_patch())
    assert (saved.status, saved.result) == (TaskStatus.EXECUTING, "earlier")


@given(st.sampled_from([s for s in TaskStatus if s is not TaskStatus.EXECUTING]), st.text())
def test_any_other_patch_saves_its_result(status: TaskStatus, result: str) -> None:
    saved = apply_patch(make_task(result="earlier"), TaskPatch(status=status, result=result))
    assert (saved.status, saved.result) == (status, result)


def test_applying_a_patch_keeps_what_the_handler_set() -> None:
    task = make_task(used_tools=["search"])
    patch = TaskPatch(status=TaskStatus.COMPLETED, result="ok")
    assert apply_patch(task, patch).used_tools == ["search"]


def test_applying_a_patch_keeps_the_task_type() -> None:
    class Mine(Task, kw_only=True):
        pass

    task = Mine(id="t1", agent_id="a1", organization_id="o1", input=TaskInput(), created_at=NOW)
    assert type(apply_patch(task, start_patch())) is Mine
