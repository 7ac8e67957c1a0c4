"""Which worker gets a pending task: the local platform's delivery rule.

A pending task is delivered to one connected worker at a time. The platform
remembers the claim (which worker connection it went to); while that
connection lives, no other worker gets the task. When the connection drops
before the worker marked the task ``executing``, the claim is void and the
task goes to the next worker that connects, so a dropped stream loses no
task. Once the task is no longer ``pending``, it is never delivered again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import msgspec

from .._enums import TaskStatus


class Claim(msgspec.Struct, kw_only=True, frozen=True):
    """Task ``task_id`` was delivered to the worker connection ``worker_id``."""

    task_id: str
    worker_id: str


def is_claimable(status: TaskStatus, claim: Claim | None, live_workers: Collection[str]) -> bool:
    """True when a task may be delivered now.

    >>> is_claimable(TaskStatus.PENDING, None, set())
    True
    >>> is_claimable(TaskStatus.PENDING, Claim(task_id="t", worker_id="w1"), {"w1"})
    False
    >>> is_claimable(TaskStatus.PENDING, Claim(task_id="t", worker_id="w1"), {"w2"})
    True
    >>> is_claimable(TaskStatus.EXECUTING, None, set())
    False
    """
    if status is not TaskStatus.PENDING:
        return False
    return claim is None or claim.worker_id not in live_workers


def tasks_to_deliver(
    pending: Collection[tuple[str, TaskStatus]],
    claims: Mapping[str, Claim],
    live_workers: Collection[str],
    worker_id: str,
) -> list[Claim]:
    """The claims to make for ``worker_id``, in the order the tasks were given (oldest first).

    >>> claims = {"t1": Claim(task_id="t1", worker_id="gone")}
    >>> tasks_to_deliver(
    ...     [("t1", TaskStatus.PENDING), ("t2", TaskStatus.COMPLETED)], claims, {"w"}, "w"
    ... )
    [Claim(task_id='t1', worker_id='w')]
    """
    return [
        Claim(task_id=task_id, worker_id=worker_id)
        for task_id, status in pending
        if is_claimable(status, claims.get(task_id), live_workers)
    ]
