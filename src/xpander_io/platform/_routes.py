"""The platform's routes: decode the request, read, call the core, write, answer.

Each handler runs its SQLite work in one transaction (``Store.run_write`` or
``Store.run_read``) in a worker thread; an error raised inside rolls it back,
so nothing half-written is stored.
"""

from __future__ import annotations

import secrets
import sqlite3
import sys
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar

import msgspec
from returns.result import Failure, Success

from xpander_pure import (
    Agent,
    InvalidInputError,
    McpServer,
    Task,
    TaskStatus,
    TaskUpdateEvent,
    decode,
    to_wire,
)
from xpander_pure._addressing import requested_agent_version
from xpander_pure.platform import (
    InvokeRequest,
    ReportBody,
    TaskUpdate,
    apply_task_update,
    check_pushed_events,
    decide_invoke,
    decide_report,
    decode_invoke_request,
    mcp_token_owner,
    mcp_token_step,
    prepare_agent,
    report_fingerprint,
    visit_login,
)

from . import _store
from ._app import HttpError, PlatformApp, Request, Response, json_response, run_in_thread

T = TypeVar("T")

TaskListener = Callable[[Task], None]
"""Called on the event loop's thread after a task was created and committed."""


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def decode_body(type_: type[T], body: bytes) -> T:
    """Decode a JSON body or answer 422 with the field path and reason."""
    result = decode(type_, body)
    if isinstance(result, Failure):
        error = result.failure()
        raise HttpError(422, f"invalid body: {error}", field=error.field, reason=error.reason)
    return result.unwrap()


def _invalid(error: InvalidInputError) -> HttpError:
    return HttpError(422, f"invalid input: {error}", field=error.field, reason=error.reason)


def _not_found(kind: str) -> HttpError:
    return HttpError(404, f"{kind} not found")


