"""Domain rules of the local platform: pure decisions the ASGI app persists.

The app decodes a request, reads what is stored, calls one function here, and
writes what it returns. Identifiers, tokens and the time are passed in: nothing
here draws a random number or reads the clock.

Decisions made here (and documented in the README's "Local platform" section):

- Task status: ``pending`` may go anywhere; ``executing`` and ``paused`` may go
  to each other or to an end state; an end state (``completed``, ``error``,
  ``failed``, ``stopped``) is final: changing it is refused (field ``status``,
  HTTP 422). Saving a task with its current status is always allowed (a
  retried save).
- Reports are idempotent by task id: the same id with the same body answers
  the stored Task; the same id with another body, another agent, or an id that
  belongs to a task not created by a report is a ``ConflictError`` on field
  ``id`` (HTTP 422).
- Invoking with the id of an existing task starts a new run of that task (a
  new turn of the conversation) only when the task has ended; invoking a
  running task is a ``ConflictError`` on field ``id`` (HTTP 422).
- Conflicts like these never go away, so they are answered 422, which clients
  do not retry; 409, which clients retry, is not used.
- Organisations are isolated: a resource of another organisation is reported
  exactly as a missing one (404), never as forbidden.
- MCP OAuth login: no state -> ``login_required`` (a new login id) -> the
  login URL is visited -> ``token_ready``. Tokens belong to the user (the
  ``user_id`` path segment), or to the agent and the user when the server says
  its tokens are not shared across agents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import msgspec
from returns.result import Failure, Result, Success

from .._agent import Agent
from .._codec import decode
from .._enums import McpAuthResultType, McpAuthType, OutputFormat, TaskStatus
from .._errors import (
    ConflictError,
    DecodeError,
    InvalidInputError,
    InvalidTransitionError,
    UnknownResourceError,
)
from .._events import TaskUpdateEvent
from .._mcp import McpAuthData, McpAuthResult, McpServer
from .._secret import Secret
from .._task import Task, TaskInput, Tokens

__all__ = [
    "END_STATES",
    "LOCAL_ENVIRONMENT_ID",
    "TASK_TRANSITIONS",
    "ExistingTask",
    "InvokeRequest",
    "LoginPending",
    "LoginState",
    "McpTokenDecision",
    "ReportBody",
    "ReportDecision",
    "TaskUpdate",
    "TokenIssued",
    "apply_task_update",
    "check_organization",
    "check_pushed_events",
    "check_transition",
    "decide_invoke",
    "decide_report",
    "decode_invoke_request",
    "mcp_token_owner",
    "mcp_token_step",
    "prepare_agent",
    "report_fingerprint",
    "unique_name_for",
    "visit_login",
]

END_STATES: frozenset[TaskStatus] = frozenset(
    {TaskStatus.COMPLETED, TaskStatus.ERROR, TaskStatus.FAILED, TaskStatus.STOPPED}
)
_RUNNING = frozenset({TaskStatus.EXECUTING, TaskStatus.PAUSED})

TASK_TRANSITIONS: Mapping[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.PENDING: frozenset(TaskStatus),
    TaskStatus.EXECUTING: _RUNNING | END_STATES,
    TaskStatus.PAUSED: _RUNNING | END_STATES,
    **{status: frozenset({status}) for status in END_STATES},
}
"""For each status, the statuses a task may be saved with next (itself included)."""


def check_transition(
    current: TaskStatus, new: TaskStatus
) -> Result[TaskStatus, InvalidTransitionError]:
    """Allow ``current -> new`` or say why not.

    >>> check_transition(TaskStatus.PENDING, TaskStatus.EXECUTING).unwrap()
    <TaskStatus.EXECUTING: 'executing'>
    >>> check_transition(TaskStatus.COMPLETED, TaskStatus.EXECUTING).failure().reason
    'task has ended (completed)'
    """
    if new in TASK_TRANSITIONS[current]:
        return Success(new)
    if current in END_STATES:
        return Failure(InvalidTransitionError("status", f"task has ended ({current.value})"))
    return Failure(
        InvalidTransitionError("status", f"cannot go from {current.value!r} to {new.value!r}")
    )


def check_pushed_events(
    events: list[TaskUpdateEvent], task_id: str, organization_id: str
) -> Result[list[TaskUpdateEvent], InvalidInputError]:
    """Events pushed to task ``task_id`` by a key of ``organization_id``: each must name
    both; the first that does not is refused with its path (``$[1].task_id``).

    >>> from datetime import datetime, timezone
    >>> from xpander_pure import EventType
    >>> event = TaskUpdateEvent(task_id="t2", organization_id="o1", type=EventType.CHUNK,
    ...                         time=datetime(2025, 1, 1, tzinfo=timezone.utc))
    >>> check_pushed_events([event], "t1", "o1").failure().field
    '$[0].task_id'
    """
    for index, event in enumerate(events):
        if event.task_id != task_id:
            return Failure(InvalidInputError(f"$[{index}].task_id", "not this task"))
        if event.organization_id != organization_id:
            return Failure(
                InvalidInputError(f"$[{index}].organization_id", "not the key's organisation")
            )
    return Success(events)


def check_organization(
    key_organization: str, requested: str | None
) -> Result[str, UnknownResourceError]:
    """The organisation a request acts for: the key's; a different one named in the URL is 404.

    >>> check_organization("org-1", None).unwrap()
    'org-1'
    >>> check_organization("org-1", "org-2").failure().kind
    'organization'
    """
    if requested is None or requested == key_organization:
        return Success(key_organization)
    return Failure(UnknownResourceError("organization", requested))


# --- agents -------------------------------------------------------------------------------

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def unique_name_for(name: str) -> str:
    """A URL-safe unique name derived from a human name.

    >>> unique_name_for("Support Bot (EU)")
    'support-bot-eu'
    """
    return _NOT_SLUG.sub("-", name.lower()).strip("-") or "agent"


LOCAL_ENVIRONMENT_ID = "local"
"""The ``environment_id`` of agents whose definition names none."""


def prepare_agent(
    definition: Mapping[str, Any],
    *,
    organization_id: str,
    new_id: str,
    previous: Agent | None,
    now: datetime,
) -> Result[Agent, InvalidInputError]:
    """Turn a definition (decoded JSON or TOML) into the next stored version of an agent.

    ``previous`` is the latest stored version when the definition names an
    existing agent. The organisation is the caller's (a different one in the
    definition is refused), ``version`` is always the next one (a value in the
    definition is ignored), ``unique_name`` defaults to a slug of ``name``, ``environment_id`` to
    ``LOCAL_ENVIRONMENT_ID``.
    """
    if not isinstance(definition, Mapping):
        return Failure(InvalidInputError("$", "an agent definition must be an object"))
    given_org = definition.get("organization_id")
    if given_org is not None and given_org != organization_id:
        return Failure(
            InvalidInputError("$.organization_id", "does not match the key's organisation")
        )
    name = definition.get("name")
    if isinstance(name, str) and not name.strip():
        return Failure(InvalidInputError("$.name", "must not be empty"))
    fields = dict(definition)
    fields["id"] = previous.id if previous is not None else fields.get("id") or new_id
    fields["organization_id"] = organization_id
    fields["version"] = previous.version + 1 if previous is not None else 1
    if isinstance(name, str) and not fields.get("unique_name"):
        fields["unique_name"] = unique_name_for(name)
    if not fields.get("environment_id"):
        # The official client's Agent model requires a string here.
        fields["environment_id"] = LOCAL_ENVIRONMENT_ID
    fields["created_at"] = (
        previous.created_at if previous is not None and previous.created_at else now
    )
    return decode(Agent, fields)


# --- reports ------------------------------------------------------------------------------


class ReportBody(msgspec.Struct, kw_only=True, frozen=True):
    """Body of ``POST /agent-execution/{agent_id}/report_task`` as the official client sends it."""

    id: str | None = None
    input: str | None = None
    llm_response: Any = None
    tokens: Tokens | None = None
    is_success: bool = True
    result: str | None = None
    duration: Annotated[float, msgspec.Meta(ge=0)] = 0
    used_tools: list[str] | None = None


class ExistingTask(msgspec.Struct, kw_only=True, frozen=True):
    """A stored task and the fingerprint of the report that created it (None if invoked)."""

    task: Task
    report_fingerprint: str | None = None


class ReportDecision(msgspec.Struct, kw_only=True, frozen=True):
    """What to do with a report: store ``task`` (``is_new``) or answer it as it is."""

    task: Task
    is_new: bool


def report_fingerprint(agent_id: str, report: ReportBody) -> str:
    """A digest of what was reported, to tell a retry from a different report with the same id."""
    canonical = msgspec.json.encode([agent_id, msgspec.to_builtins(report)], order="sorted")
    return hashlib.sha256(canonical).hexdigest()


def decide_report(
    report: ReportBody,
    *,
    existing: ExistingTask | None,
    task_id: str,
    agent_id: str,
    organization_id: str,
    agent_version: int,
    now: datetime,
) -> Result[ReportDecision, ConflictError]:
    """Store a new task for the report, answer the stored one for a retry, or refuse a clash.

    ``task_id`` is the report's id, or a fresh id from the shell when it has none.
    """
    fingerprint = report_fingerprint(agent_id, report)
    if existing is not None:
        if existing.report_fingerprint == fingerprint:
            return Success(ReportDecision(task=existing.task, is_new=False))
        if existing.report_fingerprint is None:
            return Failure(ConflictError("id", "a task with this id exists and was not reported"))
        return Failure(ConflictError("id", "already reported with a different body"))
    status = TaskStatus.COMPLETED if report.is_success else TaskStatus.FAILED
    task = Task(
        id=task_id,
        agent_id=agent_id,
        organization_id=organization_id,
        input=TaskInput(text=report.input or ""),
        created_at=now,
        status=status,
        agent_version=str(agent_version),
        started_at=now,
        finished_at=now,
        result=report.result,
        source="external",
        tokens=report.tokens,
        used_tools=list(report.used_tools or []),
        duration=report.duration,
    )
    return Success(ReportDecision(task=task, is_new=True))


# --- invoking and saving tasks ------------------------------------------------------------


class InvokeRequest(msgspec.Struct, kw_only=True, frozen=True):
    """Body of ``POST /agent-execution/{agent_id}`` (fields the local platform keeps)."""

    id: str | None = None
    input: TaskInput = TaskInput()
    payload_extension: dict[str, Any] | None = None
    source: str | None = None
    worker_id: str | None = None
    output_format: OutputFormat | None = None
    output_schema: dict[str, Any] | None = None
    run_locally: bool | None = None
    events_streaming: bool | None = None
    additional_context: str | None = None
    instructions_override: str | None = None
    test_run_node_id: str | None = None
    user_oidc_token: Secret | None = None
    expected_output: str | None = None
    mcp_servers: list[McpServer] = []
    triggering_agent_id: str | None = None
    title: str | None = None
    think_mode: str | None = None
    disable_attachment_injection: bool | None = None


def decode_invoke_request(body: bytes) -> Result[InvokeRequest, DecodeError]:
    """Decode an invocation body; an empty body is an empty request.

    The official client sends ``input.files`` as ``null`` when it has no files:
    that is read as no files.

    >>> decode_invoke_request(b'{"input": {"text": "hi", "files": null}}').unwrap().input.files
    []
    """
    if not body.strip():
        return Success(InvokeRequest())
    raw = decode(dict[str, Any], body)
    if isinstance(raw, Failure):
        return Failure(raw.failure())
    value = raw.unwrap()
    given = value.get("input")
    if isinstance(given, dict) and "files" in given and given["files"] is None:
        value["input"] = {k: v for k, v in given.items() if k != "files"}
    return decode(InvokeRequest, value)


def decide_invoke(
    request: InvokeRequest,
    *,
    existing: Task | None,
    task_id: str,
    agent: Agent,
    now: datetime,
) -> Result[Task, ConflictError]:
    """The pending task to store for an invocation; a running task cannot be invoked again."""
    if existing is not None:
        if existing.agent_id != agent.id:
            return Failure(ConflictError("id", "the task belongs to another agent"))
        if existing.status not in END_STATES:
            return Failure(ConflictError("id", f"the task is still {existing.status.value}"))
    return Success(
        Task(
            id=existing.id if existing is not None else task_id,
            agent_id=agent.id,
            organization_id=agent.organization_id,
            input=request.input,
            created_at=existing.created_at if existing is not None else now,
            status=TaskStatus.PENDING,
            agent_version=str(agent.version),
            source=request.source,
            output_format=request.output_format or agent.output_format,
            output_schema=request.output_schema or agent.output_schema,
            additional_context=request.additional_context,
            instructions_override=request.instructions_override,
            expected_output=request.expected_output,
            mcp_servers=request.mcp_servers,
            user_oidc_token=request.user_oidc_token,
            title=request.title,
            think_mode=request.think_mode,
            payload_extension=request.payload_extension,
        )
    )


class TaskUpdate(msgspec.Struct, kw_only=True, frozen=True):
    """Body of ``PATCH /agent-execution/{task_id}/update``: the fields a save may change.

    The official worker sends the whole task; identity fields (id, agent,
    organisation, input, created_at) are ignored because a save cannot change them.
    """

    status: TaskStatus | msgspec.UnsetType = msgspec.UNSET
    result: str | msgspec.UnsetType | None = msgspec.UNSET
    tokens: Tokens | msgspec.UnsetType | None = msgspec.UNSET
    used_tools: list[str] | msgspec.UnsetType | None = msgspec.UNSET
    duration: Annotated[float, msgspec.Meta(ge=0)] | msgspec.UnsetType = msgspec.UNSET
    title: str | msgspec.UnsetType | None = msgspec.UNSET
    payload_extension: dict[str, Any] | msgspec.UnsetType | None = msgspec.UNSET


def apply_task_update(
    task: Task, update: TaskUpdate, *, now: datetime
) -> Result[Task, InvalidTransitionError]:
    """The task after a save, with start and finish times set on the matching transitions."""
    status = task.status if update.status is msgspec.UNSET else update.status

    def build(new_status: TaskStatus) -> Task:
        changes: dict[str, Any] = {"status": new_status}
        for name in ("result", "tokens", "duration", "title", "payload_extension"):
            value = getattr(update, name)
            if value is not msgspec.UNSET:
                changes[name] = value
        if update.used_tools is not msgspec.UNSET:
            changes["used_tools"] = list(update.used_tools or [])
        if new_status is not TaskStatus.PENDING and task.started_at is None:
            changes["started_at"] = now
        if new_status in END_STATES and task.finished_at is None:
            changes["finished_at"] = now
        return msgspec.structs.replace(task, **changes)

    return check_transition(task.status, status).map(build)


# --- MCP OAuth login ----------------------------------------------------------------------


class LoginPending(msgspec.Struct, kw_only=True, frozen=True, tag="pending"):
    """A login URL was handed out and not visited yet."""

    login_id: str


class TokenIssued(msgspec.Struct, kw_only=True, frozen=True, tag="ready"):
    """The login URL was visited: the user's token for this server."""

    access_token: Secret


