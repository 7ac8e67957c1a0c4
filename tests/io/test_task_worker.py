"""The task worker end to end: uvicorn on 127.0.0.1 serving the local platform and its
task stream; faults come from a real TCP proxy that cuts or swallows the stream."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from worker_support import FAST_RECONNECT, FaultProxy, Served, served_platform, wait_until

from xpander_io._exceptions import ConfigurationError
from xpander_io._worker import Worker, WorkerTask, check_task_handler, on_task, registered_handlers
from xpander_pure import TaskStatus, Tokens

Scenario = Callable[[Served, Worker], Awaitable[None]]


def run_scenario(
    tmp_path: Path,
    handler: Any,
    scenario: Scenario,
    *,
    concurrency: int = 4,
    via_proxy: bool = False,
) -> None:
    with served_platform(tmp_path) as served:

        async def main() -> None:
            proxy = FaultProxy(served.url) if via_proxy else None
            url = await proxy.start() if proxy is not None else served.url
            worker = Worker(
                handler,
                served.configuration(url),
                concurrency=concurrency,
                reconnect=FAST_RECONNECT,
                progress=lambda line: None,
            )
            runner = asyncio.create_task(worker.run())
            try:
                await worker.wait_registered()
                if proxy is not None:
                    worker.proxy = proxy  # type: ignore[attr-defined]
                await scenario(served, worker)
            finally:
                worker.request_stop()
                await asyncio.wait_for(runner, 60)
                if proxy is not None:
                    await proxy.close()

        asyncio.run(main())


async def echo(task: WorkerTask) -> WorkerTask:
    task.result = f"echo: {task.to_message()}"
    return task


def test_an_invoked_task_runs_the_handler_and_is_stored_completed_with_its_result(
    tmp_path: Path,
) -> None:
    async def scenario(served: Served, worker: Worker) -> None:
        task_id = await served.invoke("hello")
        body = await served.wait_status(task_id)
        assert (body["status"], body["result"]) == ("completed", "echo: hello")

    run_scenario(tmp_path, echo, scenario)


def test_a_sync_handler_runs_outside_the_event_loop_thread(tmp_path: Path) -> None:
    threads: list[str] = []

    def handler(task: WorkerTask) -> WorkerTask:
        threads.append(threading.current_thread().name)
        task.result = "sync"
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        assert body["result"] == "sync"
        assert threads and threads[0] != threading.main_thread().name

    run_scenario(tmp_path, handler, scenario)


def test_a_failing_handler_marks_its_task_failed_with_the_error(tmp_path: Path) -> None:
    async def handler(task: WorkerTask) -> WorkerTask:
        raise RuntimeError("model quota exceeded")

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        assert (body["status"], body["result"]) == ("failed", "model quota exceeded")

    run_scenario(tmp_path, handler, scenario)


def test_the_task_is_executing_while_the_handler_runs(tmp_path: Path) -> None:
    seen: list[str] = []

    async def scenario(served: Served, worker: Worker) -> None:
        task_id = await served.invoke("x")
        while not started.is_set():
            await asyncio.sleep(0.01)
        seen.append((await served.status(task_id))["status"])
        release.set()
        await served.wait_status(task_id)

    started, release = threading.Event(), threading.Event()

    def handler(task: WorkerTask) -> WorkerTask:
        started.set()
        release.wait(60)
        return task

    run_scenario(tmp_path, handler, scenario)
    assert seen == ["executing"]


def test_a_dict_result_is_stored_as_json_text(tmp_path: Path) -> None:
    async def handler(task: WorkerTask) -> WorkerTask:
        task.result = {"answer": 42}  # type: ignore[assignment]
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        assert (body["status"], body["result"]) == ("completed", '{"answer":42}')

    run_scenario(tmp_path, handler, scenario)


def test_what_the_handler_sets_besides_the_result_is_saved_too(tmp_path: Path) -> None:
    async def handler(task: WorkerTask) -> WorkerTask:
        task.tokens = Tokens(prompt_tokens=5, completion_tokens=7)
        task.used_tools = ["search"]
        task.result = "with metrics"
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        assert (body["tokens"]["total_tokens"], body["used_tools"]) == (12, ["search"])

    run_scenario(tmp_path, handler, scenario)


def test_a_task_created_while_the_stream_is_down_runs_after_the_reconnect(
    tmp_path: Path,
) -> None:
    async def scenario(served: Served, worker: Worker) -> None:
        proxy: FaultProxy = worker.proxy  # type: ignore[attr-defined]
        proxy.mode = "refuse"
        proxy.drop_all()
        task_id = await served.invoke("while down")
        refused_before = proxy.refused
        # A refused reconnect after the task exists: the worker tried and had no stream.
        await wait_until(lambda: proxy.refused > refused_before, "a refused reconnect")
        assert (await served.status(task_id))["status"] == "pending"
        proxy.mode = "pass"
        body = await served.wait_status(task_id)
        assert (body["status"], body["result"]) == ("completed", "echo: while down")
        assert worker.connections >= 2

    run_scenario(tmp_path, echo, scenario, via_proxy=True)


def test_a_task_delivered_into_a_dead_connection_is_delivered_again(tmp_path: Path) -> None:
    async def scenario(served: Served, worker: Worker) -> None:
        proxy: FaultProxy = worker.proxy  # type: ignore[attr-defined]
        proxy.mode = "swallow"
        task_id = await served.invoke("lost in transit")
        deadline = time.monotonic() + 60
        while served.stream.claimed_by(served.org, task_id) is None:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        first_claim = served.stream.claimed_by(served.org, task_id)
        proxy.mode = "pass"
        proxy.drop_all()
        body = await served.wait_status(task_id)
        assert (body["status"], body["result"]) == ("completed", "echo: lost in transit")
        assert first_claim not in {w.id for w in served.stream.workers()}

    run_scenario(tmp_path, echo, scenario, via_proxy=True)


def test_stopping_finishes_the_tasks_in_flight(tmp_path: Path) -> None:
    started = asyncio.Event()

    async def slow(task: WorkerTask) -> WorkerTask:
        started.set()
        await asyncio.sleep(0.5)
        task.result = "finished after stop"
        return task

    task_ids: list[str] = []

    async def scenario(served: Served, worker: Worker) -> None:
        task_ids.append(await served.invoke("x"))
        await asyncio.wait_for(started.wait(), 60)
        worker.request_stop()

    with served_platform(tmp_path) as served:

        async def main() -> dict[str, Any]:
            worker = Worker(slow, served.configuration(), progress=lambda line: None)
            runner = asyncio.create_task(worker.run())
            await worker.wait_registered()
            await scenario(served, worker)
            await asyncio.wait_for(runner, 60)
            return await served.status(task_ids[0])

        body = asyncio.run(main())
    assert (body["status"], body["result"]) == ("completed", "finished after stop")


def test_no_more_handlers_run_at_once_than_the_concurrency_limit(tmp_path: Path) -> None:
    lock = threading.Lock()
    current = 0
    peak = 0

    def handler(task: WorkerTask) -> WorkerTask:
        nonlocal current, peak
        with lock:
            current += 1
            peak = max(peak, current)
        time.sleep(0.1)
        with lock:
            current -= 1
        task.result = "ok"
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        ids = [await served.invoke(f"t{i}") for i in range(8)]
        bodies = [await served.wait_status(task_id) for task_id in ids]
        assert [b["status"] for b in bodies] == ["completed"] * 8

    run_scenario(tmp_path, handler, scenario, concurrency=2)
    assert peak == 2


def test_the_handler_gets_the_workers_configuration_and_the_agent(tmp_path: Path) -> None:
    seen: list[tuple[str | None, str, Any]] = []
    expected: list[tuple[str | None, str, Any]] = []

    async def handler(task: WorkerTask) -> WorkerTask:
        seen.append((task.configuration.organization_id, task.agent_id, task.agent_version))
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        expected.append((served.org, served.agent_id, body["agent_version"]))

    run_scenario(tmp_path, handler, scenario)
    assert seen == expected
    assert seen[0][2] is not None


def test_the_configuration_is_not_part_of_the_saved_task(tmp_path: Path) -> None:
    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        assert "configuration" not in body and "_configuration" not in body

    run_scenario(tmp_path, echo, scenario)


def test_a_worker_on_the_in_process_transport_is_refused_with_a_clear_error(
    tmp_path: Path,
) -> None:
    from xpander_io._config import Configuration

    configuration = Configuration.local(tmp_path, agent_id="a1")
    with pytest.raises(ConfigurationError, match="socket"):
        Worker(echo, configuration)


# --- @on_task -------------------------------------------------------------------------


def test_on_task_registers_and_returns_the_function_unchanged() -> None:
    def handler(task: WorkerTask) -> WorkerTask:
        return task

    assert on_task(handler) is handler
    assert registered_handlers()[-1] is handler


def test_on_task_refuses_a_handler_with_two_parameters() -> None:
    def handler(task: WorkerTask, extra: int) -> WorkerTask:
        return task

    with pytest.raises(TypeError, match=r"handler\(\) must take exactly one parameter"):
        on_task(handler)


def test_on_task_refuses_a_handler_without_parameters() -> None:
    with pytest.raises(TypeError, match="it takes \\(no parameters\\)"):
        check_task_handler(lambda: None)


def test_on_task_refuses_something_not_callable() -> None:
    with pytest.raises(TypeError, match="needs a function"):
        check_task_handler(42)


def test_on_task_accepts_extra_parameters_with_defaults() -> None:
    def handler(task: WorkerTask, retries: int = 3) -> WorkerTask:
        return task

    assert check_task_handler(handler) is handler


# --- the guide's example ----------------------------------------------------------------


def test_the_guides_on_task_example_runs_with_only_its_import_changed(tmp_path: Path) -> None:
    import guide_on_task_example

    assert guide_on_task_example.handle_agent_task in registered_handlers()

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("What is xpander?"), timeout=30)
        assert (body["status"], body["result"]) == (
            "completed",
            "Task processed with Backend arguments",
        )

    run_scenario(tmp_path, guide_on_task_example.handle_agent_task, scenario)


def test_a_backend_made_from_the_task_configuration_is_closed_when_the_task_ends(
    tmp_path: Path,
) -> None:
    from xpander_io import Backend

    made: list[Backend] = []

    async def handler(task: WorkerTask) -> WorkerTask:
        backend = Backend(task.configuration)
        await backend.aget_args(agent_id=task.agent_id, task=task)
        made.append(backend)
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        await served.wait_status(await served.invoke("x"))
        await wait_until(
            lambda: made and made[0]._async._client is None, "the task's Backend to be closed"
        )

    run_scenario(tmp_path, handler, scenario)


# --- worker messages and refusals -----------------------------------------------------


def test_the_worker_sends_heartbeats(tmp_path: Path) -> None:
    with served_platform(tmp_path) as served:

        async def main() -> bool:
            worker = Worker(
                echo, served.configuration(), heartbeat_interval=0.05, progress=lambda line: None
            )
            runner = asyncio.create_task(worker.run())
            record = await worker.wait_registered()
            first = record.last_heartbeat
            deadline = time.monotonic() + 60
            try:
                while time.monotonic() < deadline:
                    current = served.stream.workers()[0].last_heartbeat
                    if current is not None and first is not None and current > first:
                        return True
                    await asyncio.sleep(0.02)
                return False
            finally:
                worker.request_stop()
                await runner

        assert asyncio.run(main())


def test_a_full_worker_tells_the_platform_it_is_busy(tmp_path: Path) -> None:
    release = threading.Event()

    def handler(task: WorkerTask) -> WorkerTask:
        release.wait(60)
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        task_id = await served.invoke("x")
        try:
            deadline = time.monotonic() + 60
            while not served.stream.workers()[0].is_busy:
                assert time.monotonic() < deadline, "never reported busy"
                await asyncio.sleep(0.02)
        finally:
            release.set()
        await served.wait_status(task_id)

    run_scenario(tmp_path, handler, scenario, concurrency=1)


def test_a_worker_with_a_wrong_key_stops_with_a_clear_error(tmp_path: Path) -> None:
    from xpander_io._config import Configuration
    from xpander_pure import WorkerStopError

    with served_platform(tmp_path) as served:
        configuration = Configuration(
            api_key="xpk_0000_wrong", organization_id=served.org, base_url=served.url
        )
        worker = Worker(echo, configuration, agent_id=served.agent_id, progress=lambda _: None)
        with pytest.raises(WorkerStopError, match=r"refused the task stream \(401\)"):
            asyncio.run(asyncio.wait_for(worker.run(), 10))


def test_a_worker_gives_up_when_the_platform_stays_unreachable(tmp_path: Path) -> None:
    from xpander_pure import ReconnectPolicy, WorkerStopError

    with served_platform(tmp_path) as served:

        async def main() -> None:
            proxy = FaultProxy(served.url)
            url = await proxy.start()
            proxy.mode = "refuse"
            worker = Worker(
                echo,
                served.configuration(url),
                reconnect=ReconnectPolicy(initial_delay=0.01, max_attempts=2),
                progress=lambda _: None,
            )
            try:
                await asyncio.wait_for(worker.run(), 60)
            finally:
                await proxy.close()

        with pytest.raises(WorkerStopError, match="unreachable after 2 attempts"):
            asyncio.run(main())


def test_the_api_key_in_a_handler_error_never_reaches_the_platform(tmp_path: Path) -> None:
    async def handler(task: WorkerTask) -> WorkerTask:
        key = task.configuration.api_key
        assert key is not None
        raise RuntimeError(f"upstream refused key {key.reveal()}")

    async def scenario(served: Served, worker: Worker) -> None:
        body = await served.wait_status(await served.invoke("x"))
        assert (body["status"], served.key in body["result"], body["result"]) == (
            "failed",
            False,
            "upstream refused key ***",
        )

    run_scenario(tmp_path, handler, scenario)


def test_a_paused_status_set_by_the_handler_is_kept(tmp_path: Path) -> None:
    async def handler(task: WorkerTask) -> WorkerTask:
        task.status = TaskStatus.PAUSED
        task.result = "waiting for approval"
        return task

    async def scenario(served: Served, worker: Worker) -> None:
        task_id = await served.invoke("x")
        body = await served.wait_status(task_id, statuses={"paused"}, timeout=30)
        assert (body["status"], body["result"]) == ("paused", "waiting for approval")

    run_scenario(tmp_path, handler, scenario)


def test_a_reconnect_policy_with_nan_is_refused_naming_the_field(tmp_path: Path) -> None:
    from xpander_pure import InvalidInputError, ReconnectPolicy

    with served_platform(tmp_path) as served, pytest.raises(InvalidInputError) as caught:
        Worker(
            echo,
            served.configuration(),
            reconnect=ReconnectPolicy(initial_delay=float("nan")),
            progress=lambda _: None,
        )
    assert caught.value.field == "initial_delay"
