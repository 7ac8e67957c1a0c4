"""``invocation_succeeded``: the client's one rule for whether an invocation went well."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xpander_pure import TaskStatus, invocation_succeeded


@given(st.sampled_from(TaskStatus))
def test_a_followed_task_succeeded_only_when_completed(status: TaskStatus) -> None:
    assert invocation_succeeded(status, waited=True) == (status is TaskStatus.COMPLETED)


def test_a_task_handed_over_without_waiting_succeeds_while_pending() -> None:
    assert invocation_succeeded(TaskStatus.PENDING, waited=False)


@given(st.sampled_from([TaskStatus.ERROR, TaskStatus.FAILED, TaskStatus.STOPPED]))
def test_a_task_handed_over_without_waiting_fails_once_ended_badly(status: TaskStatus) -> None:
    assert not invocation_succeeded(status, waited=False)