LoginState = LoginPending | TokenIssued


class McpTokenDecision(msgspec.Struct, kw_only=True, frozen=True):
    """The state to store (``None``: leave as it is) and the answer to send."""

    state: LoginState | None
    answer: McpAuthResult


def mcp_token_owner(agent_id: str, user_id: str, server: McpServer) -> str:
    """Who a token belongs to: the user, or ``{agent_id}_{user_id}`` when not shared.

    The official client already puts the agent in ``user_id`` when the server
    does not share tokens; the platform applies the same rule so that a client
    which does not still cannot read another agent's token.

    >>> mcp_token_owner("a1", "u1", McpServer(share_user_token_across_other_agents=False))
    'a1_u1'
    >>> mcp_token_owner("a1", "a1_u1", McpServer(share_user_token_across_other_agents=False))
    'a1_u1'
    >>> mcp_token_owner("a1", "u1", McpServer())
    'u1'
    """
    if server.share_user_token_across_other_agents or user_id.startswith(f"{agent_id}_"):
        return user_id
    return f"{agent_id}_{user_id}"


def _auth_data(
    server: McpServer,
    *,
    message: str | None = None,
    url: str | None = None,
    access_token: Secret | None = None,
) -> McpAuthData:
    return McpAuthData(
        server_url=server.url,
        server_name=server.name,
        message=message,
        url=url,
        access_token=access_token,
    )


