"""Which handlers a task-update event goes to, in which order. Calls nothing.

Only ``auth_event`` events are routed (the guide: the callback "is triggered
only for authentication flows"): first the explicit per-call callback, then
every registered handler in registration order. Any other event type routes to
nobody. The shell awaits or calls what comes back, each isolated from the
others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from returns.result import Result, Success

from ._enums import EventType
from ._errors import InvalidInputError
from ._events import TaskUpdateEvent

H = TypeVar("H")


def route_event(
    event: TaskUpdateEvent, explicit: H | None, registered: Sequence[H]
) -> Result[tuple[H, ...], InvalidInputError]:
    """The handlers to invoke for ``event``, in order.

    >>> from datetime import datetime, timezone
    >>> from xpander_pure import EventType, TaskUpdateEvent
    >>> auth = TaskUpdateEvent(task_id="t", organization_id="o",
    ...                        time=datetime(2025, 1, 1, tzinfo=timezone.utc),
    ...                        type=EventType.AUTH_EVENT)
    >>> route_event(auth, "explicit", ["first", "second"]).unwrap()
    ('explicit', 'first', 'second')
    >>> route_event(auth, None, ["first"]).unwrap()
    ('first',)
    """
    if event.type is not EventType.AUTH_EVENT:
        return Success(())
    first: tuple[H, ...] = () if explicit is None else (explicit,)
    return Success((*first, *registered))


__all__ = ["route_event"]
