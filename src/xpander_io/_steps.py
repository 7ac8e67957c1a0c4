"""Sans-I/O exchanges and the two drivers that carry them out.

A multi-step exchange with the platform (fetch an agent and its sub-agents,
log in to an MCP server, report a task) is written once, as a generator that
yields what it needs done and receives the outcome::

    bodies = yield Send((request_a, request_b))   # the 2xx bodies, in order
    yield Sleep(1.0)
    yield CallHandlers(handlers, agent, task, event)
    return result

``run`` performs the effects with the ``SyncDriver`` (requests one after the
other, ``time.sleep``, handlers via ``invoke``); ``arun`` with the
``AsyncDriver`` (the requests of one ``Send`` concurrently, ``asyncio.sleep``,
handlers via ``ainvoke``). The generator decides what happens next (asking the
core); the drivers only do it. An error raised by a driver ends the exchange
and reaches the caller unchanged.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from xpander_pure import Agent, Task, TaskUpdateEvent

from ._handlers import ainvoke, invoke
from ._http import ApiRequest, AsyncDriver, SyncDriver

T = TypeVar("T")


@dataclass(frozen=True)
class Send:
    """Send these requests (with retries); answered with their 2xx bodies, in order."""

    requests: tuple[ApiRequest, ...]


@dataclass(frozen=True)
class Sleep:
    """Wait this many seconds; answered with ``None``."""

    seconds: float


@dataclass(frozen=True)
class CallHandlers:
    """Run auth event handlers ``(agent, task, event)``, isolated; answered with ``None``."""

    handlers: Sequence[Callable[..., Any]]
    agent: Agent
    task: Task | None
    event: TaskUpdateEvent


Effect = Send | Sleep | CallHandlers
Steps = Generator[Effect, Any, T]
"""An exchange: yields effects, receives their outcomes, returns its result."""


def run(steps: Steps[T], driver: SyncDriver) -> T:
    """Carry out ``steps`` from sync code; its result."""
    outcome: Any = None
    try:
        while True:
            try:
                effect = steps.send(outcome)
            except StopIteration as stop:
                result: T = stop.value
                return result
            if isinstance(effect, Send):
                outcome = [driver.send(request).content for request in effect.requests]
            elif isinstance(effect, Sleep):
                time.sleep(effect.seconds)
                outcome = None
            else:
                invoke(effect.handlers, effect.agent, effect.task, effect.event)
                outcome = None
    finally:
        steps.close()


async def arun(steps: Steps[T], driver: AsyncDriver) -> T:
    """Carry out ``steps`` on the running event loop; its result."""
    outcome: Any = None
    try:
        while True:
            try:
                effect = steps.send(outcome)
            except StopIteration as stop:
                result: T = stop.value
                return result
            if isinstance(effect, Send):
                responses = await asyncio.gather(*(driver.send(r) for r in effect.requests))
                outcome = [response.content for response in responses]
            elif isinstance(effect, Sleep):
                await asyncio.sleep(effect.seconds)
                outcome = None
            else:
                await ainvoke(effect.handlers, effect.agent, effect.task, effect.event)
                outcome = None
    finally:
        steps.close()


__all__ = ["CallHandlers", "Effect", "Send", "Sleep", "Steps", "arun", "run"]
