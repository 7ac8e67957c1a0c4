"""Check that the official xpander-sdk 2.0.x task worker completes a task on our served platform.

Run it like ``official_client_check.py`` (whose helpers it reuses), with the
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
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from official_client_check import (
    ACCESS_LINE,
    AGENT_DEFINITION,
    run_cli,
    shape,
    start_server,
)

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
    parser.add_argument("--platform-python", required=True, help="the interpreter with xpander-backend installed")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the task")
    options = parser.parse_args()
    platform = [options.platform_python, "-m", "xpander_io.platform"]

    with tempfile.TemporaryDirectory() as data_dir:
        common = ["--data-dir", data_dir]
        org = run_cli(platform, "org", "create", "official-worker-check", *common)
        key = run_cli(platform, "key", "create", "--org", org, *common)
        definition = Path(data_dir) / "agent.json"
        definition.write_text(json.dumps(AGENT_DEFINITION))
        agent_id = run_cli(platform, "agent", "put", str(definition), "--org", org, *common)
        agent_id = agent_id.split()[0]

        server, base_url, log = start_server(platform, data_dir)
        environment = {
            key_: value
            for key_, value in os.environ.items()
            if key_ not in ("GIT_USERNAME", "GIT_TOKEN", "IS_XPANDER_CLOUD")
        }
        environment.update(
            XPANDER_BASE_URL=base_url,
            XPANDER_API_KEY=key,
            XPANDER_ORGANIZATION_ID=org,
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
            server.send_signal(signal.SIGINT)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()

    ids = {agent_id: "agent_id", str(outcome["task_id"]): "task_id", org: "organization_id"}
    calls: Counter[tuple[str, str, str]] = Counter()
    for line in log:
        found = ACCESS_LINE.search(line)
        if found:
            path = WORKER_ID.sub("/events/{worker_id}", shape(found["path"], ids))
            calls[(found["method"], path, found["status"])] += 1
    print("Requests served (the official worker's and the official client's):")
    for (method, path, status), count in sorted(calls.items(), key=lambda c: c[0][1]):
        print(f"  {method:6} {path:60} {status}  x{count}")
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
