"""The task worker: ``@on_task`` handlers fed by the platform's task stream.

>>> @on_task
... async def handle(task):
...     task.result = f"echo: {task.to_message()}"
...     return task

``run_worker(handle)`` (or ``xpander-backend worker MODULE``) then connects to
``GET {events_base}/{agent_id}?environment=local`` and, for each task the
platform sends: marks it ``executing``, runs the handler (async ones on the
loop, sync ones in a thread pool; at most ``concurrency`` at once), and saves
it ``completed`` with its result (unless the handler set another status, e.g.
``paused``) or ``failed`` with the error message (the API key masked). A
dropped stream is reconnected with backoff; the platform re-sends the tasks
that were still pending. SIGINT/SIGTERM stop the worker gracefully: the
stream is closed, the tasks in flight finish and are saved (a second signal
cancels them). Every decision is the core's (``xpander_pure._worker``).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import signal
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import msgspec
from returns.result import Failure

from xpander_pure import Task, to_wire
from xpander_pure._addressing import path_segment
from xpander_pure._errors import WorkerStopError
from xpander_pure._redact import redact_text
from xpander_pure._sse import SseDecoder
from xpander_pure._worker import (
    WORKER_CAPACITY_UPDATE,
    WORKER_FINISHED,
    WORKER_HEARTBEAT,
    Admission,
    Conflict,
    Execute,
    HandlerOutcome,
    Raised,
    ReconnectPolicy,
    Registered,
    Returned,
    StreamResponse,
    TaskPatch,
    WorkerMessage,
    WorkerRecord,
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
    settle,
    start_patch,
)

from ._handlers import is_async_callable
from ._http import USER_AGENT, ApiRequest, AsyncDriver

if TYPE_CHECKING:
    from ._config import Configuration

logger = logging.getLogger("xpander_io.worker")

F = TypeVar("F", bound=Callable[..., Any])


class WorkerTask(Task, kw_only=True, dict=True):
    """The task a handler receives: a ``Task`` plus the worker's ``configuration``.

    ``configuration`` is not a wire field: saving or encoding the task never
    includes it.
    """

    @property
    def configuration(self) -> Configuration:
        """The configuration the worker runs with: ``Backend(task.configuration)`` works.

        It is this task's copy: Backends made from it have their connection
        pools closed when the task ends (one used later opens new pools).
        """
        configuration: Configuration = self.__dict__["_configuration"]
        return configuration

    def _attach(self, configuration: Configuration) -> WorkerTask:
        self.__dict__["_configuration"] = configuration
        return self


TaskHandler = Callable[[WorkerTask], Any]
"""A handler: ``(task) -> task`` or ``async (task) -> task`` (``None`` means the same task)."""

_handlers: list[TaskHandler] = []


def check_task_handler(handler: object) -> TaskHandler:
    """Accept a callable taking exactly one argument (the task), else ``TypeError`` saying why."""
    name = getattr(handler, "__qualname__", type(handler).__name__)
    if not callable(handler):
        raise TypeError(f"@on_task needs a function, got {type(handler).__name__}")
    try:
        parameters = list(inspect.signature(handler).parameters.values())
    except (TypeError, ValueError):
        return handler  # a builtin without a signature: trust it
    required = [
        p
        for p in parameters
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    positional = [
        p
        for p in parameters
        if p.kind
        in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            inspect.Parameter.VAR_POSITIONAL,
        )
    ]
    if not positional or len(required) > 1 or any(p not in positional for p in required):
        shown = ", ".join(p.name for p in parameters) or "no parameters"
        raise TypeError(
            f"@on_task handler {name}() must take exactly one parameter, the task; "
            f"it takes ({shown})"
        )
    return handler


def on_task(handler: F) -> F:
    """Register ``handler`` as the task handler (sync or async; one parameter: the task).

    The function is returned unchanged, so it can still be called directly.
    The signature is checked here: a wrong one raises ``TypeError`` at once.
    """
    _handlers.append(check_task_handler(handler))
    return handler


def registered_handlers() -> list[TaskHandler]:
    """The handlers registered with ``@on_task``, oldest first."""
    return list(_handlers)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Worker:
    """Runs one handler for one agent's tasks; see the module docstring.

    ``progress`` receives one line per notable step (connected, task started,
    task finished, reconnecting), for a command line to print.
    """

    def __init__(
        self,
        handler: TaskHandler,
        configuration: Configuration,
        *,
        agent_id: str | None = None,
        concurrency: int = 6,
        reconnect: ReconnectPolicy | None = None,
        heartbeat_interval: float = 30.0,
        read_timeout: float = 60.0,
        environment: str = "local",
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self._handler = check_task_handler(handler)
        self._configuration = configuration
        agent = agent_id or configuration.agent_id
        if not agent:
            from ._exceptions import MissingAgentIdError

            raise MissingAgentIdError()
        organization = check_worker_organization(configuration.organization_id)
        if isinstance(organization, Failure):
            from ._exceptions import ConfigurationError

            error = organization.failure()
            raise ConfigurationError(error.field, error.reason)
        limit = check_concurrency(concurrency)
        if isinstance(limit, Failure):
            raise limit.failure()
        policy = check_reconnect_policy(reconnect or ReconnectPolicy())
        if isinstance(policy, Failure):
            raise policy.failure()
        self.agent_id: str = agent
        self.concurrency: int = limit.unwrap()
        self._policy = policy.unwrap()
        self._heartbeat_interval = heartbeat_interval
        self._read_timeout = read_timeout
        self._environment = environment
        self._progress = progress or (lambda line: logger.info("%s", line))
        if configuration.async_transport() is not None:
            from ._exceptions import ConfigurationError

            # The in-process transport buffers whole responses: a stream never arrives.
            raise ConfigurationError(
                "base_url",
                "the worker needs the platform on a socket (serve it: xpander-backend serve)",
            )
        self._driver = AsyncDriver(configuration)
        self._client: httpx.AsyncClient | None = None
        self._events_base = ""
        self._is_async = is_async_callable(handler)
        self._pool: ThreadPoolExecutor | None = None
        self._running = 0
        self._accepted: set[str] = set()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._slot_freed: asyncio.Condition | None = None
        self._stop: asyncio.Event | None = None
        self._stop_requested = False
        self._registered: asyncio.Event | None = None
        self.worker: WorkerRecord | None = None
        """The current registration (changes on every reconnect)."""
        self.connections = 0
        """How many times the stream was opened (1 + reconnects)."""
        self.finished: list[tuple[str, TaskPatch]] = []
        """(task id, what was saved) for every task this worker finished."""

    # --- control ------------------------------------------------------------------------

    def request_stop(self) -> None:
        """Ask the worker to stop: close the stream, finish the tasks in flight. Idempotent.

        Call it from the worker's event loop (a signal handler installed there, a task).
        """
        self._stop_requested = True
        if self._stop is not None:
            self._stop.set()

    async def wait_registered(self, timeout: float = 10.0) -> WorkerRecord:
        """Wait until the platform registered this worker (useful in tests and the CLI)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._registered is None:  # run() has not started yet
            if loop.time() > deadline:
                raise asyncio.TimeoutError("the worker is not running")
            await asyncio.sleep(0.01)
        await asyncio.wait_for(self._registered.wait(), max(deadline - loop.time(), 0))
        assert self.worker is not None
        return self.worker

    # --- main loop ----------------------------------------------------------------------

    async def run(self) -> None:
        """Serve tasks until ``request_stop``; raises ``WorkerStopError`` if the platform
        refuses the worker or stays unreachable beyond the reconnect policy."""
        self._stop = asyncio.Event()
        if self._stop_requested:
            self._stop.set()
        self._registered = asyncio.Event()
        self._slot_freed = asyncio.Condition()
        self._pool = ThreadPoolExecutor(
            max_workers=self.concurrency, thread_name_prefix="xpander-task"
        )
        self._events_base = events_base(
            self._configuration.base_url, self._configuration.organization_id or ""
        )
        url = f"{self._events_base}/{path_segment(self.agent_id)}"
        # The stream's own client: it holds one connection open with a read timeout
        # longer than the platform's keep-alive interval (a silent peer is noticed).
        timeout = httpx.Timeout(connect=10.0, read=self._read_timeout, write=10.0, pool=10.0)
        failures = 0
        async with httpx.AsyncClient(timeout=timeout) as client:
            self._client = client
            try:
                while not self._stop.is_set():
                    reached = await self._stream_once(client, url)
                    if self._stop.is_set():
                        break
                    failures = 1 if reached else failures + 1
                    delay = reconnect_delay(self._policy, failures)
                    if isinstance(delay, Failure):
                        raise delay.failure()
                    wait = delay.unwrap()
                    self._progress(f"task stream dropped; reconnecting in {wait:.1f} s")
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), wait)
            finally:
                await self._drain()
                self._client = None

    async def _stream_once(self, client: httpx.AsyncClient, url: str) -> bool:
        """One connection; True when it got as far as a registration."""
        assert self._stop is not None
        reader = asyncio.create_task(self._read_stream(client, url))
        stopper = asyncio.create_task(self._stop.wait())
        try:
            await asyncio.wait({reader, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (reader, stopper):
                waiter.cancel()
            results = await asyncio.gather(reader, stopper, return_exceptions=True)
            if self._registered is not None:
                self._registered.clear()
        outcome = results[0]
        if isinstance(outcome, WorkerStopError):
            raise outcome
        if isinstance(outcome, BaseException) and not isinstance(outcome, asyncio.CancelledError):
            logger.info("task stream ended: %s", type(outcome).__name__)
        return isinstance(outcome, bool) and outcome

    async def _read_stream(self, client: httpx.AsyncClient, url: str) -> bool:
        key = self._configuration.api_key
        headers = {"accept": "text/event-stream", "user-agent": USER_AGENT}
        if key:
            headers["x-api-key"] = key.reveal()
        registered = False
        heartbeat: asyncio.Task[None] | None = None
        try:
            async with client.stream(
                "GET", url, params={"environment": self._environment}, headers=headers
            ) as response:
                opened = decide_stream_response(response.status_code)
                if isinstance(opened, Failure):
                    await response.aread()
                    raise opened.failure()
                if opened.unwrap() is StreamResponse.RECONNECT:
                    await response.aread()
                    return False
                decoder = SseDecoder()
                async for chunk in response.aiter_bytes():
                    for event in decoder.feed(chunk):
                        decided = decide_stream_event(event, WorkerTask)
                        if isinstance(decided, Failure):
                            self._progress(f"ignored a malformed event: {decided.failure()}")
                            continue
                        action = decided.unwrap()
                        if isinstance(action, Registered):
                            registered = True
                            self.connections += 1
                            self.worker = action.worker
                            assert self._registered is not None
                            self._registered.set()
                            self._progress(
                                f"worker {action.worker.id} connected for agent {self.agent_id}"
                            )
                            if heartbeat is None:
                                heartbeat = asyncio.create_task(self._heartbeats())
                        elif isinstance(action, Execute):
                            await self._accept(action.task)
                        elif isinstance(action, Conflict):
                            raise WorkerStopError(action.error)
        except httpx.TransportError as exc:
            logger.info("task stream transport error: %s", type(exc).__name__)
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
        return registered

    # --- tasks --------------------------------------------------------------------------

    async def _accept(self, task: Task) -> None:
        assert self._slot_freed is not None
        async with self._slot_freed:
            while True:
                decision = admit(
                    task.id, accepted=self._accepted, running=self._running, limit=self.concurrency
                )
                if decision is Admission.DUPLICATE:
                    return
                if decision is Admission.RUN:
                    break
                await self._slot_freed.wait()
            self._accepted.add(task.id)
            before = self._running
            self._running += 1
        assert isinstance(task, WorkerTask)
        job = asyncio.create_task(self._execute(task._attach(self._configuration._for_task())))
        self._in_flight.add(job)
        job.add_done_callback(self._in_flight.discard)
        self._capacity(before, before + 1)

    async def _execute(self, task: WorkerTask) -> None:
        try:
            await self._save(task, start_patch())
            self._progress(f"task {task.id} executing")
            outcome = await self._call_handler(task)
            patch = settle(task, outcome)
            await self._save(task, patch)
            self.finished.append((task.id, patch))
            self._progress(f"task {task.id} {patch.status.value}")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the platform refused the save: report, keep serving
            message = self._redacted(f"{type(exc).__name__}: {exc}")
            self._progress(f"task {task.id} could not be saved: {message}")
        finally:
            try:
                await task.configuration._close_task_backends()
            except Exception as exc:  # never worth a slot: log by type (messages may hold keys)
                logger.warning(
                    "task %s: closing its Backends failed: %s", task.id, type(exc).__name__
                )
            finally:
                self._release(task.id)

    def _release(self, task_id: str) -> None:
        """Give a task's slot back, whatever happened to it.

        The counters change synchronously (no await: nothing can cancel it
        half-way); waking the tasks waiting for a slot needs the condition's
        lock, so it runs as its own task, which a cancellation of this one
        cannot stop.
        """
        before = self._running
        self._running -= 1
        self._accepted.discard(task_id)
        waker = asyncio.ensure_future(self._wake_waiters())
        self._in_flight.add(waker)
        waker.add_done_callback(self._in_flight.discard)
        self._capacity(before, before - 1)

    async def _wake_waiters(self) -> None:
        assert self._slot_freed is not None
        async with self._slot_freed:
            self._slot_freed.notify_all()

    async def _call_handler(self, task: WorkerTask) -> HandlerOutcome:
        try:
            if self._is_async:
                value = await self._handler(task)
            else:
                loop = asyncio.get_running_loop()
                value = await loop.run_in_executor(self._pool, self._handler, task)
                if inspect.isawaitable(value):
                    value = await value
            return Returned(value=value)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The message is saved as the task's result: a key in it must not reach the platform.
            return Raised(error_type=type(exc).__name__, message=self._redacted(str(exc)))

    def _redacted(self, text: str) -> str:
        key = self._configuration.api_key
        return redact_text(text, (key.reveal(),) if key else ())

    async def _save(self, task: WorkerTask, patch: TaskPatch) -> None:
        """Apply ``patch`` to the task and save it whole, as the official worker does, so
        that what the handler set (tokens, used tools, ...) is kept too."""
        saved = apply_patch(task, patch)
        # The handler holds this very object: it sees what was saved.
        task.status, task.result = saved.status, saved.result
        try:
            body = to_wire(saved)
        except (TypeError, ValueError, msgspec.EncodeError):
            # The handler left a field that cannot be encoded: save what was decided.
            body = to_wire(patch)
        await self._driver.send(
            ApiRequest(
                method="PATCH",
                route=f"/agent-execution/{path_segment(task.id)}/update",
                body=body,
            )
        )

    # --- worker messages ----------------------------------------------------------------

    def _capacity(self, before: int, after: int) -> None:
        busy = capacity_change(before, after, self.concurrency)
        if busy is not None:
            task = asyncio.ensure_future(self._message(WORKER_CAPACITY_UPDATE, {"is_busy": busy}))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_interval)
            await self._message(WORKER_HEARTBEAT, _now().isoformat())

    async def _message(self, event: str, data: Any) -> None:
        worker, client = self.worker, self._client
        if worker is None or client is None:
            return
        message = WorkerMessage(id=str(uuid.uuid4()), event=event, data=data)
        headers = {"content-type": "application/json", "user-agent": USER_AGENT}
        key = self._configuration.api_key
        if key:
            headers["x-api-key"] = key.reveal()
        try:
            await client.post(
                f"{self._events_base}/{path_segment(worker.id)}",
                params={"type": "worker", "agent_id": self.agent_id},
                content=msgspec.json.encode(message),
                headers=headers,
            )
        except httpx.HTTPError as exc:  # worker messages are advisory: never fatal
            logger.info("worker message %s not delivered: %s", event, type(exc).__name__)

    # --- shutdown -----------------------------------------------------------------------

    async def _drain(self) -> None:
        if self._in_flight:
            self._progress(f"finishing {len(self._in_flight)} task(s) in flight")
        while self._in_flight:
            await asyncio.gather(*list(self._in_flight), return_exceptions=True)
        await self._message(WORKER_FINISHED, {})
        if self._pool is not None:
            self._pool.shutdown(wait=False)
        await self._driver.aclose()

    def cancel_in_flight(self) -> None:
        """Cancel the running handlers (a second SIGINT); their tasks stay ``executing``."""
        for job in list(self._in_flight):
            job.cancel()


def run_worker(
    handler: TaskHandler | None = None,
    configuration: Configuration | None = None,
    **options: Any,
) -> None:
    """Run a worker until SIGINT/SIGTERM (blocking). The first signal stops gracefully,
    a second one cancels the tasks in flight.

    ``handler`` defaults to the one registered with ``@on_task`` (exactly one must be).
    ``options`` are ``Worker``'s keyword options.
    """
    if handler is None:
        handlers = registered_handlers()
        if len(handlers) != 1:
            raise TypeError(
                f"run_worker needs exactly one @on_task handler, {len(handlers)} registered"
            )
        handler = handlers[0]
    if configuration is None:
        from ._config import Configuration

        configuration = Configuration()
    worker = Worker(handler, configuration, **options)
    asyncio.run(run_until_signal(worker))


async def run_until_signal(worker: Worker) -> None:
    """Run ``worker`` with SIGINT/SIGTERM wired to a graceful stop."""
    loop = asyncio.get_running_loop()
    signals = 0

    def on_signal() -> None:
        nonlocal signals
        signals += 1
        if signals == 1:
            worker._progress("stopping: finishing the tasks in flight (signal again to cancel)")
            worker.request_stop()
        else:
            worker.cancel_in_flight()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, on_signal)
            installed.append(sig)
    try:
        await worker.run()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


__all__ = [
    "TaskHandler",
    "Worker",
    "WorkerTask",
    "check_task_handler",
    "on_task",
    "registered_handlers",
    "run_until_signal",
    "run_worker",
]
