"""The local platform's side of the worker messages."""

from datetime import datetime, timezone

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from xpander_pure import UnknownResourceError
from xpander_pure._worker import (
    WORKER_CAPACITY_UPDATE,
    WORKER_FINISHED,
    WORKER_HEARTBEAT,
    WorkerMessage,
    WorkerRecord,
)
from xpander_pure.platform import apply_worker_message

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
RECORD = WorkerRecord(id="w1", organization_id="o1")


def message(event: str, data: object = None) -> WorkerMessage:
    return WorkerMessage(id="m1", event=event, data=data)


def test_a_heartbeat_stamps_the_time() -> None:
    updated = apply_worker_message(RECORD, "w1", "o1", message(WORKER_HEARTBEAT), NOW)
    assert updated.unwrap().last_heartbeat == NOW


def test_a_capacity_update_sets_busy() -> None:
    busy = message(WORKER_CAPACITY_UPDATE, {"is_busy": True})
    assert apply_worker_message(RECORD, "w1", "o1", busy, NOW).unwrap().is_busy


def test_a_finished_worker_is_free() -> None:
    record = msgspec.structs.replace(RECORD, is_busy=True)
    updated = apply_worker_message(record, "w1", "o1", message(WORKER_FINISHED), NOW)
    assert updated.unwrap().is_busy is False


def test_an_unknown_worker_message_leaves_the_record() -> None:
    assert apply_worker_message(RECORD, "w1", "o1", message("other"), NOW).unwrap() == RECORD


def test_a_message_for_a_worker_that_is_gone_is_not_found() -> None:
    error = apply_worker_message(None, "w1", "o1", message(WORKER_HEARTBEAT), NOW).failure()
    assert (type(error), error.identifier) == (UnknownResourceError, "w1")


@given(st.text().filter(lambda org: org != "o1"))
def test_another_organisations_worker_is_not_found(org: str) -> None:
    error = apply_worker_message(RECORD, "w1", org, message(WORKER_HEARTBEAT), NOW).failure()
    assert isinstance(error, UnknownResourceError)
