"""The Backend against a real fault-injecting HTTP server in front of the local platform."""

from __future__ import annotations

import builtins
import socket
import uuid

import pytest
from backend_support import FaultServer, Served, fault_config

from xpander_io import (
    Backend,
    Configuration,
    ConnectError,
    InvalidResponseError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TimeoutError,
    Timeouts,
)


def _agent_fetches(faults: FaultServer) -> list[str]:
    return [s.action for s in faults.seen if s.path.startswith("/agents/")]


def test_get_args_is_retried_after_503(served: Served, faults: FaultServer) -> None:
    faults.match = "/agents/"
    faults.script.extend(["503", "503"])
    with Backend(fault_config(served, faults)) as backend:
        args = backend.get_args(agent_id="agent-123")
    assert args["name"] == "Support Bot"
    assert _agent_fetches(faults) == ["503", "503", "forward"]


@pytest.mark.anyio
async def test_aget_args_is_retried_after_429_with_retry_after(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/agents/"
    faults.script.extend(["429"])
    async with Backend(fault_config(served, faults)) as backend:
        args = await backend.aget_args(agent_id="agent-123")
    assert args["name"] == "Support Bot"
    assert _agent_fetches(faults) == ["429", "forward"]


def test_report_under_503s_and_dropped_connections_stores_one_task(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/report_task"
    faults.script.extend(["forward_drop", "503", "drop", "forward_drop"])
    task_id = str(uuid.uuid4())
    policy = RetryPolicy(max_attempts=6, base_delay=0.01)
    with Backend(fault_config(served, faults, retry_policy=policy)) as backend:
        task = backend.report_external_task(agent_id="agent-123", id=task_id, result="ok")
    assert task.id == task_id
    stored = served.platform.list_tasks(served.organization_id, "agent-123")
    assert [t.id for t in stored] == [task_id]


@pytest.mark.anyio
async def test_report_without_id_retried_after_a_drop_stores_one_task(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/report_task"
    faults.script.extend(["forward_drop", "forward_drop"])
    async with Backend(fault_config(served, faults)) as backend:
        task = await backend.areport_external_task(agent_id="agent-123", result="ok")
    stored = served.platform.list_tasks(served.organization_id, "agent-123")
    assert [t.id for t in stored] == [task.id]


def test_retried_report_attempts_carry_one_idempotency_key(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/report_task"
    faults.script.extend(["503", "drop"])
    with Backend(fault_config(served, faults)) as backend:
        backend.report_external_task(agent_id="agent-123", result="ok")
    keys = {s.headers.get("idempotency-key") for s in faults.seen if "report_task" in s.path}
    assert len([s for s in faults.seen if "report_task" in s.path]) == 3
    assert len(keys) == 1 and None not in keys


def test_persistent_503_raises_server_error_with_status(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/agents/"
    faults.script.extend(["503"] * 10)
    with (
        Backend(fault_config(served, faults)) as backend,
        pytest.raises(ServerError) as caught,
    ):
        backend.get_args(agent_id="agent-123")
    assert caught.value.status_code == 503
    assert "injected" in caught.value.body_excerpt


def test_persistent_429_raises_rate_limit_error(served: Served, faults: FaultServer) -> None:
    faults.match = "/agents/"
    faults.script.extend(["429"] * 10)
    with (
        Backend(fault_config(served, faults)) as backend,
        pytest.raises(RateLimitError) as caught,
    ):
        backend.get_args(agent_id="agent-123")
    assert caught.value.retry_after == 0


def test_slow_answer_raises_timeout_error(served: Served, faults: FaultServer) -> None:
    faults.match = "/agents/"
    faults.delay_seconds = 1.0
    faults.script.extend(["delay", "delay"])
    config = fault_config(
        served,
        faults,
        timeouts=Timeouts(read=0.2),
        retry_policy=RetryPolicy(max_attempts=2, base_delay=0.01),
    )
    with Backend(config) as backend, pytest.raises(TimeoutError):
        backend.get_args(agent_id="agent-123")


@pytest.mark.anyio
async def test_async_slow_answer_raises_builtin_timeout_error(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/agents/"
    faults.delay_seconds = 1.0
    faults.script.extend(["delay"])
    config = fault_config(
        served, faults, timeouts=Timeouts(read=0.2), retry_policy=RetryPolicy(max_attempts=1)
    )
    async with Backend(config) as backend:
        with pytest.raises(builtins.TimeoutError):
            await backend.aget_args(agent_id="agent-123")


def test_malformed_json_raises_invalid_response_error(served: Served, faults: FaultServer) -> None:
    faults.match = "/agents/"
    faults.script.extend(["malformed"])
    with Backend(fault_config(served, faults)) as backend, pytest.raises(InvalidResponseError):
        backend.get_args(agent_id="agent-123")


@pytest.mark.anyio
async def test_malformed_report_answer_raises_invalid_response_error(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/report_task"
    faults.script.extend(["malformed"])
    async with Backend(fault_config(served, faults)) as backend:
        with pytest.raises(InvalidResponseError):
            await backend.areport_external_task(agent_id="agent-123", result="ok")


def test_refused_connection_raises_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = Configuration(
        api_key="k",
        organization_id="o",
        base_url=f"http://127.0.0.1:{port}",
        retry_policy=RetryPolicy(max_attempts=2, base_delay=0.01),
    )
    with Backend(config) as backend, pytest.raises(ConnectError):
        backend.get_args(agent_id="agent-123")


@pytest.mark.anyio
async def test_batch_report_keeps_to_its_concurrency_bound(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/report_task"
    faults.delay_seconds = 0.05
    faults.script.extend(["delay"] * 12)
    async with Backend(fault_config(served, faults)) as backend:
        outcomes = await backend.areport_external_tasks(
            [{"agent_id": "agent-123", "result": str(i)} for i in range(12)], concurrency=3
        )
    assert all(o.unwrap().agent_id == "agent-123" for o in outcomes)
    assert faults.max_in_flight <= 3
