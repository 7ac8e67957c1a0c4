"""The MCP OAuth login for OAuth MCP servers, driven by the core's step function.

For each MCP server whose ``auth_type`` is ``oauth2``::

    POST /mcp_auth/{agent_id}/{user_id}/get_token?generate_login_url=true
    login_required -> push an auth_event to /agent-execution/{task_id}/events/push,
                      call the auth handlers (explicit callback first, then the
                      registered ones) with the login URL
    poll every ``mcp_auth_poll_interval`` s with generate_login_url=false
    token_ready    -> push an auth_event whose access_token is "REDACTED",
                      call the handlers, and give the server the header
                      ``Authorization: Bearer <token>``
    timeout        -> McpAuthTimeoutError; not_supported/token_issue -> McpAuthError

Without a task there is no task to push events to: nothing is pushed, the
handlers are still called, with ``task=None`` and an event whose ``task_id`` is
``""`` (the user still has to see the login URL). The user id is then
``background``, as for a task without a user.

The login is written once, as an exchange (``authorize_steps``, see
``_steps``) that the sync and the async Backend methods both run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from returns.result import Failure

from xpander_pure import (
    Agent,
    McpAuthResult,
    McpServer,
    Secret,
    Task,
    TaskUpdateEvent,
    decode,
    to_wire,
)
from xpander_pure._addressing import path_segment
from xpander_pure._oauth import (
    Done,
    OAuthState,
    PushLogin,
    auth_event,
    mcp_auth_user_id,
    needs_oauth,
    oauth_step,
    start_oauth,
)
from xpander_pure._routing import route_event
from xpander_pure.frameworks import McpServerAuth

from ._exceptions import InvalidResponseError
from ._handlers import auth_event_handlers
from ._http import ApiRequest
from ._steps import CallHandlers, Send, Sleep, Steps

if TYPE_CHECKING:
    from ._config import Configuration

Handler = Callable[..., Any]


def authorized(server: McpServer, token: Secret) -> McpServerAuth:
    """``server`` with the header ``Authorization: Bearer <token>`` (kept a ``Secret``)."""
    return McpServerAuth(
        server=server, headers={"Authorization": Secret(f"Bearer {token.reveal()}")}
    )


class _Flow:
    """One login: the requests to make and the events to build (no I/O)."""

    def __init__(
        self,
        agent: Agent,
        task: Task | None,
        server: McpServer,
        explicit: Handler | None,
        poll_interval: float,
        timeout: float,
    ) -> None:
        self.agent = agent
        self.task = task
        self.server = server
        self.explicit = explicit
        user = task.input.user if task is not None else None
        self.user_id = mcp_auth_user_id(agent.id, user.id if user else None, server)
        self.state: OAuthState = start_oauth(
            server, poll_interval=poll_interval, timeout=timeout
        ).unwrap()

    def token_request(self, generate_login_url: bool) -> ApiRequest:
        return ApiRequest(
            method="POST",
            route=(
                f"/mcp_auth/{path_segment(self.agent.id)}/{path_segment(self.user_id)}/get_token"
            ),
            params={
                "generate_login_url": "true" if generate_login_url else "false",
                "is_app": "false",
                "force_refresh": "false",
            },
            body=to_wire(self.server),
            secrets=self.server.secret_values(),
        )

    def answer(self, content: bytes) -> McpAuthResult:
        result = decode(McpAuthResult, content)
        if isinstance(result, Failure):
            error = result.failure()
            raise InvalidResponseError("MCP token answer", error.field, error.reason)
        return result.unwrap()

    def event(self, result: McpAuthResult) -> TaskUpdateEvent:
        now = datetime.now(timezone.utc)
        if self.task is None:
            return auth_event("", self.agent.organization_id, now, result)
        return auth_event(self.task.id, self.task.organization_id, now, result)

    def push_request(self, event: TaskUpdateEvent) -> ApiRequest | None:
        if self.task is None:
            return None
        return ApiRequest(
            method="POST",
            route=f"/agent-execution/{path_segment(self.task.id)}/events/push",
            body=to_wire([event]),
            # A repeated push would show the user the same login twice.
            retryable=False,
        )

    def handlers(self, event: TaskUpdateEvent) -> tuple[Handler, ...]:
        return route_event(event, self.explicit, auth_event_handlers.handlers()).unwrap()

    def step(self, answer: McpAuthResult, elapsed: float) -> PushLogin | Done | float:
        """The action: push the login, done, or seconds to wait before polling again."""
        outcome = oauth_step(self.state, answer, elapsed)
        if isinstance(outcome, Failure):
            raise outcome.failure()
        self.state, action = outcome.unwrap()
        if isinstance(action, (PushLogin, Done)):
            return action
        return action.poll_after


def authorize_steps(
    configuration: Configuration,
    agent: Agent,
    task: Task | None,
    server: McpServer,
    explicit: Handler | None,
) -> Steps[McpServerAuth]:
    """The login for one server (run by ``run``/``arun``); ``server`` with its bearer header."""
    flow = _Flow(
        agent,
        task,
        server,
        explicit,
        configuration.mcp_auth_poll_interval,
        configuration.mcp_auth_timeout,
    )
    started = time.monotonic()
    (content,) = yield Send((flow.token_request(generate_login_url=True),))
    while True:
        action = flow.step(flow.answer(content), time.monotonic() - started)
        if isinstance(action, (PushLogin, Done)):
            event = flow.event(action.result if isinstance(action, PushLogin) else action.ready)
            push = flow.push_request(event)
            if push is not None:
                yield Send((push,))
            yield CallHandlers(flow.handlers(event), agent, task, event)
            if isinstance(action, Done):
                return authorized(server, action.token)
            delay = action.poll_after
        else:
            delay = action
        yield Sleep(delay)
        (content,) = yield Send((flow.token_request(generate_login_url=False),))


def authorize_all_steps(
    configuration: Configuration,
    agent: Agent,
    task: Task | None,
    servers: Sequence[McpServer],
    explicit: Handler | None,
) -> Steps[list[McpServerAuth]]:
    """Every server, OAuth ones logged in (one after the other: one login at a time)."""
    out = []
    for server in servers:
        if needs_oauth(server):
            out.append((yield from authorize_steps(configuration, agent, task, server, explicit)))
        else:
            out.append(McpServerAuth(server=server))
    return out


__all__ = ["authorize_all_steps", "authorize_steps", "authorized"]
