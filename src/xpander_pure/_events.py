"""Task update events pushed to ``/agent-execution/{task_id}/events/push``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ._enums import EventType


class TaskUpdateEvent(msgspec.Struct, kw_only=True, frozen=True):
    """An event about a task; auth events carry an MCP token answer in ``data``."""

    task_id: str
    organization_id: str
    time: datetime
    type: EventType
    data: Any = None
