"""``LocalPlatform``: the hosted platform's HTTP API over a SQLite file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import msgspec

from xpander_pure import Agent, Task

from . import _store
from ._app import ASGIApp, HttpError, PlatformApp
from ._keys import new_key
from ._routes import (
    TaskListener,
    create_task,
    now_utc,
    parse_definition,
    put_agent,
    register_routes,
)
from ._stream import TaskStream

T = TypeVar("T")


class LocalPlatform:
    """A local stand-in for the xpander platform, stored in one SQLite file.

    Use ``asgi`` in-process (``httpx.ASGITransport(app=platform.asgi)``) or serve
    it on a port with ``serve``. The administration methods below (organisations,
    keys, agents) act directly on the file; they are what the command line uses.

    Every platform has its task stream (``stream``, the routes ``@on_task``
    workers connect to); ``keepalive_interval`` and ``poll_interval`` are the
    stream's, in seconds. A stream needs the platform served on a socket.

    >>> import tempfile, pathlib
    >>> platform = LocalPlatform(pathlib.Path(tempfile.mkdtemp()) / "p.sqlite3")
    >>> org = platform.create_organization("acme")
    >>> platform.create_api_key(org).startswith("xpk_")
    True
    >>> platform.close()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_body_bytes: int = 1024 * 1024,
        keepalive_interval: float = 15.0,
        poll_interval: float = 1.0,
    ) -> None:
        self.store = _store.Store(path)
        self._app = PlatformApp(self.store, max_body_bytes=max_body_bytes)
        self.stream = TaskStream(
            self.store, keepalive_interval=keepalive_interval, poll_interval=poll_interval
        )
        """The task stream: connected workers, claims, ``end_streams()``."""
        self.task_listeners: list[TaskListener] = [self.stream.task_created]
        """Called with each task created by ``POST /agent-execution/{agent_id}`` (in-process)."""
        register_routes(self._app, self.task_listeners)
        self.stream.register(self._app)

    @property
    def asgi(self) -> ASGIApp:
        """The ASGI application."""
        return self._app

    @property
    def app(self) -> PlatformApp:
        """The application object, to add routes: ``platform.app.router.add(...)``."""
        return self._app

    def create_organization(self, name: str) -> str:
        """Create an organisation; returns its id."""
        org_id = str(uuid.uuid4())
        now = now_utc().isoformat()
        self.store.run_write(lambda conn: _store.insert_organization(conn, org_id, name, now))
        return org_id

    def list_organizations(self) -> list[tuple[str, str]]:
        """(id, name) of every organisation."""
        return self.store.run_read(_store.list_organizations)

    def create_api_key(self, organization_id: str) -> str:
        """Create a key for the organisation; returns the secret key, which is not stored."""
        key_id, key, key_hash = new_key()
        now = now_utc().isoformat()

        def work(conn: Any) -> None:
            if not _store.organization_exists(conn, organization_id):
                raise LookupError(f"no organization {organization_id!r}")
            _store.insert_key(conn, key_id, key_hash, organization_id, now)

        self.store.run_write(work)
        return key

    def put_agent(self, organization_id: str, definition: Mapping[str, Any] | bytes) -> Agent:
        """Create an agent, or a new version when the definition's ``id`` exists.

        ``bytes`` are JSON. Raises ``ValueError`` naming the field for a bad definition.
        """
        raw = definition
        mapping: Mapping[str, Any] = (
            _or_value_error(lambda: parse_definition(raw, "application/json"))
            if isinstance(raw, bytes)
            else raw
        )
        return _or_value_error(
            lambda: self.store.run_write(lambda conn: put_agent(conn, organization_id, mapping))
        )

    def get_agent(self, organization_id: str, agent_id: str, version: int | None = None) -> Agent:
        """An agent (latest version by default); ``LookupError`` when absent."""
        agent = self.store.run_read(
            lambda conn: _store.get_agent(conn, organization_id, agent_id, version)
        )
        if agent is None:
            raise LookupError(f"no agent {agent_id!r}")
        return agent

    def list_agents(self, organization_id: str) -> list[Agent]:
        """The latest version of each agent."""
        return self.store.run_read(lambda conn: _store.list_agents(conn, organization_id))

    def set_default_llm_headers(self, organization_id: str, headers: Mapping[str, str]) -> None:
        """Set the organisation's default LLM extra headers."""
        encoded = msgspec.json.encode(dict(headers))
        self.store.run_write(
            lambda conn: _store.set_default_llm_headers(conn, organization_id, encoded)
        )

    def create_task(self, organization_id: str, agent_id: str, text: str = "") -> Task:
        """Invoke an agent: store a pending task (listeners are not called from here)."""
        from xpander_pure import InvokeRequest, TaskInput

        request = InvokeRequest(input=TaskInput(text=text))
        return _or_value_error(
            lambda: self.store.run_write(
                lambda conn: create_task(conn, organization_id, agent_id, request)
            )
        )

    def list_tasks(self, organization_id: str, agent_id: str | None = None) -> list[Task]:
        """The organisation's tasks in creation order."""
        return self.store.run_read(lambda conn: _store.list_tasks(conn, organization_id, agent_id))

    def list_events(self, organization_id: str, task_id: str) -> list[Any]:
        """A task's pushed events, oldest first, as decoded JSON."""
        bodies = self.store.run_read(
            lambda conn: _store.list_events(conn, organization_id, task_id)
        )
        return [msgspec.json.decode(body) for body in bodies]

    def close(self) -> None:
        """End the open task streams and close the SQLite connections."""
        self.stream.end_streams()
        self.store.close()

    def __enter__(self) -> LocalPlatform:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _or_value_error(work: Callable[[], T]) -> T:
    """Turn the app's answer-shaped errors into Python exceptions for direct callers."""
    try:
        return work()
    except HttpError as exc:
        if exc.status == 404:
            raise LookupError(exc.detail) from None
        if exc.field is not None:
            raise ValueError(f"{exc.field}: {exc.reason}") from None
        raise ValueError(exc.detail) from None
