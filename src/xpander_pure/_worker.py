"""Decisions of the task worker (``@on_task``), free of I/O.

The shell reads the platform's task stream, and for every decision calls one
function here:

- ``decide_stream_event``: what a stream event means (a registration, a task
  to run, an environment conflict that stops the worker, or nothing);
- ``admit``: whether a delivered task may start now, must wait for a free
  slot, or is a duplicate of one already accepted (a stream that dropped and
  reconnected re-delivers the tasks that were still pending);
- ``start_patch`` and ``settle``: what to save before and after the handler
  (``executing``; then ``completed`` with the result, unless the handler set
  another status itself, or ``failed`` with the error message);
- ``check_worker_organization``: a worker needs the organisation id;
- ``decide_stream_response``: whether the stream's HTTP status lets the
  worker read it (2xx), stops it (the platform refused or redirected it), or
  calls for a reconnect;
- ``apply_patch``: the task as saved once a patch is applied;
- ``check_reconnect_policy`` and ``reconnect_delay``: whether a backoff policy
  is usable, and how long to wait before reconnecting a dropped stream;
- ``capacity_change``: whether the worker just became busy or free.

The platform's side of the worker messages is
``xpander_pure.platform.apply_worker_message``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Collection
from datetime import datetime
from typing import Any, TypeVar

import msgspec
from returns.result import Failure, Result, Success

from ._addressing import path_segment
from ._codec import decode
from ._enums import TaskStatus
from ._errors import DecodeError, InvalidInputError, WorkerStopError
from ._sse import SseEvent
from ._task import Task

WORKER_REGISTRATION = "worker-registration"
AGENT_EXECUTION = "agent-execution"
WORKER_ENVIRONMENT_CONFLICT = "worker-environment-conflict"

WORKER_HEARTBEAT = "worker-heartbeat"
WORKER_CAPACITY_UPDATE = "worker-capacity-update"
WORKER_FINISHED = "worker-finished"

T = TypeVar("T", bound="Task")


class WorkerRecord(msgspec.Struct, kw_only=True, frozen=True):
    """The worker as the platform registered it (``worker-registration`` data)."""

    id: str
    name: str | None = None
    organization_id: str | None = None
    type: str = "worker"
    created_at: datetime | None = None
    created_by: str | None = None
    last_heartbeat: datetime | None = None
    configuration: dict[str, Any] | None = None
    dedicated_agent_id: str | None = None
    parent_asset_id: str | None = None
    is_busy: bool = False
    metadata: dict[str, Any] | None = None


class WorkerMessage(msgspec.Struct, kw_only=True, frozen=True):
    """What a worker posts to ``{events_base}/{worker_id}?type=worker&agent_id=...``."""

    id: str
    event: str
    data: Any = None


def events_base(base_url: str, organization_id: str) -> str:
    """Where the task stream lives: ``{base}/{organization_id}/events``.

    The hosted inbound hosts serve no stream; their agent-controller host does
    (as the official client does).

    >>> events_base("https://inbound.xpander.ai", "o1")
    'https://agent-controller.xpander.ai/o1/events'
    >>> events_base("http://127.0.0.1:8080/", "o1")
    'http://127.0.0.1:8080/o1/events'
    """
    base = base_url.rstrip("/")
    if "inbound.xpander" in base or "inbound.stg.xpander" in base:
        staging = ".stg" if "stg.xpander" in base else ""
        base = f"https://agent-controller{staging}.xpander.ai"
    return f"{base}/{path_segment(organization_id)}/events"


def check_worker_organization(organization_id: str | None) -> Result[str, InvalidInputError]:
    """The organisation a worker serves: it must be known (the stream's URL names it).

    >>> check_worker_organization("").failure().field
    'organization_id'
    """
    if not organization_id:
        return Failure(InvalidInputError("organization_id", "the worker needs the organisation id"))
    return Success(organization_id)


# --- opening the stream -------------------------------------------------------------------


class StreamResponse(str, enum.Enum):
    """What to do with the answer to ``GET {events_base}/{agent_id}``."""

    READ = "read"
    """The stream is open: read its events."""
    RECONNECT = "reconnect"
    """A failure that may pass (5xx, 429, a 1xx, ...): reconnect after the backoff."""


REFUSING_STATUSES = frozenset({401, 403, 404, 422})
"""Stream statuses that stop the worker: a new connection would be refused again."""


def decide_stream_response(status: int) -> Result[StreamResponse, WorkerStopError]:
    """Read the stream (2xx), stop the worker (a 3xx; 401, 403, 404, 422), or reconnect.

    Only a 2xx is an event stream. Redirects are not followed (the API key
    must not travel to another host), and reconnecting to the same URL would
    be redirected again, so a 3xx stops the worker, pointing at the base URL.

    >>> decide_stream_response(200).unwrap()
    <StreamResponse.READ: 'read'>
    >>> decide_stream_response(503).unwrap()
    <StreamResponse.RECONNECT: 'reconnect'>
    >>> decide_stream_response(401).failure().reason
    'the platform refused the task stream (401)'
    >>> decide_stream_response(302).failure().reason
    'the task stream was redirected (302); redirects are not followed: check the base URL'
    """
    if 200 <= status < 300:
        return Success(StreamResponse.READ)
    if 300 <= status < 400:
        return Failure(
            WorkerStopError(
                f"the task stream was redirected ({status}); "
                "redirects are not followed: check the base URL"
            )
        )
    if status in REFUSING_STATUSES:
        return Failure(WorkerStopError(f"the platform refused the task stream ({status})"))
    return Success(StreamResponse.RECONNECT)


# --- stream events ------------------------------------------------------------------------


class Registered(msgspec.Struct, kw_only=True, frozen=True):
    """The platform registered this connection as ``worker``."""

    worker: WorkerRecord


class Execute(msgspec.Struct, kw_only=True, frozen=True):
    """Run ``task``."""

    task: Task


class Conflict(msgspec.Struct, kw_only=True, frozen=True):
    """The platform refuses this worker here; the worker stops with ``error``."""

    error: str


class Ignore(msgspec.Struct, kw_only=True, frozen=True):
    """An event the worker has no use for (kept for logging)."""

    event: str


StreamAction = Registered | Execute | Conflict | Ignore


def decide_stream_event(
    event: SseEvent, task_type: type[Task] = Task
) -> Result[StreamAction, DecodeError]:
    """What to do with one stream event; bad data is a ``DecodeError`` naming the event.

    ``task_type`` lets the shell decode tasks into its own ``Task`` subclass.

    >>> decide_stream_event(SseEvent(event="ping")).unwrap()
    Ignore(event='ping')
    >>> decide_stream_event(SseEvent(event="agent-execution", data="{}")).failure().field
    'agent-execution: $'
    """
    if event.event == WORKER_REGISTRATION:
        return (
            decode(WorkerRecord, event.data)
            .map(lambda worker: Registered(worker=worker))
            .alt(lambda error: _named(event.event, error))
        )
    if event.event == AGENT_EXECUTION:
        return (
            decode(task_type, event.data)
            .map(lambda task: Execute(task=task))
            .alt(lambda error: _named(event.event, error))
        )
    if event.event == WORKER_ENVIRONMENT_CONFLICT:
        return (
            decode(dict[str, Any], event.data or "{}")
            .map(lambda data: Conflict(error=str(data.get("error") or "environment conflict")))
            .alt(lambda error: _named(event.event, error))
        )
    return Success(Ignore(event=event.event))


def _named(event: str, error: DecodeError) -> DecodeError:
    return DecodeError(f"{event}: {error.field}", error.reason)


# --- admission ----------------------------------------------------------------------------


class Admission(str, enum.Enum):
    """Whether a delivered task may start."""

    RUN = "run"
    WAIT = "wait"
    DUPLICATE = "duplicate"


def admit(task_id: str, *, accepted: Collection[str], running: int, limit: int) -> Admission:
    """``RUN`` when a slot is free, ``WAIT`` when all ``limit`` slots are taken,
    ``DUPLICATE`` when the task is already accepted (a re-delivery after a reconnect).

    >>> admit("t1", accepted={"t1"}, running=0, limit=2)
    <Admission.DUPLICATE: 'duplicate'>
    >>> admit("t2", accepted={"t1"}, running=2, limit=2)
    <Admission.WAIT: 'wait'>
    """
    if task_id in accepted:
        return Admission.DUPLICATE
    if running >= limit:
        return Admission.WAIT
    return Admission.RUN


def check_concurrency(limit: int) -> Result[int, InvalidInputError]:
    """A concurrency limit must be a positive integer.

    >>> check_concurrency(0).failure().reason
    'must be at least 1, got 0'
    """
    if isinstance(limit, bool) or not isinstance(limit, int):
        return Failure(InvalidInputError("concurrency", "must be an integer"))
    if limit < 1:
        return Failure(InvalidInputError("concurrency", f"must be at least 1, got {limit}"))
    return Success(limit)


def capacity_change(running_before: int, running_after: int, limit: int) -> bool | None:
    """The new ``is_busy`` when it changed between the two counts, else ``None``.

    >>> capacity_change(1, 2, 2)
    True
    >>> capacity_change(2, 1, 2)
    False
    >>> capacity_change(0, 1, 2) is None
    True
    """
    before, after = running_before >= limit, running_after >= limit
    return after if before != after else None


# --- task status around the handler -------------------------------------------------------


class TaskPatch(msgspec.Struct, kw_only=True, frozen=True):
    """The fields the worker saves with ``PATCH /agent-execution/{task_id}/update``."""

    status: TaskStatus
    result: str | None = None


class Returned(msgspec.Struct, kw_only=True, frozen=True):
    """The handler returned ``value`` (the task, usually; ``None`` means "the task I got")."""

    value: Any = None


class Raised(msgspec.Struct, kw_only=True, frozen=True):
    """The handler raised ``error_type`` with ``message``."""

    error_type: str
    message: str


HandlerOutcome = Returned | Raised


def start_patch() -> TaskPatch:
    """Saved before the handler runs, so the platform knows the task is taken."""
    return TaskPatch(status=TaskStatus.EXECUTING)


def settle(task: Task, outcome: HandlerOutcome) -> TaskPatch:
    """What to save once the handler is done. Total: every outcome has an answer.

    - it raised: ``failed``, the result is the error message (the type name if empty).
      (The official worker saves ``error`` here; this library says ``failed``.)
    - it returned a task (or ``None``: the task it was given, changed in place):
      that task's result with ``completed`` when its status is still
      ``executing``, as the official worker decides; a status the handler set
      (``paused``, ``error``, ``failed``, ...) is kept. ``pending`` counts as
      unset: a task cannot go back to it once taken. A ``dict``/``list`` (or
      any JSON value) result is saved as a JSON string, which is what a
      JSON-format agent's caller reads back;
    - it returned anything else, or a result that cannot be JSON: ``failed``
      saying so.
    """
    if isinstance(outcome, Raised):
        message = outcome.message.strip() or outcome.error_type
        return TaskPatch(status=TaskStatus.FAILED, result=message)
    value = task if outcome.value is None else outcome.value
    if not isinstance(value, Task):
        return TaskPatch(
            status=TaskStatus.FAILED,
            result=f"handler returned {type(value).__name__}; expected the task or None",
        )
    status = (
        TaskStatus.COMPLETED
        if value.status in (TaskStatus.EXECUTING, TaskStatus.PENDING)
        else value.status
    )
    return (
        result_text(value.result)
        .map(lambda text: TaskPatch(status=status, result=text))
        .value_or(
            TaskPatch(
                status=TaskStatus.FAILED,
                result=f"task.result of type {type(value.result).__name__} cannot be saved as JSON",
            )
        )
    )


def apply_patch(task: T, patch: TaskPatch) -> T:
    """``task`` as saved with ``patch``: its status, and its result once the task is past
    ``executing`` (marking it executing keeps whatever result it carries). Everything
    else the handler set (tokens, used tools, ...) is kept.

    >>> from datetime import datetime, timezone
    >>> from xpander_pure import TaskInput
    >>> task = Task(id="t", agent_id="a", organization_id="o", input=TaskInput(),
    ...             created_at=datetime(2025, 1, 1, tzinfo=timezone.utc), result="draft")
    >>> apply_patch(task, start_patch()).result
    'draft'
    >>> apply_patch(task, TaskPatch(status=TaskStatus.COMPLETED, result="done")).result
    'done'
    """
    if patch.status is TaskStatus.EXECUTING:
        return msgspec.structs.replace(task, status=patch.status)
    return msgspec.structs.replace(task, status=patch.status, result=patch.result)


def result_text(result: object) -> Result[str | None, InvalidInputError]:
    """A result as the platform stores it: text as it is, anything else as JSON text.

    >>> result_text({"answer": 42}).unwrap()
    '{"answer":42}'
    >>> result_text(object()).failure().field
    'result'
    """
    if result is None or isinstance(result, str):
        return Success(result)
    try:
        return Success(msgspec.json.encode(result).decode())
    except (TypeError, ValueError, OverflowError):
        return Failure(InvalidInputError("result", f"{type(result).__name__} is not JSON"))


# --- reconnecting -------------------------------------------------------------------------


class ReconnectPolicy(msgspec.Struct, kw_only=True, frozen=True):
    """Exponential backoff for reconnecting the task stream.

    ``max_attempts`` counts consecutive failed connections; ``None`` keeps
    trying for ever (a worker should outlive a platform restart). A connection
    that got as far as a registration resets the count. Building one checks
    nothing: ``check_reconnect_policy`` says whether it is usable.
    """

    initial_delay: float = 0.5
    multiplier: float = 2.0
    max_delay: float = 10.0
    max_attempts: int | None = None


def _finite_number(value: object) -> bool:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float (10**400) is no usable delay
        return False


def check_reconnect_policy(policy: ReconnectPolicy) -> Result[ReconnectPolicy, InvalidInputError]:
    """``policy`` if usable: finite delays ``>= 0``, a finite ``multiplier >= 1``,
    ``max_attempts`` at least 1 or ``None``; else the first bad field and why.

    >>> check_reconnect_policy(ReconnectPolicy(initial_delay=float("nan"))).failure().field
    'initial_delay'
    >>> check_reconnect_policy(ReconnectPolicy(multiplier=0.5)).failure().reason
    'must be a finite number >= 1'
    """
    for name in ("initial_delay", "max_delay"):
        value = getattr(policy, name)
        if not _finite_number(value) or value < 0:
            return Failure(InvalidInputError(name, "must be a finite number >= 0"))
    if not _finite_number(policy.multiplier) or policy.multiplier < 1:
        return Failure(InvalidInputError("multiplier", "must be a finite number >= 1"))
    attempts = policy.max_attempts
    if attempts is not None and (
        isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
    ):
        return Failure(InvalidInputError("max_attempts", "must be an integer >= 1 or None"))
    return Success(policy)


def reconnect_delay(policy: ReconnectPolicy, attempt: int) -> Result[float, WorkerStopError]:
    """Seconds to wait before reconnect number ``attempt`` (1 = first after a drop).

    >>> policy = ReconnectPolicy(initial_delay=1, multiplier=2, max_delay=3, max_attempts=4)
    >>> [reconnect_delay(policy, n).value_or(None) for n in range(1, 6)]
    [1.0, 2.0, 3.0, 3.0, None]
    """
    if policy.max_attempts is not None and attempt > policy.max_attempts:
        return Failure(
            WorkerStopError(f"task stream unreachable after {policy.max_attempts} attempts")
        )
    delay = float(min(policy.initial_delay, policy.max_delay))
    # Step by step, capped at each step: ``multiplier ** n`` could overflow (an error
    # for floats), a capped product cannot.
    for _ in range(min(max(attempt, 1) - 1, 64)):
        delay = min(delay * policy.multiplier, policy.max_delay)
    return Success(float(delay))
