"""Auth event handlers: registration (``@on_auth_event``) and isolated invocation.

A handler takes ``(agent, task, event)`` and may be a plain function or a
coroutine function. Which handlers run, and in what order, is the core's
decision (the per-call callback first, then the registered ones in
registration order); this module runs them:

- from async code, coroutine handlers are awaited and plain ones run in a
  worker thread (``asyncio.to_thread``), so no handler blocks the event loop;
- from sync code, plain handlers are called directly and coroutine handlers
  run to completion on a private loop (in a helper thread when the calling
  thread already runs a loop);
- a handler that raises is logged on the ``xpander_io`` logger with its name
  and the exception's type only (a message could carry a token), and the
  remaining handlers and the flow go on.

``auth_event_handlers.scoped()`` restores the registry on exit, so tests and
long-running apps do not leak handlers; ``unregister`` removes one.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from xpander_pure import Agent, Task, TaskUpdateEvent

logger = logging.getLogger("xpander_io")

AuthEventHandler = Callable[[Agent, Task | None, TaskUpdateEvent], Any]
"""``handler(agent, task, event)``; ``task`` is ``None`` for calls made without a task."""

H = TypeVar("H", bound=Callable[..., Any])

_PARAMETER_NAMES = ("agent", "task", "event")


def check_auth_handler(func: object, what: str = "auth event handler") -> None:
    """Raise ``TypeError`` unless ``func`` can be called as ``func(agent, task, event)``.

    ``what`` names it in the message (``auth_events_callback`` for a per-call callback).
    """
    if not callable(func):
        raise TypeError(f"{what} must be callable, got {type(func).__name__}")
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return  # builtins without a signature: trust the caller
    try:
        signature.bind(*_PARAMETER_NAMES)
    except TypeError as exc:
        name = getattr(func, "__qualname__", repr(func))
        raise TypeError(
            f"{what} {name} must accept three positional parameters "
            f"(agent, task, event); its signature is {signature}: {exc}"
        ) from None


def _name(handler: Callable[..., Any]) -> str:
    return str(getattr(handler, "__qualname__", None) or type(handler).__name__)


def is_async_callable(handler: Callable[..., Any]) -> bool:
    """Whether calling ``handler`` gives a coroutine: an ``async def`` or an object
    whose ``__call__`` is one."""
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 - async callable objects
    )


@contextlib.contextmanager
def _isolated(handler: Callable[..., Any]) -> Iterator[None]:
    """A handler that raises is logged (name and exception type only) and the caller goes on."""
    try:
        yield
    except Exception as exc:
        logger.error(
            "auth event handler %s raised %s; the other handlers still run",
            _name(handler),
            type(exc).__name__,
        )


class AuthEventHandlers:
    """The registry behind ``@on_auth_event``; thread-safe."""

    def __init__(self) -> None:
        self._handlers: list[Callable[..., Any]] = []
        self._lock = threading.Lock()

    def register(self, func: H) -> H:
        """Register ``func`` (checked first) and return it unchanged."""
        check_auth_handler(func)
        with self._lock:
            self._handlers.append(func)
        return func

    def unregister(self, func: Callable[..., Any]) -> bool:
        """Remove ``func``; True when it was registered."""
        with self._lock:
            if func in self._handlers:
                self._handlers.remove(func)
                return True
            return False

    def clear(self) -> None:
        """Remove every handler."""
        with self._lock:
            self._handlers.clear()

    def handlers(self) -> list[Callable[..., Any]]:
        """The registered handlers, in registration order (a copy)."""
        with self._lock:
            return list(self._handlers)

    @contextlib.contextmanager
    def scoped(self) -> Iterator[AuthEventHandlers]:
        """Handlers registered inside the block are gone after it (the registry is restored)."""
        with self._lock:
            saved = list(self._handlers)
        try:
            yield self
        finally:
            with self._lock:
                self._handlers[:] = saved


auth_event_handlers = AuthEventHandlers()
"""The process-wide registry ``@on_auth_event`` adds to."""


def on_auth_event(func: H) -> H:
    """Register ``func(agent, task, event)`` for every auth event (MCP OAuth login).

    Sync or async; checked now (a ``TypeError`` when it cannot take the three
    parameters). Remove it with ``auth_event_handlers.unregister(func)`` or
    register inside ``with auth_event_handlers.scoped():``.
    """
    return auth_event_handlers.register(func)


async def ainvoke(
    handlers: Sequence[Callable[..., Any]],
    agent: Agent,
    task: Task | None,
    event: TaskUpdateEvent,
) -> None:
    """Run ``handlers`` in order, isolated from each other, never blocking the loop."""
    for handler in handlers:
        with _isolated(handler):
            if is_async_callable(handler):
                await handler(agent, task, event)
            else:
                outcome = await asyncio.to_thread(handler, agent, task, event)
                if inspect.isawaitable(outcome):
                    await outcome


def _run_coroutine(awaitable: Awaitable[Any]) -> None:
    async def wrapper() -> None:
        await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(wrapper())
        return
    # This thread runs a loop (sync code called from async code): it cannot
    # run another, so the handler gets a loop in a helper thread.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xpander-handler") as pool:
        pool.submit(asyncio.run, wrapper()).result()


def invoke(
    handlers: Sequence[Callable[..., Any]],
    agent: Agent,
    task: Task | None,
    event: TaskUpdateEvent,
) -> None:
    """Run ``handlers`` in order from sync code, isolated from each other."""
    for handler in handlers:
        with _isolated(handler):
            outcome = handler(agent, task, event)
            if inspect.isawaitable(outcome):
                _run_coroutine(outcome)


__all__ = [
    "AuthEventHandler",
    "AuthEventHandlers",
    "ainvoke",
    "auth_event_handlers",
    "check_auth_handler",
    "invoke",
    "on_auth_event",
]
