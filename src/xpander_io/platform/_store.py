"""SQLite persistence of the local platform.

One connection per thread (SQLite connections are not shared across threads
while in use), WAL mode so readers never wait for the writer, ``BEGIN
IMMEDIATE`` for every write transaction (a deferred transaction that starts
reading and then writes fails at once with "database is locked" when another
process committed in between, whatever the busy timeout), and a busy timeout so
that writers from several processes queue instead of failing.

The functions taking a ``sqlite3.Connection`` run inside a transaction opened
by ``Store.write`` or ``Store.read``; they decide nothing about the domain.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import msgspec

from xpander_pure import Agent, Secret, Task, decode
from xpander_pure import to_wire as _to_wire
from xpander_pure.platform import ExistingTask, LoginPending, LoginState, TokenIssued

T = TypeVar("T")

BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    default_llm_headers TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agents (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, id, version)
);
CREATE TABLE IF NOT EXISTS tasks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    report_fingerprint TEXT,
    seq INTEGER NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX IF NOT EXISTS tasks_by_agent ON tasks (organization_id, agent_id, seq);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_task ON events (organization_id, task_id, seq);
CREATE TABLE IF NOT EXISTS mcp_logins (
    organization_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    server_url TEXT NOT NULL,
    state TEXT NOT NULL,
    login_id TEXT,
    PRIMARY KEY (organization_id, owner, server_url)
);
CREATE UNIQUE INDEX IF NOT EXISTS mcp_logins_by_login ON mcp_logins (login_id);
"""


def _secret_hook(type_: type[Any], obj: Any) -> Any:
    if type_ is Secret and isinstance(obj, str):
        return Secret(obj)
    raise NotImplementedError(f"cannot decode {type_!r}")


_login_state_decoder = msgspec.json.Decoder(LoginPending | TokenIssued, dec_hook=_secret_hook)


