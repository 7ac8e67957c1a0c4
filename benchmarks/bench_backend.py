"""Backend latency and import time: xpander_io against the official xpander-sdk client.

Serves one local platform on 127.0.0.1 (uvicorn, ephemeral port), seeds an
organisation, a key, an agent and a task, then runs the same measurements in
two child interpreters, one per client, so that neither shares a process (or
the GIL) with the server:

- ``get_args`` (sync) and ``aget_args`` warm: after warm-up calls, the median
  of N calls with a task (the official client crashes without one);
- ``report_external_task`` (sync) and ``areport_external_task`` warm, median of N;
- import time of the package (``import xpander_io`` / ``import xpander_sdk``),
  median of fresh interpreters.

The official client needs its own virtual environment::

    python3 -m venv /work/sdkvenv && /work/sdkvenv/bin/pip install 'xpander-sdk[agno]==2.0.537'
    python benchmarks/bench_backend.py --sdk-python /work/sdkvenv/bin/python

Ratios are ours ÷ official (below 1 = we are faster).
"""

from __future__ import annotations

import argparse
import json
import os
import platform as platform_info
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from xpander_io.platform import LocalPlatform, serve

OURS = r"""
import asyncio, json, statistics, sys, time, uuid
from xpander_io import Backend, Configuration
from xpander_pure import Task, decode

n, agent_id, task_json = int(sys.argv[1]), sys.argv[2], sys.argv[3]
task = decode(Task, task_json.encode()).unwrap()
backend = Backend(Configuration())

def timed(call):
    for _ in range(3):
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter(); call(); samples.append(time.perf_counter() - start)
    return statistics.median(samples)

async def atimed(make):
    for _ in range(3):
        await make()
    samples = []
    for _ in range(n):
        start = time.perf_counter(); await make(); samples.append(time.perf_counter() - start)
    return statistics.median(samples)

out = {
    "get_args": timed(lambda: backend.get_args(agent_id=agent_id, task=task)),
    "report_external_task": timed(lambda: backend.report_external_task(
        agent_id=agent_id, id=str(uuid.uuid4()), input="in", result="out", duration=1.0)),
}
async def main():
    out["aget_args"] = await atimed(lambda: backend.aget_args(agent_id=agent_id, task=task))
    out["areport_external_task"] = await atimed(lambda: backend.areport_external_task(
        agent_id=agent_id, id=str(uuid.uuid4()), input="in", result="out", duration=1.0))
    await backend.aclose()
asyncio.run(main())
print(json.dumps(out))
"""

OFFICIAL = r"""
import asyncio, json, logging, statistics, sys, time, uuid
from loguru import logger
logger.remove()
from xpander_sdk import Backend
from xpander_sdk.modules.tasks.tasks_module import Tasks

n, agent_id, task_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
backend = Backend()
task = Tasks().get(task_id=task_id)

def timed(call):
    for _ in range(3):
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter(); call(); samples.append(time.perf_counter() - start)
    return statistics.median(samples)

async def atimed(make):
    for _ in range(3):
        await make()
    samples = []
    for _ in range(n):
        start = time.perf_counter(); await make(); samples.append(time.perf_counter() - start)
    return statistics.median(samples)

out = {
    "get_args": timed(lambda: backend.get_args(agent_id=agent_id, task=task)),
    "report_external_task": timed(lambda: backend.report_external_task(
        agent_id=agent_id, id=str(uuid.uuid4()), input="in", result="out", duration=1.0)),
}
async def main():
    out["aget_args"] = await atimed(lambda: backend.aget_args(agent_id=agent_id, task=task))
    out["areport_external_task"] = await atimed(lambda: backend.areport_external_task(
        agent_id=agent_id, id=str(uuid.uuid4()), input="in", result="out", duration=1.0))
asyncio.run(main())
print(json.dumps(out))
"""

IMPORT = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"

AGENT = {
    "name": "Support Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
    "instructions": {"role": ["You help customers."], "goal": ["Answer well."]},
    "llm_credentials": {"name": "key", "value": "sk-bench-not-a-real-key"},
    # The official client opens a session database when this is on; the local platform has none.
    "agno_settings": {"session_storage": False},
}


def _child(python: str, code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [python, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{python} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _import_time(python: str, module: str, runs: int, env: dict[str, str]) -> float:
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [python, "-c", IMPORT.format(module=module)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        samples.append(float(done.stdout.strip()))
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk-python", default="/work/sdkvenv/bin/python")
    parser.add_argument("-n", type=int, default=50, help="timed calls per operation")
    parser.add_argument("--import-runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        local = LocalPlatform(Path(tmp) / "bench.sqlite3")
        org = local.create_organization("bench")
        key = local.create_api_key(org)
        agent = local.put_agent(org, AGENT)
        local.set_default_llm_headers(org, {"x-team": "bench"})
        task = local.create_task(org, agent.id, "hello")
        from xpander_pure import to_wire

        with serve(local) as url:
            env = {
                **os.environ,
                "XPANDER_API_KEY": key,
                "XPANDER_ORGANIZATION_ID": org,
                "XPANDER_BASE_URL": url,
                "OPENAI_API_KEY": "sk-bench-env-not-real",
            }
            env.pop("XPANDER_AGENT_ID", None)
            ours = _child(
                sys.executable, OURS, [str(options.n), agent.id, to_wire(task).decode()], env
            )
            official = _child(
                options.sdk_python, OFFICIAL, [str(options.n), agent.id, task.id], env
            )
        ours["import"] = _import_time(sys.executable, "xpander_io", options.import_runs, env)
        official["import"] = _import_time(
            options.sdk_python, "xpander_sdk", options.import_runs, env
        )
        local.close()
    print(f"Python {platform_info.python_version()}, {platform_info.machine()}, n={options.n}")
    print()
    print("| measurement | xpander_io (ms) | xpander-sdk (ms) | ours ÷ official |")
    print("|---|---:|---:|---:|")
    for name in (
        "get_args",
        "aget_args",
        "report_external_task",
        "areport_external_task",
        "import",
    ):
        label = f"import {'package'}" if name == "import" else f"{name} (warm, median)"
        print(
            f"| {label} | {ours[name] * 1000:.2f} | {official[name] * 1000:.2f} "
            f"| {ours[name] / official[name]:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
