"""Canary secrets (API key, LLM key, OAuth token) never reach logs, reprs or error messages."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from backend_support import FaultServer, Served, agent_definition, fault_config, mcp_authorization

from xpander_io import (
    AuthenticationError,
    Backend,
    Configuration,
    ConnectError,
    RetryPolicy,
    TaskUpdateEvent,
)

CANARY_KEY = "xpk_canary_api_key_5f2e9c"
CANARY_LLM_KEY = "sk-canary-llm-key-8812"


def test_status_error_hides_a_key_the_server_echoed(served: Served, faults: FaultServer) -> None:
    faults.match = "/agents/"
    faults.script.extend(["echo401"])
    config = Configuration(
        api_key=CANARY_KEY, organization_id=served.organization_id, base_url=faults.url
    )
    with Backend(config) as backend, pytest.raises(AuthenticationError) as caught:
        backend.get_args(agent_id="agent-123")
    assert "unauthorized" in str(caught.value)
    assert CANARY_KEY not in str(caught.value)
    assert CANARY_KEY not in caught.value.body_excerpt
    assert CANARY_KEY not in repr(caught.value)


def test_transport_errors_do_not_name_the_key() -> None:
    config = Configuration(
        api_key=CANARY_KEY,
        organization_id="o",
        base_url="http://127.0.0.1:1",
        retry_policy=RetryPolicy(max_attempts=1),
    )
    with Backend(config) as backend, pytest.raises(ConnectError) as caught:
        backend.get_args(agent_id="agent-123")
    assert CANARY_KEY not in str(caught.value)


def test_reprs_of_configuration_and_backend_hide_the_key() -> None:
    config = Configuration(api_key=CANARY_KEY, organization_id="o")
    assert CANARY_KEY not in repr(config) + str(config) + repr(Backend(config))


def test_logs_of_retried_calls_hold_neither_key(
    served: Served, faults: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    served.platform.put_agent(
        served.organization_id,
        agent_definition("agent-llm", llm_credentials={"name": "k", "value": CANARY_LLM_KEY}),
    )
    faults.script.extend(["503", "drop", "429"])
    with (
        caplog.at_level(logging.DEBUG),
        Backend(fault_config(served, faults)) as backend,
    ):
        backend.get_args(agent_id="agent-llm")
        backend.report_external_task(agent_id="agent-llm", result="ok")
    assert "retrying" in caplog.text
    assert served.api_key not in caplog.text
    assert CANARY_LLM_KEY not in caplog.text


@pytest.mark.anyio
async def test_oauth_token_is_absent_from_logs_and_handler_events(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import httpx

    config = Configuration.local(tmp_path, mcp_auth_poll_interval=0.02, mcp_auth_timeout=10)
    assert config.platform is not None and config.organization_id is not None
    config.platform.put_agent(
        config.organization_id,
        agent_definition(
            "agent-oauth",
            mcp_servers=[{"name": "gh", "url": "http://127.0.0.1:1/mcp", "auth_type": "oauth2"}],
        ),
    )
    events: list[TaskUpdateEvent] = []

    async def user(agent: Any, task: Any, event: TaskUpdateEvent) -> None:
        events.append(event)
        if event.data["type"] == "login_required":
            async with httpx.AsyncClient(transport=config.async_transport()) as client:
                await client.get(event.data["data"]["url"])

    with caplog.at_level(logging.DEBUG):
        async with Backend(config) as backend:
            args = await backend.aget_args(agent_id="agent-oauth", auth_events_callback=user)
    token = mcp_authorization(args).removeprefix("Bearer ")
    assert token not in caplog.text
    assert token not in repr(events) + str([e.data for e in events])
