"""Check that the official xpander-sdk 2.0.x task worker completes a task on our served platform.

Run it like ``official_client_check.py`` (both use ``_official_support.py``), with the
official client's interpreter::

    .sdkvenv/bin/python scripts/official_worker_check.py \
        --platform-python "$(command -v python)"

What it does:

1. seeds a data directory and serves it (``python -m xpander_io.platform serve
   --port 0 --access-log``) on 127.0.0.1, as ``official_client_check.py`` does;
2. starts the official client's worker in a child process: its ``Events``
   module (what ``@on_task`` runs) with a handler that answers ``echo: <input>``.
   ``@on_task`` itself would also serve the client's ``/invoke`` page on
   0.0.0.0:59321; that page does not talk to the platform, so it is left out;
3. invokes the agent with the official client (``Backend.invoke_agent``) and
   follows the task (``Tasks.get``) until it ends;
4. checks the task completed with the handler's result, and prints every
   request served, failing on any error answer.

Exits 0 when everything holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _official_support import print_calls, seeded_platform, served_calls

WORKER = """
import asyncio

from xpander_sdk.modules.events.events_module import Events


async def handle(task):
    task.result = "echo: " + task.input.text
    return task


asyncio.run(Events().start(on_execution_request=handle))
"""

FINAL = {"completed", "failed", "error", "stopped"}
WORKER_ID = re.compile(r"/events/[0-9a-f-]{36}$")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--platform-python", required=True, help="the interpreter with xpander-backend installed"
    )
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the task")
    options = parser.parse_args()

    with seeded_platform(options.platform_python, "official-worker-check") as served:
        agent_id = served.agent_id
        environment = {
            key_: value
            for key_, value in os.environ.items()
            if key_ not in ("GIT_USERNAME", "GIT_TOKEN", "IS_XPANDER_CLOUD")
        }
        environment.update(
            XPANDER_BASE_URL=served.base_url,
            XPANDER_API_KEY=served.key,
            XPANDER_ORGANIZATION_ID=served.org,
            XPANDER_AGENT_ID=agent_id,
        )
        os.environ.update(environment)
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            outcome = run_official_client(agent_id, options.timeout)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker_output, _ = worker.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker_output, _ = worker.communicate()

    ids = {agent_id: "agent_id", str(outcome["task_id"]): "task_id", served.org: "organization_id"}
    calls = served_calls(served.log, ids, {WORKER_ID: "/events/{worker_id}"})
    print_calls("Requests served (the official worker's and the official client's):", calls)
    print(json.dumps(outcome, indent=2))

    failures = [call for call in calls if not call[2].startswith(("2", "3"))]
    if failures:
        print(f"FAIL: error answers: {failures}")
        print(worker_output)
        return 1
    if outcome["status"] != "completed" or outcome["result"] != "echo: hello worker":
        print("FAIL: the official worker did not complete the task with its result")
        print(worker_output)
        return 1
    print("OK: the official client's worker took the task from the stream and completed it")
    return 0


def run_official_client(agent_id: str, timeout: float) -> dict[str, object]:
    from xpander_sdk import Backend
    from xpander_sdk.modules.tasks.tasks_module import Tasks

    created = Backend().invoke_agent(agent_id=agent_id, prompt="hello worker")
    tasks = Tasks()
    deadline = time.monotonic() + timeout
    while True:
        task = tasks.get(task_id=created.id)
        status = str(getattr(task.status, "value", task.status))
        if status in FINAL or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return {"task_id": created.id, "status": status, "result": task.result}


if __name__ == "__main__":
    sys.exit(main())
