"""Task update events pushed to ``/agent-execution/{task_id}/events/push``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ._enums import EventType


class TaskUpdateEvent(msgspec.Struct, kw_only=True, frozen=True):
    """An event about a task; auth events carry an MCP token answer in ``data``.

    On the wire: ``{"task_id", "organization_id", "time", "type", "data"}``,
    pushed as a JSON list; ``time`` is ISO 8601 in UTC.
    """

    task_id: str
    organization_id: str
    time: datetime
    type: EventType
    data: Any = None
    """What happened: for ``auth_event`` an MCP token answer (``type`` and ``data``)."""
