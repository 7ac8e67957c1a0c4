"""The MCP OAuth login flow (wire contract, section 7) as a step function.

The shell asks the platform for a token and feeds every answer to
``oauth_step`` with the seconds elapsed since the flow began; the step says
what to do next. The same loop serves the sync shell (``time.sleep``,
``httpx.Client``) and the async one (``asyncio.sleep``, ``httpx.AsyncClient``)::

    state = start_oauth(server)
    user_id = mcp_auth_user_id(agent_id, task_user_id, server)
    answer = get_token(user_id, generate_login_url=True)     # POST .../get_token
    started = monotonic()
    while True:
        outcome = oauth_step(state, answer, monotonic() - started)
        if isinstance(outcome, Failure):
            raise outcome.failure()                          # McpAuthError / McpAuthTimeoutError
        state, action = outcome.unwrap()
        if isinstance(action, Done):
            push([auth_event(task.id, task.organization_id, now(), action.ready)])
            return action.token                              # Authorization: Bearer <token>
        if isinstance(action, PushLogin):
            push([auth_event(task.id, task.organization_id, now(), action.result)])
            call_auth_handlers(route_event(event, explicit, registered))
        sleep(action.poll_after)
        answer = get_token(user_id, generate_login_url=False)

``PushLogin`` and ``PollAgain`` both end with a wait of ``poll_after`` seconds
and a new question with ``generate_login_url=false``. The readiness event
(``Done.ready``) carries the token only as the literal ``"REDACTED"``: the
token itself is in ``Done.token``, a ``Secret``.

Decisions: the login event is pushed once, for the first ``login_required``;
``not_supported`` and ``token_issue`` end the flow at any point with the
server's message (the official client ignores them while polling and waits
the full ten minutes); polling stops once ``elapsed`` reaches ``timeout``; a
``token_ready`` answer is accepted whenever it comes.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import msgspec
from returns.result import Failure, Result, Success

from ._agent import Agent
from ._codec import to_wire_builtins
from ._enums import EventType, McpAuthResultType, McpAuthType
from ._errors import InvalidInputError, McpAuthError, McpAuthTimeoutError
from ._events import TaskUpdateEvent
from ._mcp import McpAuthResult, McpServer
from ._secret import Secret
from ._task import Task

TOKEN_REDACTED = "REDACTED"
"""What the readiness event carries instead of the access token (the official literal)."""

POLL_INTERVAL = 1.0
LOGIN_TIMEOUT = 600.0
BACKGROUND_USER = "background"


class OAuthState(msgspec.Struct, kw_only=True, frozen=True):
    """Where the login flow stands. Start it with ``start_oauth``."""

    server_name: str | None = None
    server_url: str | None = None
    poll_interval: float = POLL_INTERVAL
    timeout: float = LOGIN_TIMEOUT
    login_pushed: bool = False

    @property
    def label(self) -> str:
        """How errors name the server: its name, else its URL."""
        return self.server_name or self.server_url or "unnamed"


class PushLogin(msgspec.Struct, kw_only=True, frozen=True):
    """Push an auth event with ``result``, call the auth handlers, then poll after ``poll_after``.

    ``login_url`` is where the user logs in (also in ``result.data.url``).
    """

    result: McpAuthResult
    login_url: str
    poll_after: float


class PollAgain(msgspec.Struct, kw_only=True, frozen=True):
    """Ask again (``generate_login_url=false``) after ``poll_after`` seconds."""

    poll_after: float


class Done(msgspec.Struct, kw_only=True, frozen=True):
    """The token is ready: push an auth event with ``ready``, then use ``token``."""

    token: Secret
    ready: McpAuthResult


OAuthAction = PushLogin | PollAgain | Done


def mcp_servers_for(agent: Agent, task: Task | None) -> list[McpServer]:
    """The MCP servers a run uses: the agent's (its graph's first), then the task's."""
    servers = list(agent.graph_mcp_servers)
    if task is not None:
        servers += task.mcp_servers
    return servers


def needs_oauth(server: McpServer) -> bool:
    """Whether the login flow runs for ``server``: only when its ``auth_type`` is ``oauth2``.

    >>> needs_oauth(McpServer(auth_type=McpAuthType.OAUTH2))
    True
    >>> needs_oauth(McpServer())
    False
    """
    return server.auth_type is McpAuthType.OAUTH2


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def start_oauth(
    server: McpServer, *, poll_interval: float = POLL_INTERVAL, timeout: float = LOGIN_TIMEOUT
) -> Result[OAuthState, InvalidInputError]:
    """The first state of a login to ``server`` (poll every second, give up after 600 s)."""
    if not (_is_number(poll_interval) and math.isfinite(poll_interval) and poll_interval > 0):
        return Failure(InvalidInputError("poll_interval", "must be a finite number > 0"))
    if not (_is_number(timeout) and math.isfinite(timeout) and timeout >= 0):
        return Failure(InvalidInputError("timeout", "must be a finite number >= 0"))
    return Success(
        OAuthState(
            server_name=server.name,
            server_url=server.url,
            poll_interval=float(poll_interval),
            timeout=float(timeout),
        )
    )


