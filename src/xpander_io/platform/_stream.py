"""The local platform's task stream: what ``@on_task`` workers connect to.

Routes (the organisation id may prefix them, as in ``{base}/{organization_id}/events``):

- ``GET /events/{agent_id}?environment=local|xpander``: a server-sent-events
  stream. It opens with ``worker-registration`` (the worker record), then
  sends each pending task of the agent as ``agent-execution``, claiming it for
  this connection (``xpander_pure._claims``), and a comment line every
  ``keepalive_interval`` seconds so that a dead connection is noticed. An
  unknown environment gets ``worker-environment-conflict`` and the stream ends.
- ``POST /events/{worker_id}?type=worker&agent_id=...``: the worker's
  messages (``worker-heartbeat``, ``worker-capacity-update``,
  ``worker-finished``); answered ``{"ok": true}``.

Claims live in memory: a task claimed by a connection that dropped before the
worker marked it ``executing`` goes to the next connection. New tasks wake
the streams at once when they are created through this server's
``POST /agent-execution/{agent_id}``; tasks written by another process are
found by polling every ``poll_interval`` seconds.

httpx's ``ASGITransport`` buffers whole responses, so a stream needs the
platform served on a socket (``serve_with_stream``).
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone

import msgspec

from xpander_pure import Task, TaskStatus, decode, to_wire
from xpander_pure._claims import Claim, tasks_to_deliver
from xpander_pure._sse import encode_sse, encode_sse_comment
from xpander_pure._worker import (
    AGENT_EXECUTION,
    WORKER_CAPACITY_UPDATE,
    WORKER_ENVIRONMENT_CONFLICT,
    WORKER_FINISHED,
    WORKER_HEARTBEAT,
    WORKER_REGISTRATION,
    WorkerMessage,
    WorkerRecord,
)

from . import _store
from ._app import HttpError, Request, Response, json_response, run_in_thread
from ._local import LocalPlatform

ENVIRONMENTS = frozenset({"local", "xpander"})


def _now() -> datetime:
    return datetime.now(timezone.utc)


class TaskStream:
    """The stream routes of one ``LocalPlatform`` and the claims they hold."""

    def __init__(
        self,
        platform: LocalPlatform,
        *,
        keepalive_interval: float = 15.0,
        poll_interval: float = 1.0,
    ) -> None:
        self._platform = platform
        self.keepalive_interval = keepalive_interval
        self.poll_interval = poll_interval
        self._claims: dict[str, dict[str, Claim]] = {}
        self._workers: dict[str, WorkerRecord] = {}
        self._wakeups: dict[tuple[str, str], set[asyncio.Event]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._lock = threading.Lock()

    # --- introspection (the CLI and tests read these) -----------------------------------

    def workers(self, organization_id: str | None = None) -> list[WorkerRecord]:
        """The connected workers, optionally of one organisation."""
        with self._lock:
            records = list(self._workers.values())
        return [w for w in records if organization_id in (None, w.organization_id)]

    def claimed_by(self, organization_id: str, task_id: str) -> str | None:
        """The worker connection a task was delivered to, if any."""
        with self._lock:
            claim = self._claims.get(organization_id, {}).get(task_id)
        return claim.worker_id if claim is not None else None

    # --- lifecycle ----------------------------------------------------------------------

    def close(self) -> None:
        """End every open stream (thread-safe); uvicorn waits for open responses on shutdown."""
        self._closed = True
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake_all)

    def _wake_all(self) -> None:
        for events in self._wakeups.values():
            for event in events:
                event.set()

    def _task_created(self, task: Task) -> None:
        # Called on the app's loop thread after the task was committed.
        for event in self._wakeups.get((task.organization_id, task.agent_id), ()):
            event.set()

    # --- routes -------------------------------------------------------------------------

    async def open_stream(self, request: Request) -> Response:
        organization_id = request.organization_id
        agent_id = request.params["agent_id"]
        store = self._platform.store
        agent = await run_in_thread(
            lambda: store.run_read(lambda conn: _store.get_agent(conn, organization_id, agent_id))
        )
        if agent is None:
            raise HttpError(404, "agent not found")
        environment = request.query.get("environment", "local")
        now = _now()
        record = WorkerRecord(
            id=str(uuid.uuid4()),
            name=f"local-worker-{os.getpid()}",
            organization_id=organization_id,
            created_at=now,
            last_heartbeat=now,
            dedicated_agent_id=agent_id,
            metadata={"environment": environment},
        )
        self._loop = asyncio.get_running_loop()
        return Response(
            content_type="text/event-stream",
            headers=[("cache-control", "no-cache"), ("x-accel-buffering", "no")],
            stream=self._events(request, record, environment),
        )

    async def _events(
        self, request: Request, record: WorkerRecord, environment: str
    ) -> AsyncIterator[bytes]:
        if environment not in ENVIRONMENTS:
            error = {"error": f"environment must be one of {sorted(ENVIRONMENTS)}"}
            yield encode_sse(WORKER_ENVIRONMENT_CONFLICT, msgspec.json.encode(error).decode())
            return
        organization_id = record.organization_id or ""
        agent_id = record.dedicated_agent_id or ""
        key = (organization_id, agent_id)
        wakeup = asyncio.Event()
        disconnected = asyncio.Event()
        watcher = asyncio.create_task(_watch_disconnect(request, disconnected, wakeup))
        with self._lock:
            self._workers[record.id] = record
        self._wakeups.setdefault(key, set()).add(wakeup)
        loop = asyncio.get_running_loop()
        try:
            yield encode_sse(WORKER_REGISTRATION, to_wire(record).decode())
            last_sent = loop.time()
            while not (disconnected.is_set() or self._closed):
                wakeup.clear()
                for task in await self._claim_pending(organization_id, agent_id, record.id):
                    yield encode_sse(AGENT_EXECUTION, to_wire(task).decode(), id=task.id)
                    last_sent = loop.time()
                if loop.time() - last_sent >= self.keepalive_interval:
                    yield encode_sse_comment("keep-alive")
                    last_sent = loop.time()
                timeout = min(self.poll_interval, self.keepalive_interval)
                with suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), timeout)
        finally:
            watcher.cancel()
            self._wakeups.get(key, set()).discard(wakeup)
            with self._lock:
                self._workers.pop(record.id, None)
                # The connection is gone: its claims are void (tasks still pending go to
                # the next worker); forgetting them keeps the table small.
                claims = self._claims.get(organization_id, {})
                for task_id in [t for t, c in claims.items() if c.worker_id == record.id]:
                    del claims[task_id]

    async def _claim_pending(
        self, organization_id: str, agent_id: str, worker_id: str
    ) -> list[Task]:
        store = self._platform.store
        pending: list[Task] = await run_in_thread(
            lambda: store.run_read(
                lambda conn: _store.list_tasks(
                    conn, organization_id, agent_id, TaskStatus.PENDING.value
                )
            )
        )
        # No await between deciding and recording: two streams of the same agent
        # on this loop cannot both claim one task.
        with self._lock:
            claims = self._claims.setdefault(organization_id, {})
            made = tasks_to_deliver(
                [(t.id, t.status) for t in pending], claims, set(self._workers), worker_id
            )
            for claim in made:
                claims[claim.task_id] = claim
        chosen = {claim.task_id for claim in made}
        return [task for task in pending if task.id in chosen]

    async def worker_message(self, request: Request) -> Response:
        if request.query.get("type", "worker") != "worker":
            raise HttpError(422, "invalid query", field="type", reason="expected worker")
        message = decode(WorkerMessage, request.body)
        if not isinstance(message.value_or(None), WorkerMessage):
            error = message.failure()
            raise HttpError(422, f"invalid body: {error}", field=error.field, reason=error.reason)
        parsed = message.unwrap()
        worker_id = request.params["worker_id"]
        with self._lock:
            record = self._workers.get(worker_id)
            if record is None or record.organization_id != request.organization_id:
                raise HttpError(404, "worker not found")
            if parsed.event == WORKER_HEARTBEAT:
                record = msgspec.structs.replace(record, last_heartbeat=_now())
            elif parsed.event == WORKER_CAPACITY_UPDATE and isinstance(parsed.data, dict):
                record = msgspec.structs.replace(record, is_busy=bool(parsed.data.get("is_busy")))
            elif parsed.event == WORKER_FINISHED:
                record = msgspec.structs.replace(record, is_busy=False)
            self._workers[worker_id] = record
        return json_response({"ok": True})


async def _watch_disconnect(
    request: Request, disconnected: asyncio.Event, wakeup: asyncio.Event
) -> None:
    # The body was read already, so the next ASGI message is the disconnect.
    while True:
        message = await request.receive()
        if message.get("type") == "http.disconnect":
            disconnected.set()
            wakeup.set()
            return


_installed: dict[int, TaskStream] = {}
_installed_lock = threading.Lock()


def install_task_stream(
    platform: LocalPlatform,
    *,
    keepalive_interval: float = 15.0,
    poll_interval: float = 1.0,
) -> TaskStream:
    """Add the stream routes to ``platform`` (once; later calls answer the same stream)."""
    with _installed_lock:
        stream = _installed.get(id(platform))
        if stream is not None and stream._platform is platform:
            return stream
        stream = TaskStream(
            platform, keepalive_interval=keepalive_interval, poll_interval=poll_interval
        )
        _installed[id(platform)] = stream
    platform.app.router.add("GET", "/events/{agent_id}", stream.open_stream)
    platform.app.router.add("POST", "/events/{worker_id}", stream.worker_message)
    platform.task_listeners.append(stream._task_created)
    return stream


@contextmanager
def serve_with_stream(
    platform: LocalPlatform,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    keepalive_interval: float = 15.0,
    poll_interval: float = 1.0,
) -> Iterator[tuple[str, TaskStream]]:
    """Serve ``platform`` with its task stream on a socket; yields (base URL, stream).

    On exit the open streams are ended first, so that the server stops at once.
    """
    from ._serve import serve

    stream = install_task_stream(
        platform, keepalive_interval=keepalive_interval, poll_interval=poll_interval
    )
    stream._closed = False
    with serve(platform, host, port) as base_url:
        try:
            yield base_url, stream
        finally:
            stream.close()


__all__ = ["TaskStream", "install_task_stream", "serve_with_stream"]