class Store:
    """The platform's SQLite file; safe to use from several threads and processes."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        conn = self._connection()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the platform store is closed")
            # isolation_level=None: transactions are opened explicitly below.
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all or nothing."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot."""
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def run_write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction."""
        with self.write() as conn:
            return work(conn)

    def run_read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one read transaction."""
        with self.read() as conn:
            return work(conn)

    def close(self) -> None:
        """Close every connection this store opened (from any thread)."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()


# --- organisations and keys ---------------------------------------------------------------


def insert_organization(conn: sqlite3.Connection, org_id: str, name: str, now: str) -> None:
    conn.execute(
        "INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)", (org_id, name, now)
    )


def organization_exists(conn: sqlite3.Connection, org_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM organizations WHERE id = ?", (org_id,)).fetchone()
    return row is not None


def list_organizations(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return list(conn.execute("SELECT id, name FROM organizations ORDER BY created_at, id"))


def insert_key(conn: sqlite3.Connection, key_id: str, key_hash: str, org_id: str, now: str) -> None:
    conn.execute(
        "INSERT INTO api_keys (key_id, key_hash, organization_id, created_at) VALUES (?, ?, ?, ?)",
        (key_id, key_hash, org_id, now),
    )


def key_record(conn: sqlite3.Connection, key_id: str) -> tuple[str, str] | None:
    """(hash, organisation id) of a key, by its public id."""
    row = conn.execute(
        "SELECT key_hash, organization_id FROM api_keys WHERE key_id = ?", (key_id,)
    ).fetchone()
    return None if row is None else (row[0], row[1])


def default_llm_headers(conn: sqlite3.Connection, org_id: str) -> bytes:
    row = conn.execute(
        "SELECT default_llm_headers FROM organizations WHERE id = ?", (org_id,)
    ).fetchone()
    return b"{}" if row is None else str(row[0]).encode()


def set_default_llm_headers(conn: sqlite3.Connection, org_id: str, headers: bytes) -> None:
    conn.execute(
        "UPDATE organizations SET default_llm_headers = ? WHERE id = ?", (headers.decode(), org_id)
    )


# --- agents -------------------------------------------------------------------------------


def _agent(body: str) -> Agent:
    return decode(Agent, body.encode()).unwrap()


def get_agent(
    conn: sqlite3.Connection, org_id: str, agent_id: str, version: int | None = None
) -> Agent | None:
    if version is None:
        row = conn.execute(
            "SELECT body FROM agents WHERE organization_id = ? AND id = ? "
            "ORDER BY version DESC LIMIT 1",
            (org_id, agent_id),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT body FROM agents WHERE organization_id = ? AND id = ? AND version = ?",
            (org_id, agent_id, version),
        ).fetchone()
    return None if row is None else _agent(row[0])


def insert_agent(conn: sqlite3.Connection, agent: Agent, now: str) -> None:
    conn.execute(
        "INSERT INTO agents (organization_id, id, version, body, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (agent.organization_id, agent.id, agent.version, _to_wire(agent).decode(), now),
    )


def list_agents(conn: sqlite3.Connection, org_id: str) -> list[Agent]:
    """The latest version of every agent of the organisation."""
    rows = conn.execute(
        "SELECT body FROM agents a WHERE organization_id = ? AND version = "
        "(SELECT MAX(version) FROM agents b WHERE b.organization_id = a.organization_id "
        "AND b.id = a.id) ORDER BY created_at, id",
        (org_id,),
    )
    return [_agent(row[0]) for row in rows]


def agent_versions(conn: sqlite3.Connection, org_id: str, agent_id: str) -> list[int]:
    rows = conn.execute(
        "SELECT version FROM agents WHERE organization_id = ? AND id = ? ORDER BY version",
        (org_id, agent_id),
    )
    return [int(row[0]) for row in rows]


# --- tasks and events ---------------------------------------------------------------------


def _task(body: str) -> Task:
    return decode(Task, body.encode()).unwrap()


def get_task(conn: sqlite3.Connection, org_id: str, task_id: str) -> ExistingTask | None:
    row = conn.execute(
        "SELECT body, report_fingerprint FROM tasks WHERE organization_id = ? AND id = ?",
        (org_id, task_id),
    ).fetchone()
    if row is None:
        return None
    return ExistingTask(task=_task(row[0]), report_fingerprint=row[1])


def put_task(conn: sqlite3.Connection, task: Task, report_fingerprint: str | None = None) -> None:
    """Insert a task, or replace its body and status (the fingerprint is kept)."""
    conn.execute(
        "INSERT INTO tasks (organization_id, id, agent_id, status, body, report_fingerprint, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks)) "
        "ON CONFLICT (organization_id, id) DO UPDATE SET "
        "status = excluded.status, body = excluded.body",
        (
            task.organization_id,
            task.id,
            task.agent_id,
            task.status.value,
            _to_wire(task).decode(),
            report_fingerprint,
        ),
    )


def list_tasks(
    conn: sqlite3.Connection,
    org_id: str,
    agent_id: str | None = None,
    status: str | None = None,
    limit: int = 1000,
) -> list[Task]:
    query = "SELECT body FROM tasks WHERE organization_id = ?"
    args: list[Any] = [org_id]
    if agent_id is not None:
        query += " AND agent_id = ?"
        args.append(agent_id)
    if status is not None:
        query += " AND status = ?"
        args.append(status)
    query += " ORDER BY seq LIMIT ?"
    args.append(limit)
    return [_task(row[0]) for row in conn.execute(query, args)]


def insert_events(conn: sqlite3.Connection, org_id: str, task_id: str, bodies: list[bytes]) -> None:
    conn.executemany(
        "INSERT INTO events (organization_id, task_id, body) VALUES (?, ?, ?)",
        [(org_id, task_id, body.decode()) for body in bodies],
    )


def list_events(conn: sqlite3.Connection, org_id: str, task_id: str) -> list[bytes]:
    rows = conn.execute(
        "SELECT body FROM events WHERE organization_id = ? AND task_id = ? ORDER BY seq",
        (org_id, task_id),
    )
    return [str(row[0]).encode() for row in rows]


# --- MCP OAuth logins ---------------------------------------------------------------------


def get_login(
    conn: sqlite3.Connection, org_id: str, owner: str, server_url: str
) -> LoginState | None:
    row = conn.execute(
        "SELECT state FROM mcp_logins WHERE organization_id = ? AND owner = ? AND server_url = ?",
        (org_id, owner, server_url),
    ).fetchone()
    if row is None:
        return None
    state: LoginState = _login_state_decoder.decode(row[0])
    return state


def put_login(
    conn: sqlite3.Connection, org_id: str, owner: str, server_url: str, state: LoginState
) -> None:
    login_id = state.login_id if isinstance(state, LoginPending) else None
    conn.execute(
        "INSERT INTO mcp_logins (organization_id, owner, server_url, state, login_id) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (organization_id, owner, server_url) DO UPDATE SET "
        "state = excluded.state, login_id = excluded.login_id",
        (org_id, owner, server_url, _to_wire(state).decode(), login_id),
    )


def login_by_id(conn: sqlite3.Connection, login_id: str) -> tuple[str, str, str, LoginState] | None:
    """(organisation, owner, server url, state) of the pending login with this id."""
    row = conn.execute(
        "SELECT organization_id, owner, server_url, state FROM mcp_logins WHERE login_id = ?",
        (login_id,),
    ).fetchone()
    if row is None:
        return None
    state: LoginState = _login_state_decoder.decode(row[3])
    return row[0], row[1], row[2], state