def mcp_token_step(
    state: LoginState | None,
    server: McpServer,
    *,
    generate_login_url: bool,
    force_refresh: bool,
    new_login_id: str,
    login_url_prefix: str,
) -> McpTokenDecision:
    """Answer ``get_token`` for one (owner, server). Total: every input has an answer.

    ``new_login_id`` is used only when a new login starts; the login URL is
    ``login_url_prefix + login_id``.
    """
    if server.auth_type is not McpAuthType.OAUTH2:
        return McpTokenDecision(
            state=None,
            answer=McpAuthResult(
                type=McpAuthResultType.NOT_SUPPORTED,
                data=_auth_data(server, message="the server does not use OAuth"),
            ),
        )
    if not server.url:
        return McpTokenDecision(
            state=None,
            answer=McpAuthResult(
                type=McpAuthResultType.TOKEN_ISSUE,
                data=_auth_data(server, message="the server has no url"),
            ),
        )
    if isinstance(state, TokenIssued) and not force_refresh:
        return McpTokenDecision(
            state=None,
            answer=McpAuthResult(
                type=McpAuthResultType.TOKEN_READY,
                data=_auth_data(server, access_token=state.access_token),
            ),
        )
    if isinstance(state, LoginPending) and not generate_login_url:
        return McpTokenDecision(
            state=None,
            answer=McpAuthResult(
                type=McpAuthResultType.LOGIN_REQUIRED,
                data=_auth_data(server, url=login_url_prefix + state.login_id),
            ),
        )
    if not generate_login_url:
        return McpTokenDecision(
            state=None,
            answer=McpAuthResult(
                type=McpAuthResultType.TOKEN_ISSUE,
                data=_auth_data(server, message="no login in progress; ask for a login url"),
            ),
        )
    return McpTokenDecision(
        state=LoginPending(login_id=new_login_id),
        answer=McpAuthResult(
            type=McpAuthResultType.LOGIN_REQUIRED,
            data=_auth_data(server, url=login_url_prefix + new_login_id),
        ),
    )


def visit_login(
    state: LoginState | None, login_id: str, new_token: str
) -> Result[TokenIssued, UnknownResourceError]:
    """The login URL was visited: issue ``new_token`` if that login is the pending one."""
    if isinstance(state, LoginPending) and state.login_id == login_id:
        return Success(TokenIssued(access_token=Secret(new_token)))
    return Failure(UnknownResourceError("login", "(unknown)"))