def parse_definition(body: bytes, content_type: str) -> Mapping[str, Any]:
    """An agent definition from JSON, or TOML when the content type says so (Python 3.11+)."""
    if "toml" in content_type:
        if sys.version_info >= (3, 11):
            import tomllib

            try:
                return tomllib.loads(body.decode("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise HttpError(422, "invalid TOML", field="$", reason=str(exc)) from None
        raise HttpError(415, "TOML definitions need Python 3.11 or later; send JSON")
    try:
        value = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise HttpError(422, "invalid JSON", field="$", reason=str(exc)) from None
    if not isinstance(value, dict):
        raise HttpError(422, "invalid body", field="$", reason="expected an object")
    return value


# --- store operations other modules reuse -------------------------------------------------


def put_agent(
    conn: sqlite3.Connection,
    organization_id: str,
    definition: Mapping[str, Any],
    agent_id: str | None = None,
) -> Agent:
    """Create an agent or store its next version (inside the caller's write transaction)."""
    if agent_id is not None:
        definition = {**definition, "id": agent_id}
    given_id = definition.get("id")
    previous = (
        _store.get_agent(conn, organization_id, given_id) if isinstance(given_id, str) else None
    )
    now = now_utc()
    result = prepare_agent(
        definition,
        organization_id=organization_id,
        new_id=str(uuid.uuid4()),
        previous=previous,
        now=now,
    )
    if isinstance(result, Failure):
        raise _invalid(result.failure())
    agent = result.unwrap()
    _store.insert_agent(conn, agent, _iso(now))
    return agent


def create_task(
    conn: sqlite3.Connection, organization_id: str, agent_id: str, request: InvokeRequest
) -> Task:
    """Create (invoke) a task, inside the caller's write transaction.

    An unknown agent is 404; invoking a running task is 422 on field ``id`` (it never passes).
    """
    agent = _store.get_agent(conn, organization_id, agent_id)
    if agent is None:
        raise _not_found("agent")
    existing = _store.get_task(conn, organization_id, request.id) if request.id else None
    result = decide_invoke(
        request,
        existing=existing.task if existing is not None else None,
        task_id=str(uuid.uuid4()),
        agent=agent,
        now=now_utc(),
    )
    if isinstance(result, Failure):
        raise _invalid(result.failure())
    task = result.unwrap()
    _store.put_task(conn, task)
    return task


def _stored_task(conn: sqlite3.Connection, organization_id: str, task_id: str) -> Task:
    existing = _store.get_task(conn, organization_id, task_id)
    if existing is None:
        raise _not_found("task")
    return existing.task


def _update_task(
    conn: sqlite3.Connection, organization_id: str, task_id: str, update: TaskUpdate
) -> Task:
    task = _stored_task(conn, organization_id, task_id)
    result = apply_task_update(task, update, now=now_utc())
    if isinstance(result, Failure):
        raise _invalid(result.failure())
    updated = result.unwrap()
    _store.put_task(conn, updated)
    return updated


def _bool_query(request: Request, name: str, default: bool) -> bool:
    raw = request.query.get(name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise HttpError(422, "invalid query", field=name, reason="expected true or false")


def _version(request: Request) -> int | None:
    checked = requested_agent_version(
        request.headers.get("x-agent-version"), request.query.get("version")
    )
    if isinstance(checked, Failure):
        raise _invalid(checked.failure())
    return checked.unwrap()


# --- registration -------------------------------------------------------------------------


def register_routes(app: PlatformApp, task_listeners: list[TaskListener]) -> None:
    """Add the hosted API's routes (and the local extensions) to ``app``."""
    store = app.store

    async def write(work: Callable[[sqlite3.Connection], T]) -> T:
        result: T = await run_in_thread(lambda: store.run_write(work))
        return result

    async def read(work: Callable[[sqlite3.Connection], T]) -> T:
        result: T = await run_in_thread(lambda: store.run_read(work))
        return result

    # agents

    async def get_agent(request: Request) -> Response:
        version = _version(request)
        agent = await read(
            lambda conn: _store.get_agent(
                conn, request.organization_id, request.params["agent_id"], version
            )
        )
        if agent is None:
            raise _not_found("agent")
        return json_response(agent)

    async def list_agents(request: Request) -> Response:
        agents = await read(lambda conn: _store.list_agents(conn, request.organization_id))
        return json_response(agents)

    async def agent_versions(request: Request) -> Response:
        versions = await read(
            lambda conn: _store.agent_versions(
                conn, request.organization_id, request.params["agent_id"]
            )
        )
        if not versions:
            raise _not_found("agent")
        return json_response(versions)

    async def create_agent(request: Request) -> Response:
        definition = parse_definition(request.body, request.headers.get("content-type", ""))
        agent = await write(lambda conn: put_agent(conn, request.organization_id, definition))
        return json_response(agent, status=201 if agent.version == 1 else 200)

    async def update_agent(request: Request) -> Response:
        definition = parse_definition(request.body, request.headers.get("content-type", ""))
        agent = await write(
            lambda conn: put_agent(
                conn, request.organization_id, definition, request.params["agent_id"]
            )
        )
        return json_response(agent, status=201 if agent.version == 1 else 200)

    # organisation metadata

    async def get_default_headers(request: Request) -> Response:
        body = await read(lambda conn: _store.default_llm_headers(conn, request.organization_id))
        return Response(body=body)

    async def set_default_headers(request: Request) -> Response:
        headers = decode_body(dict[str, str], request.body)
        encoded = msgspec.json.encode(headers)
        await write(
            lambda conn: _store.set_default_llm_headers(conn, request.organization_id, encoded)
        )
        return Response(body=encoded)

    # tasks

    async def report_task(request: Request) -> Response:
        report = decode_body(ReportBody, request.body)
        agent_id = request.params["agent_id"]
        org = request.organization_id
        task_id = report.id or str(uuid.uuid4())

        def work(conn: sqlite3.Connection) -> Task:
            agent = _store.get_agent(conn, org, agent_id)
            if agent is None:
                raise _not_found("agent")
            decision = decide_report(
                report,
                existing=_store.get_task(conn, org, task_id),
                task_id=task_id,
                agent_id=agent_id,
                organization_id=org,
                agent_version=agent.version,
                now=now_utc(),
            )
            if isinstance(decision, Failure):
                raise _invalid(decision.failure())
            outcome = decision.unwrap()
            if outcome.is_new:
                _store.put_task(conn, outcome.task, report_fingerprint(agent_id, report))
            return outcome.task

        return json_response(await write(work))

    async def invoke(request: Request) -> Response:
        decoded = decode_invoke_request(request.body)
        if isinstance(decoded, Failure):
            raise _invalid(decoded.failure())
        invoke_request = decoded.unwrap()
        task = await write(
            lambda conn: create_task(
                conn, request.organization_id, request.params["agent_id"], invoke_request
            )
        )
        for listener in list(task_listeners):
            listener(task)
        return json_response(task)

    async def task_status(request: Request) -> Response:
        task = await read(
            lambda conn: _stored_task(conn, request.organization_id, request.params["task_id"])
        )
        return json_response(task)

    async def update_task(request: Request) -> Response:
        update = decode_body(TaskUpdate, request.body)
        task = await write(
            lambda conn: _update_task(
                conn, request.organization_id, request.params["task_id"], update
            )
        )
        return json_response(task)

    async def stop_task(request: Request) -> Response:
        update = TaskUpdate(status=TaskStatus.STOPPED)
        task = await write(
            lambda conn: _update_task(
                conn, request.organization_id, request.params["task_id"], update
            )
        )
        return json_response(task)

    async def history(request: Request) -> Response:
        status = request.query.get("status")
        tasks = await read(
            lambda conn: _store.list_tasks(
                conn, request.organization_id, request.params["agent_id"], status
            )
        )
        return json_response(tasks)

    async def push_events(request: Request) -> Response:
        events = decode_body(list[TaskUpdateEvent], request.body)
        task_id = request.params["task_id"]
        org = request.organization_id
        checked = check_pushed_events(events, task_id, org)
        if isinstance(checked, Failure):
            error = checked.failure()
            raise HttpError(422, "invalid body", field=error.field, reason=error.reason)
        bodies = [to_wire(event) for event in checked.unwrap()]

        def work(conn: sqlite3.Connection) -> None:
            _stored_task(conn, org, task_id)
            _store.insert_events(conn, org, task_id, bodies)

        await write(work)
        return json_response({"stored": len(bodies)})

    async def read_events(request: Request) -> Response:
        org = request.organization_id
        task_id = request.params["task_id"]

        def work(conn: sqlite3.Connection) -> list[bytes]:
            _stored_task(conn, org, task_id)
            return _store.list_events(conn, org, task_id)

        bodies = await read(work)
        return Response(body=b"[" + b",".join(bodies) + b"]")

    async def metrics(request: Request) -> Response:
        return json_response({})

    # MCP OAuth (the local platform is its own identity provider: visiting the login
    # URL stands for the user logging in at the real provider)

    async def get_token(request: Request) -> Response:
        server = decode_body(McpServer, request.body)
        agent_id = request.params["agent_id"]
        org = request.organization_id
        owner = mcp_token_owner(agent_id, request.params["user_id"], server)
        generate = _bool_query(request, "generate_login_url", False)
        force = _bool_query(request, "force_refresh", False)
        prefix = f"{request.origin}/mcp_auth/login/"

        def work(conn: sqlite3.Connection) -> Any:
            if _store.get_agent(conn, org, agent_id) is None:
                raise _not_found("agent")
            server_url = server.url or ""
            decision = mcp_token_step(
                _store.get_login(conn, org, owner, server_url),
                server,
                generate_login_url=generate,
                force_refresh=force,
                new_login_id=secrets.token_urlsafe(24),
                login_url_prefix=prefix,
            )
            if decision.state is not None:
                _store.put_login(conn, org, owner, server_url, decision.state)
            return decision.answer

        return json_response(await write(work))

    async def visit(request: Request) -> Response:
        login_id = request.params["login_id"]

        def work(conn: sqlite3.Connection) -> bool:
            found = _store.login_by_id(conn, login_id)
            if found is None:
                return False
            org, owner, server_url, state = found
            issued = visit_login(state, login_id, secrets.token_urlsafe(32))
            if not isinstance(issued, Success):
                return False
            _store.put_login(conn, org, owner, server_url, issued.unwrap())
            return True

        if not await write(work):
            return Response(
                status=404, body=b"unknown or used login link", content_type="text/plain"
            )
        page = b"<!doctype html><title>Logged in</title><p>Logged in. You can close this window."
        return Response(body=page, content_type="text/html; charset=utf-8")

    # routes the official client calls during get_args (fail-open there)

    async def memories(request: Request) -> Response:
        # Nothing is remembered locally: "disabled" keeps the official client from
        # offering its agent a memory tool whose saves would be lost.
        return json_response({"settings": {"enabled": False}, "user": [], "agent": []})

    async def empty_text(request: Request) -> Response:
        return json_response({"text": ""})

    async def approval_check(request: Request) -> Response:
        return json_response({"type": "allowed"})

    async def session_database(request: Request) -> Response:
        # The hosted platform hands out a Postgres connection string for agno
        # session storage; the local platform has none to give.
        raise HttpError(
            404,
            "the local platform has no session database; "
            "set agno_settings.session_storage to false for this agent",
        )

    async def health(request: Request) -> Response:
        return json_response({"ok": True})

    add = app.router.add
    add("GET", "/health", health, auth=False)
    add("GET", "/agents", list_agents)
    add("POST", "/agents", create_agent)
    add("GET", "/agents/{agent_id}", get_agent)
    add("PUT", "/agents/{agent_id}", update_agent)
    add("GET", "/agents/{agent_id}/versions", agent_versions)
    add("GET", "/agents/{agent_id}/db", session_database)
    add("POST", "/agents/{agent_id}/tool-approvals/check", approval_check)
    add("GET", "/metadata/default_llm_extra_headers", get_default_headers)
    add("PUT", "/metadata/default_llm_extra_headers", set_default_headers)
    add("GET", "/agent-execution/executions/history/{agent_id}", history)
    add("POST", "/agent-execution/{agent_id}/report_task", report_task)
    add("POST", "/agent-execution/{task_id}/events/push", push_events)
    add("GET", "/agent-execution/{task_id}/events", read_events)
    add("POST", "/agent-execution/{agent_id}", invoke)
    add("DELETE", "/agent-execution/{task_id}", stop_task)
    add("GET", "/agent-execution/{task_id}/status", task_status)
    add("PATCH", "/agent-execution/{task_id}/update", update_task)
    add("POST", "/agent-execution/{task_id}/update", update_task)
    add("POST", "/agents-metrics/{agent_id}/execution", metrics)
    add("POST", "/mcp_auth/{agent_id}/{user_id}/get_token", get_token)
    add("GET", "/mcp_auth/login/{login_id}", visit, auth=False)
    add("GET", "/memories/{agent_id}", memories)
    add("POST", "/tools/{agent_id}/channel-presence", empty_text)
    add("POST", "/tools/{agent_id}/dynamic-prompt", empty_text)