def oauth_step(
    state: OAuthState, observation: McpAuthResult, elapsed: float
) -> Result[tuple[OAuthState, OAuthAction], InvalidInputError | McpAuthError]:
    """The next action after the token service answered ``observation``.

    ``elapsed`` is the seconds since the flow started (the shell's monotonic
    clock). Failures: ``McpAuthError`` with the server's message
    (``not_supported``, ``token_issue``, or an answer missing what its type
    promises), ``McpAuthTimeoutError`` when polling ran out of time,
    ``InvalidInputError`` for a negative or non-finite ``elapsed``.
    """
    if not (isinstance(elapsed, (int, float)) and math.isfinite(elapsed) and elapsed >= 0):
        return Failure(InvalidInputError("elapsed", "must be a finite number >= 0"))
    data = observation.data
    kind = observation.type
    if kind is McpAuthResultType.TOKEN_READY:
        token = data.access_token
        if token is None or not token.reveal().strip():
            return Failure(McpAuthError(state.label, "token_ready answer without an access token"))
        ready = McpAuthResult(
            type=McpAuthResultType.TOKEN_READY,
            data=msgspec.structs.replace(
                data,
                server_url=data.server_url or state.server_url,
                server_name=data.server_name or state.server_name,
            ),
        )
        return Success((state, Done(token=token, ready=ready)))
    if kind in (McpAuthResultType.NOT_SUPPORTED, McpAuthResultType.TOKEN_ISSUE):
        message = data.message or kind.value.replace("_", " ")
        return Failure(McpAuthError(state.label, message))
    # login_required
    if elapsed >= state.timeout:
        return Failure(McpAuthTimeoutError(state.label, state.timeout))
    poll_after = min(state.poll_interval, state.timeout - elapsed)
    if state.login_pushed:
        return Success((state, PollAgain(poll_after=poll_after)))
    login_url = data.url
    if not login_url or not login_url.strip():
        return Failure(McpAuthError(state.label, "login_required answer without a login url"))
    pushed = msgspec.structs.replace(state, login_pushed=True)
    return Success(
        (pushed, PushLogin(result=observation, login_url=login_url, poll_after=poll_after))
    )


def mcp_auth_user_id(agent_id: str, user_id: str | None, server: McpServer) -> str:
    """The ``user_id`` path segment of ``/mcp_auth/{agent_id}/{user_id}/get_token``.

    The task's user (``background`` when there is none), prefixed with the
    agent id when the server does not share a user's token across agents.

    >>> from xpander_pure import McpServer
    >>> mcp_auth_user_id("a1", None, McpServer())
    'background'
    >>> mcp_auth_user_id("a1", "u7", McpServer(share_user_token_across_other_agents=False))
    'a1_u7'
    """
    user = user_id if user_id else BACKGROUND_USER
    return user if server.share_user_token_across_other_agents else f"{agent_id}_{user}"


def _redacted(result: McpAuthResult) -> dict[str, Any]:
    # to_wire_builtins reveals secrets: the token is replaced right after,
    # before the value leaves this function.
    body: dict[str, Any] = to_wire_builtins(result)
    data = dict(body.get("data") or {})
    if data.get("access_token") is not None or result.type is McpAuthResultType.TOKEN_READY:
        data["access_token"] = TOKEN_REDACTED
    body["data"] = data
    return body


def auth_event(
    task_id: str, organization_id: str, time: datetime, result: McpAuthResult
) -> TaskUpdateEvent:
    """The ``auth_event`` to push for a token-service answer; any token is ``"REDACTED"``.

    >>> from datetime import datetime, timezone
    >>> from xpander_pure import McpAuthData, McpAuthResult, McpAuthResultType, Secret
    >>> ready = McpAuthResult(type=McpAuthResultType.TOKEN_READY,
    ...                       data=McpAuthData(access_token=Secret("tok"), server_name="gh"))
    >>> event = auth_event("t1", "o1", datetime(2025, 1, 1, tzinfo=timezone.utc), ready)
    >>> event.data["data"]["access_token"], event.data["data"]["server_name"]
    ('REDACTED', 'gh')
    """
    return TaskUpdateEvent(
        task_id=task_id,
        organization_id=organization_id,
        time=time,
        type=EventType.AUTH_EVENT,
        data=_redacted(result),
    )


__all__ = [
    "BACKGROUND_USER",
    "LOGIN_TIMEOUT",
    "POLL_INTERVAL",
    "TOKEN_REDACTED",
    "Done",
    "OAuthAction",
    "OAuthState",
    "PollAgain",
    "PushLogin",
    "auth_event",
    "mcp_auth_user_id",
    "mcp_servers_for",
    "needs_oauth",
    "oauth_step",
    "start_oauth",
]
