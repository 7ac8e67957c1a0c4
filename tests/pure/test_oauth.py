"""The MCP OAuth login flow as a step function (wire contract, section 7)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import (
    Agent,
    Done,
    EventType,
    InvalidInputError,
    McpAuthData,
    McpAuthError,
    McpAuthResult,
    McpAuthResultType,
    McpAuthTimeoutError,
    McpAuthType,
    McpServer,
    OAuthState,
    PollAgain,
    PushLogin,
    Secret,
    Task,
    TaskInput,
    oauth_step,
    start_oauth,
)
from xpander_pure._oauth import auth_event, mcp_auth_user_id, mcp_servers_for, needs_oauth
from xpander_pure.platform import prepare_agent

TOKEN = "oauth-canary-token-6e2f"
SERVER = McpServer(name="github", url="https://mcp.example.com/github")
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)

LOGIN = McpAuthResult(
    type=McpAuthResultType.LOGIN_REQUIRED,
    data=McpAuthData(
        url="https://login.example.com/x", server_url=SERVER.url, server_name="github"
    ),
)
READY = McpAuthResult(
    type=McpAuthResultType.TOKEN_READY, data=McpAuthData(access_token=Secret(TOKEN))
)


def start() -> OAuthState:
    return start_oauth(SERVER).unwrap()


def test_first_login_required_pushes_the_login_url() -> None:
    _, action = oauth_step(start(), LOGIN, 0).unwrap()
    assert action == PushLogin(
        result=LOGIN, login_url="https://login.example.com/x", poll_after=1.0
    )


def test_later_login_required_polls_again_without_pushing() -> None:
    state, _ = oauth_step(start(), LOGIN, 0).unwrap()
    _, action = oauth_step(state, LOGIN, 5).unwrap()
    assert action == PollAgain(poll_after=1.0)


def test_polling_stops_at_the_timeout() -> None:
    state, _ = oauth_step(start(), LOGIN, 0).unwrap()
    error = oauth_step(state, LOGIN, 600).failure()
    assert isinstance(error, McpAuthTimeoutError)
    assert error.server == "github"


def test_last_poll_never_waits_past_the_deadline() -> None:
    state, _ = oauth_step(start(), LOGIN, 0).unwrap()
    _, action = oauth_step(state, LOGIN, 599.5).unwrap()
    assert action == PollAgain(poll_after=0.5)


def test_token_ready_is_done_with_the_token() -> None:
    _, action = oauth_step(start(), READY, 3).unwrap()
    assert isinstance(action, Done)
    assert action.token.reveal() == TOKEN


def test_ready_event_fills_in_server_url_and_name() -> None:
    _, action = oauth_step(start(), READY, 3).unwrap()
    assert isinstance(action, Done)
    assert (action.ready.data.server_url, action.ready.data.server_name) == (SERVER.url, "github")


def test_token_ready_accepted_even_after_the_timeout() -> None:
    _, action = oauth_step(start(), READY, 10_000).unwrap()
    assert isinstance(action, Done)


def test_token_ready_without_token_fails() -> None:
    empty = McpAuthResult(type=McpAuthResultType.TOKEN_READY)
    assert isinstance(oauth_step(start(), empty, 0).failure(), McpAuthError)


def test_login_required_without_url_fails() -> None:
    no_url = McpAuthResult(type=McpAuthResultType.LOGIN_REQUIRED)
    assert isinstance(oauth_step(start(), no_url, 0).failure(), McpAuthError)


def test_token_issue_fails_with_the_servers_message() -> None:
    issue = McpAuthResult(
        type=McpAuthResultType.TOKEN_ISSUE, data=McpAuthData(message="refresh token revoked")
    )
    error = oauth_step(start(), issue, 0).failure()
    assert error == McpAuthError("github", "refresh token revoked")


def test_not_supported_while_polling_fails_with_the_servers_message() -> None:
    state, _ = oauth_step(start(), LOGIN, 0).unwrap()
    refusal = McpAuthResult(type=McpAuthResultType.NOT_SUPPORTED, data=McpAuthData(message="no"))
    error = oauth_step(state, refusal, 2).failure()
    assert isinstance(error, McpAuthError)
    assert "no" in error.message


def test_negative_elapsed_is_a_typed_error() -> None:
    assert isinstance(oauth_step(start(), LOGIN, -1).failure(), InvalidInputError)


def test_zero_poll_interval_is_a_typed_error() -> None:
    assert start_oauth(SERVER, poll_interval=0).failure().field == "poll_interval"


def test_a_whole_login_driven_by_a_loop() -> None:
    answers = iter([LOGIN, LOGIN, LOGIN, READY])
    state, elapsed, actions = start(), 0.0, []
    answer = next(answers)
    while True:
        state, action = oauth_step(state, answer, elapsed).unwrap()
        actions.append(type(action).__name__)
        if isinstance(action, Done):
            break
        elapsed += action.poll_after
        answer = next(answers)
    assert actions == ["PushLogin", "PollAgain", "PollAgain", "Done"]


# --- user id and events -------------------------------------------------------------


def test_user_id_defaults_to_background() -> None:
    assert mcp_auth_user_id("a1", None, SERVER) == "background"


def test_user_id_is_the_tasks_user_when_tokens_are_shared() -> None:
    assert mcp_auth_user_id("a1", "u7", SERVER) == "u7"


def test_user_id_is_prefixed_with_agent_when_tokens_are_not_shared() -> None:
    server = McpServer(share_user_token_across_other_agents=False)
    assert mcp_auth_user_id("a1", "u7", server) == "a1_u7"


def test_auth_event_carries_the_response_as_wire_builtins() -> None:
    event = auth_event("t1", "o1", NOW, LOGIN)
    assert (event.type, event.data["type"], event.data["data"]["url"]) == (
        EventType.AUTH_EVENT,
        "login_required",
        "https://login.example.com/x",
    )


def test_readiness_event_carries_the_token_as_redacted() -> None:
    _, action = oauth_step(start(), READY, 0).unwrap()
    assert isinstance(action, Done)
    event = auth_event("t1", "o1", NOW, action.ready)
    assert event.data["data"]["access_token"] == "REDACTED"


def test_no_token_anywhere_in_the_pushed_event_or_action_repr() -> None:
    _, action = oauth_step(start(), READY, 0).unwrap()
    assert isinstance(action, Done)
    event = auth_event("t1", "o1", NOW, action.ready)
    assert TOKEN not in msgspec.json.encode(event).decode() + repr(action) + repr(event)


@settings(max_examples=200)
@given(
    kind=st.sampled_from(list(McpAuthResultType)),
    url=st.none() | st.text(max_size=10),
    token=st.none() | st.text(max_size=10),
    message=st.none() | st.text(max_size=10),
    elapsed=st.floats(allow_nan=True, allow_infinity=True),
    pushed=st.booleans(),
)
def test_oauth_step_is_total(
    kind: McpAuthResultType,
    url: str | None,
    token: str | None,
    message: str | None,
    elapsed: float,
    pushed: bool,
) -> None:
    observation = McpAuthResult(
        type=kind,
        data=McpAuthData(
            url=url, message=message, access_token=Secret(token) if token is not None else None
        ),
    )
    state = msgspec.structs.replace(start(), login_pushed=pushed)
    result = oauth_step(state, observation, elapsed)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), InvalidInputError | McpAuthError)
    else:
        assert isinstance(result.unwrap()[1], PushLogin | PollAgain | Done)


anything = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)


@settings(max_examples=200)
@given(poll_interval=anything, timeout=anything)
def test_start_oauth_is_total(poll_interval: Any, timeout: Any) -> None:
    result = start_oauth(McpServer(), poll_interval=poll_interval, timeout=timeout)
    if isinstance(result, Failure):
        assert result.failure().field in ("poll_interval", "timeout")
    else:
        state = result.unwrap()
        assert state.poll_interval > 0 and state.timeout >= 0


def test_start_oauth_refuses_a_text_interval_naming_the_field() -> None:
    result = start_oauth(McpServer(), poll_interval="1")  # type: ignore[arg-type]
    assert result.failure() == InvalidInputError("poll_interval", "must be a finite number > 0")


# --- which servers log in ---


def test_an_oauth2_server_needs_the_login() -> None:
    assert needs_oauth(SERVER_OAUTH)


@given(st.sampled_from([t for t in McpAuthType if t is not McpAuthType.OAUTH2]))
def test_no_other_auth_type_needs_the_login(auth_type: McpAuthType) -> None:
    assert not needs_oauth(McpServer(name="x", auth_type=auth_type))


def test_a_run_uses_the_agents_servers_then_the_tasks() -> None:
    agent = _agent_with([McpServer(name="agent-mcp")])
    task = Task(
        id="t1",
        agent_id=agent.id,
        organization_id="o",
        input=TaskInput(),
        created_at=NOW,
        mcp_servers=[McpServer(name="task-mcp")],
    )
    assert [s.name for s in mcp_servers_for(agent, task)] == ["agent-mcp", "task-mcp"]


def test_without_a_task_a_run_uses_the_agents_servers() -> None:
    agent = _agent_with([McpServer(name="agent-mcp")])
    assert [s.name for s in mcp_servers_for(agent, None)] == ["agent-mcp"]


SERVER_OAUTH = McpServer(name="gh", auth_type=McpAuthType.OAUTH2)


def _agent_with(servers: list[McpServer]) -> Agent:
    definition = {"name": "Bot", "framework": "agno", "model_provider": "openai", "model_name": "m"}
    agent = prepare_agent(definition, organization_id="o", new_id="a", previous=None, now=NOW)
    return msgspec.structs.replace(agent.unwrap(), mcp_servers=servers)
