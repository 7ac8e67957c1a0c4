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

    (see the README's "Local platform" section for creating .sdkvenv)
    python benchmarks/bench_backend.py --sdk-python .sdkvenv/bin/python

Ratios are ours ÷ official (below 1 = we are faster).
"""

from __future__ import annotations

import argparse
import platform as platform_info
import statistics
import subprocess
import sys

from _support import OFFICIAL_SETUP, TIMING, child, served_platform

from xpander_pure import to_wire

OURS = (
    TIMING
    + r"""
import asyncio, json, sys, uuid
from xpander_io import Backend, Configuration
from xpander_pure import Task, decode

n, agent_id, task_json = int(sys.argv[1]), sys.argv[2], sys.argv[3]
task = decode(Task, task_json.encode()).unwrap()
backend = Backend(Configuration())
"""
)

# The same calls for both clients; ours also closes its pooled connections.
CALLS = r"""
out = {
    "get_args": timed(lambda: backend.get_args(agent_id=agent_id, task=task), n),
    "report_external_task": timed(lambda: backend.report_external_task(
        agent_id=agent_id, id=str(uuid.uuid4()), input="in", result="out", duration=1.0), n),
}
async def main():
    out["aget_args"] = await atimed(lambda: backend.aget_args(agent_id=agent_id, task=task), n)
    out["areport_external_task"] = await atimed(lambda: backend.areport_external_task(
        agent_id=agent_id, id=str(uuid.uuid4()), input="in", result="out", duration=1.0), n)
    if hasattr(backend, "aclose"):
        await backend.aclose()
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
    parser.add_argument("--sdk-python", default=".sdkvenv/bin/python")
    parser.add_argument("-n", type=int, default=50, help="timed calls per operation")
    parser.add_argument("--import-runs", type=int, default=5)
    options = parser.parse_args()
    with served_platform(
        AGENT,
        default_llm_headers={"x-team": "bench"},
        extra_env={"OPENAI_API_KEY": "sk-bench-env-not-real"},
    ) as seeded:
        agent_id, task = seeded.agent.id, seeded.task
        ours = child(
            sys.executable,
            OURS + CALLS,
            [str(options.n), agent_id, to_wire(task).decode()],
            seeded.env,
        )
        official = child(
            options.sdk_python,
            OFFICIAL_SETUP + CALLS,
            [str(options.n), agent_id, task.id],
            seeded.env,
        )
    ours["import"] = _import_time(sys.executable, "xpander_io", options.import_runs, seeded.env)
    official["import"] = _import_time(
        options.sdk_python, "xpander_sdk", options.import_runs, seeded.env
    )
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
        label = "import package" if name == "import" else f"{name} (warm, median)"
        print(
            f"| {label} | {ours[name] * 1000:.2f} | {official[name] * 1000:.2f} "
            f"| {ours[name] / official[name]:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
