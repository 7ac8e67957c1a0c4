"""@on_auth_event: signature checks, registry scoping, isolated invocation."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime, timezone
from typing import Any

import pytest

from xpander_io import Agent, TaskUpdateEvent, auth_event_handlers, on_auth_event
from xpander_io._handlers import ainvoke, invoke
from xpander_pure import EventType

AGENT = Agent(
    id="a",
    organization_id="o",
    name="n",
    unique_name="n",
    framework="agno",
    model_provider="openai",
    model_name="gpt-4o",
)
EVENT = TaskUpdateEvent(
    task_id="t",
    organization_id="o",
    time=datetime(2025, 1, 1, tzinfo=timezone.utc),
    type=EventType.AUTH_EVENT,
    data={"type": "login_required"},
)


def test_a_handler_with_two_parameters_is_refused_when_decorated() -> None:
    def too_few(agent: Any, task: Any) -> None: ...

    with auth_event_handlers.scoped(), pytest.raises(TypeError, match="agent, task, event"):
        on_auth_event(too_few)


def test_a_handler_with_a_fourth_required_parameter_is_refused() -> None:
    def too_many(agent: Any, task: Any, event: Any, extra: Any) -> None: ...

    with auth_event_handlers.scoped(), pytest.raises(TypeError):
        on_auth_event(too_many)


def test_decorator_returns_the_function_and_registers_it() -> None:
    async def handler(agent: Any, task: Any, event: Any) -> None: ...

    with auth_event_handlers.scoped():
        assert on_auth_event(handler) is handler
        assert auth_event_handlers.handlers()[-1] is handler


def test_scoped_registry_forgets_handlers_registered_inside() -> None:
    before = auth_event_handlers.handlers()
    with auth_event_handlers.scoped():
        on_auth_event(lambda agent, task, event: None)
    assert auth_event_handlers.handlers() == before


def test_unregister_removes_a_handler() -> None:
    def handler(agent: Any, task: Any, event: Any) -> None: ...

    with auth_event_handlers.scoped():
        on_auth_event(handler)
        assert auth_event_handlers.unregister(handler) is True
        assert handler not in auth_event_handlers.handlers()


@pytest.mark.anyio
async def test_handlers_run_in_order_sync_and_async() -> None:
    calls: list[str] = []

    def first(agent: Any, task: Any, event: Any) -> None:
        calls.append("sync")

    async def second(agent: Any, task: Any, event: Any) -> None:
        calls.append("async")

    await ainvoke([first, second], AGENT, None, EVENT)
    assert calls == ["sync", "async"]


@pytest.mark.anyio
async def test_a_raising_handler_stops_neither_the_others_nor_the_caller(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []

    def broken(agent: Any, task: Any, event: Any) -> None:
        raise RuntimeError("token sk-canary-handler-1 leaked")

    async def fine(agent: Any, task: Any, event: Any) -> None:
        calls.append("fine")

    with caplog.at_level(logging.ERROR, logger="xpander_io"):
        await ainvoke([broken, fine], AGENT, None, EVENT)
    assert calls == ["fine"]
    assert "broken" in caplog.text and "RuntimeError" in caplog.text
    assert "sk-canary-handler-1" not in caplog.text


@pytest.mark.anyio
async def test_a_blocking_sync_handler_does_not_block_the_event_loop() -> None:
    released = threading.Event()

    def blocking(agent: Any, task: Any, event: Any) -> None:
        # Only the loop can set the event: if this ran on the loop, it would wait out its timeout.
        assert released.wait(5)

    async def release_soon() -> None:
        await asyncio.sleep(0.01)
        released.set()

    await asyncio.gather(ainvoke([blocking], AGENT, None, EVENT), release_soon())
    assert released.is_set()


def test_sync_invocation_runs_async_handlers() -> None:
    calls: list[str] = []

    async def handler(agent: Any, task: Any, event: Any) -> None:
        calls.append(event.type.value)

    invoke([handler], AGENT, None, EVENT)
    assert calls == ["auth_event"]


@pytest.mark.anyio
async def test_sync_invocation_inside_a_running_loop_runs_async_handlers() -> None:
    calls: list[str] = []

    async def handler(agent: Any, task: Any, event: Any) -> None:
        calls.append("ran")

    invoke([handler], AGENT, None, EVENT)
    assert calls == ["ran"]


def test_sync_invocation_isolates_a_raising_async_handler() -> None:
    calls: list[str] = []

    async def broken(agent: Any, task: Any, event: Any) -> None:
        raise ValueError("boom")

    def fine(agent: Any, task: Any, event: Any) -> None:
        calls.append("fine")

    invoke([broken, fine], AGENT, None, EVENT)
    assert calls == ["fine"]
