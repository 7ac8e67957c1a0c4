"""The local platform's side of the worker messages: the worker's record after each one."""

from __future__ import annotations

from datetime import datetime

import msgspec
from returns.result import Failure, Result, Success

from .._errors import UnknownResourceError
from .._worker import (
    WORKER_CAPACITY_UPDATE,
    WORKER_FINISHED,
    WORKER_HEARTBEAT,
    WorkerMessage,
    WorkerRecord,
)


def apply_worker_message(
    record: WorkerRecord | None,
    worker_id: str,
    organization_id: str,
    message: WorkerMessage,
    now: datetime,
) -> Result[WorkerRecord, UnknownResourceError]:
    """The worker's record after ``message`` from ``organization_id`` (the key's).

    A worker that is not connected, or belongs to another organisation, is
    not found (never told apart). A heartbeat stamps ``now``; a capacity
    update sets ``is_busy`` from its data; ``worker-finished`` frees the
    worker; any other message leaves the record as it is.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    >>> record = WorkerRecord(id="w1", organization_id="o1")
    >>> busy = WorkerMessage(id="m", event=WORKER_CAPACITY_UPDATE, data={"is_busy": True})
    >>> apply_worker_message(record, "w1", "o1", busy, now).unwrap().is_busy
    True
    >>> apply_worker_message(record, "w1", "o2", busy, now).failure().kind
    'worker'
    """
    if record is None or record.organization_id != organization_id:
        return Failure(UnknownResourceError("worker", worker_id))
    if message.event == WORKER_HEARTBEAT:
        return Success(msgspec.structs.replace(record, last_heartbeat=now))
    if message.event == WORKER_CAPACITY_UPDATE and isinstance(message.data, dict):
        return Success(msgspec.structs.replace(record, is_busy=bool(message.data.get("is_busy"))))
    if message.event == WORKER_FINISHED:
        return Success(msgspec.structs.replace(record, is_busy=False))
    return Success(record)
