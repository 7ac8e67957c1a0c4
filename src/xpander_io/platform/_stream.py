"""The local platform's task stream: what ``@on_task`` workers connect to.

Routes (the organisation id may prefix them, as in ``{base}/{organization_id}/events``):

- ``GET /events/{agent_id}?environment=local|xpander``: a server-sent-events
  stream. It opens with ``worker-registration`` (the worker record), then
  sends each pending task of the agent as ``agent-execution``, claiming it for
  this connection (``xpander_pure.platform.tasks_to_deliver``), and a comment
  line every ``keepalive_interval`` seconds so that a dead connection is
  noticed. An unknown environment gets ``worker-environment-conflict`` and the
  stream ends.
- ``POST /events/{worker_id}?type=worker&agent_id=...``: the worker's
  messages (``worker-heartbeat``, ``worker-capacity-update``,
  ``worker-finished``); answered ``{"ok": true}``.

Claims live in memory: a task claimed by a connection that dropped before the
worker marked it ``executing`` goes to the next connection. New tasks wake
the streams at once when they are created through this server's
``POST /agent-execution/{agent_id}``; tasks written by another process are
found by polling every ``poll_interval`` seconds.

Every ``LocalPlatform`` has its stream (``platform.stream``). httpx's
``ASGITransport`` buffers whole responses, so a stream needs the platform
served on a socket (``serve``); ``end_streams`` ends the open ones, which
``serve`` does on exit so that the server does not wait for them.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone

import msgspec
from returns.result import Failure

from xpander_pure import Task, TaskStatus, decode, to_wire
from xpander_pure._sse import encode_sse, encode_sse_comment
from xpander_pure._worker import (
    AGENT_EXECUTION,
    WORKER_ENVIRONMENT_CONFLICT,
    WORKER_REGISTRATION,
    WorkerMessage,
    WorkerRecord,
)
from xpander_pure.platform import Claim, apply_worker_message, tasks_to_deliver

from . import _store
from ._app import HttpError, PlatformApp, Request, Response, json_response, run_in_thread

ENVIRONMENTS = frozenset({"local", "xpander"})


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(eq=False)
class _Connection:
    """One open stream: the loop it runs on and the event that wakes it."""

    loop: asyncio.AbstractEventLoop
    wakeup: asyncio.Event
    ended: bool = False


class TaskStream:
    """The stream routes of one ``LocalPlatform`` and the claims they hold.

    ``keepalive_interval`` and ``poll_interval`` (seconds) may be changed at
    any time; open streams use the new values from their next wait.
    """

    def __init__(
        self,
        store: _store.Store,
        *,
        keepalive_interval: float = 15.0,
        poll_interval: float = 1.0,
    ) -> None:
        self._store = store
        self.keepalive_interval = keepalive_interval
        self.poll_interval = poll_interval
        self._claims: dict[str, dict[str, Claim]] = {}
        self._workers: dict[str, WorkerRecord] = {}
        self._wakeups: dict[tuple[str, str], set[asyncio.Event]] = {}
        self._connections: set[_Connection] = set()
        self._rounds: dict[str, int] = {}
        self._lock = threading.Lock()

    def register(self, app: PlatformApp) -> None:
        """Add the stream routes to ``app``."""
        app.router.add("GET", "/events/{agent_id}", self.open_stream)
        app.router.add("POST", "/events/{worker_id}", self.worker_message)

    def task_created(self, task: Task) -> None:
        """Wake the streams of the task's agent (a ``TaskListener``, on the app's loop)."""
        for event in self._wakeups.get((task.organization_id, task.agent_id), ()):
            event.set()

    # --- introspection (the CLI and tests read these) -----------------------------------

    def workers(self, organization_id: str | None = None) -> list[WorkerRecord]:
        """The connected workers, optionally of one organisation."""
        with self._lock:
            records = list(self._workers.values())
        return [w for w in records if organization_id in (None, w.organization_id)]

    def poll_rounds(self, worker_id: str) -> int:
        """How many claim rounds the stream of ``worker_id`` has finished (0 once it is gone).

        A round counts once its deliveries were handed to the server, so a
        second round proves the first one's events went out: what a test
        waits for to show that something was not delivered.
        """
        with self._lock:
            return self._rounds.get(worker_id, 0)

    def claimed_by(self, organization_id: str, task_id: str) -> str | None:
        """The worker connection a task was delivered to, if any."""
        with self._lock:
            claim = self._claims.get(organization_id, {}).get(task_id)
        return claim.worker_id if claim is not None else None

    # --- lifecycle ----------------------------------------------------------------------

    def end_streams(self) -> int:
        """End every stream open now (thread-safe); the number ended.

        Streams opened later are not affected. uvicorn waits for open responses
        when it shuts down, so ``serve`` calls this on exit.
        """
        with self._lock:
            connections = [c for c in self._connections if not c.ended]
            for connection in connections:
                connection.ended = True
        for connection in connections:
            # The loop may have stopped since; its streams are gone with it.
            with suppress(RuntimeError):
                connection.loop.call_soon_threadsafe(connection.wakeup.set)
        return len(connections)

    # --- routes -------------------------------------------------------------------------

    async def open_stream(self, request: Request) -> Response:
        organization_id = request.organization_id
        agent_id = request.params["agent_id"]
        store = self._store
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
        loop = asyncio.get_running_loop()
        connection = _Connection(loop, wakeup)
        with self._lock:
            self._workers[record.id] = record
            self._connections.add(connection)
        self._wakeups.setdefault(key, set()).add(wakeup)
        try:
            yield encode_sse(WORKER_REGISTRATION, to_wire(record).decode())
            last_sent = loop.time()
            while not (disconnected.is_set() or connection.ended):
                wakeup.clear()
                for task in await self._claim_pending(organization_id, agent_id, record.id):
                    yield encode_sse(AGENT_EXECUTION, to_wire(task).decode(), id=task.id)
                    last_sent = loop.time()
                with self._lock:
                    self._rounds[record.id] = self._rounds.get(record.id, 0) + 1
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
                self._connections.discard(connection)
                self._workers.pop(record.id, None)
                self._rounds.pop(record.id, None)
                # The connection is gone: its claims are void (tasks still pending go to
                # the next worker); forgetting them keeps the table small.
                claims = self._claims.get(organization_id, {})
                for task_id in [t for t, c in claims.items() if c.worker_id == record.id]:
                    del claims[task_id]

    async def _claim_pending(
        self, organization_id: str, agent_id: str, worker_id: str
    ) -> list[Task]:
        store = self._store
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
            updated = apply_worker_message(
                self._workers.get(worker_id), worker_id, request.organization_id, parsed, _now()
            )
            if isinstance(updated, Failure):
                raise HttpError(404, "worker not found")
            self._workers[worker_id] = updated.unwrap()
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


__all__ = ["TaskStream"]
