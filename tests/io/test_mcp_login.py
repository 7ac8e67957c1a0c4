"""The MCP OAuth login end to end against the local platform (its login link stands in
for the identity provider: visiting it issues the token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from backend_support import FAST_RETRIES, Served, agent_definition, mcp_authorization

from xpander_io import (
    Backend,
    Configuration,
    McpAuthTimeoutError,
    TaskUpdateEvent,
    auth_event_handlers,
    on_auth_event,
)
from xpander_pure import Task

OAUTH_SERVER = {
    "name": "github",
    "type": "remote",
    "url": "http://127.0.0.1:1/mcp",
    "transport": "streamable-http",
    "auth_type": "oauth2",
}


def _oauth_config(tmp_path: Path, **options: Any) -> Configuration:
    options.setdefault("mcp_auth_poll_interval", 0.02)
    options.setdefault("mcp_auth_timeout", 10.0)
    config = Configuration.local(tmp_path, retry_policy=FAST_RETRIES, **options)
    assert config.platform is not None and config.organization_id is not None
    config.platform.put_agent(
        config.organization_id, agent_definition("agent-oauth", mcp_servers=[OAUTH_SERVER])
    )
    return config


def _task(config: Configuration) -> Task:
    assert config.platform is not None and config.organization_id is not None
    return config.platform.create_task(config.organization_id, "agent-oauth", "hello")


class User:
    """Plays the user: receives auth events and logs in at the login URL."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None) -> None:
        self.transport = transport
        self.events: list[TaskUpdateEvent] = []
        self.tasks: list[Task | None] = []

    async def __call__(self, agent: Any, task: Task | None, event: TaskUpdateEvent) -> None:
        self.events.append(event)
        self.tasks.append(task)
        if event.data["type"] == "login_required":
            async with httpx.AsyncClient(transport=self.transport) as client:
                answer = await client.get(event.data["data"]["url"])
                assert answer.status_code == 200


def _bearer(args: dict[str, Any]) -> str:
    return mcp_authorization(args)


@pytest.mark.anyio
async def test_login_flow_authorises_the_mcp_server_with_the_token(tmp_path: Path) -> None:
    config = _oauth_config(tmp_path)
    user = User(config.async_transport())
    async with Backend(config) as backend:
        args = await backend.aget_args(
            agent_id="agent-oauth", task=_task(config), auth_events_callback=user
        )
    bearer = _bearer(args)
    assert bearer.startswith("Bearer ") and len(bearer) > len("Bearer REDACTED")


@pytest.mark.anyio
async def test_handlers_see_the_login_url_then_a_redacted_token(tmp_path: Path) -> None:
    config = _oauth_config(tmp_path)
    user = User(config.async_transport())
    async with Backend(config) as backend:
        await backend.aget_args(
            agent_id="agent-oauth", task=_task(config), auth_events_callback=user
        )
    kinds = [e.data["type"] for e in user.events]
    assert kinds == ["login_required", "token_ready"]
    assert user.events[0].data["data"]["url"].startswith("http")
    assert user.events[1].data["data"]["access_token"] == "REDACTED"


@pytest.mark.anyio
async def test_auth_events_are_pushed_to_the_task_with_the_token_redacted(tmp_path: Path) -> None:
    config = _oauth_config(tmp_path)
    task = _task(config)
    user = User(config.async_transport())
    async with Backend(config) as backend:
        args = await backend.aget_args(agent_id="agent-oauth", task=task, auth_events_callback=user)
    assert config.platform is not None and config.organization_id is not None
    pushed = config.platform.list_events(config.organization_id, task.id)
    auth = [e for e in pushed if e["type"] == "auth_event"]
    assert [e["data"]["type"] for e in auth] == ["login_required", "token_ready"]
    token = _bearer(args).removeprefix("Bearer ")
    assert token not in str(pushed)


@pytest.mark.anyio
async def test_explicit_callback_runs_before_registered_handlers(tmp_path: Path) -> None:
    config = _oauth_config(tmp_path)
    order: list[str] = []
    user = User(config.async_transport())

    async def explicit(agent: Any, task: Any, event: TaskUpdateEvent) -> None:
        order.append("explicit")
        await user(agent, task, event)

    with auth_event_handlers.scoped():

        @on_auth_event
        def registered(agent: Any, task: Any, event: Any) -> None:
            order.append("registered")

        async with Backend(config) as backend:
            await backend.aget_args(
                agent_id="agent-oauth", task=_task(config), auth_events_callback=explicit
            )
    assert order == ["explicit", "registered", "explicit", "registered"]


@pytest.mark.anyio
async def test_without_a_task_handlers_get_task_none_and_the_flow_completes(
    tmp_path: Path,
) -> None:
    config = _oauth_config(tmp_path)
    user = User(config.async_transport())
    async with Backend(config) as backend:
        args = await backend.aget_args(agent_id="agent-oauth", auth_events_callback=user)
    assert user.tasks == [None, None]
    assert _bearer(args).startswith("Bearer ")


@pytest.mark.anyio
async def test_nobody_logging_in_ends_in_a_timeout_error(tmp_path: Path) -> None:
    config = _oauth_config(tmp_path, mcp_auth_timeout=0.2)
    seen: list[str] = []

    async def ignore(agent: Any, task: Any, event: TaskUpdateEvent) -> None:
        seen.append(event.data["type"])

    async with Backend(config) as backend:
        with pytest.raises(McpAuthTimeoutError):
            await backend.aget_args(
                agent_id="agent-oauth", task=_task(config), auth_events_callback=ignore
            )
    assert seen == ["login_required"]


def test_sync_login_flow_over_a_served_platform(served: Served) -> None:
    served.platform.put_agent(
        served.organization_id, agent_definition("agent-oauth", mcp_servers=[OAUTH_SERVER])
    )
    events: list[str] = []

    def user(agent: Any, task: Any, event: TaskUpdateEvent) -> None:
        events.append(event.data["type"])
        if event.data["type"] == "login_required":
            assert httpx.get(event.data["data"]["url"]).status_code == 200

    config = Configuration(
        api_key=served.api_key,
        organization_id=served.organization_id,
        base_url=served.url,
        mcp_auth_poll_interval=0.02,
        mcp_auth_timeout=10.0,
    )
    with Backend(config) as backend:
        args = backend.get_args(agent_id="agent-oauth", auth_events_callback=user)
    assert events == ["login_required", "token_ready"]
    assert _bearer(args).startswith("Bearer ")
