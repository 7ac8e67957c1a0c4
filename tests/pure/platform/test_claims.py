"""Which worker gets a pending task: the local platform's delivery rule."""

import pytest

from xpander_pure import TaskStatus
from xpander_pure.platform import Claim, is_claimable, tasks_to_deliver


def test_an_unclaimed_pending_task_is_claimable() -> None:
    assert is_claimable(TaskStatus.PENDING, None, {"w1"})


def test_a_task_claimed_by_a_live_worker_is_not_delivered_again() -> None:
    assert not is_claimable(TaskStatus.PENDING, Claim(task_id="t", worker_id="w1"), {"w1"})


def test_a_task_claimed_by_a_gone_worker_is_delivered_again() -> None:
    assert is_claimable(TaskStatus.PENDING, Claim(task_id="t", worker_id="w1"), {"w2"})


@pytest.mark.parametrize("status", [s for s in TaskStatus if s is not TaskStatus.PENDING])
def test_a_task_that_is_not_pending_is_never_delivered(status: TaskStatus) -> None:
    assert not is_claimable(status, None, set())


def test_deliveries_keep_the_given_order_and_skip_claimed_ones() -> None:
    claims = {"t2": Claim(task_id="t2", worker_id="w1")}
    pending = [(t, TaskStatus.PENDING) for t in ("t1", "t2", "t3")]
    delivered = tasks_to_deliver(pending, claims, {"w1", "w2"}, "w2")
    assert [c.task_id for c in delivered] == ["t1", "t3"]
