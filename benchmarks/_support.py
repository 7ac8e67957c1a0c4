"""Helpers shared by the benchmarks that time our client against the official one.

``bench_backend.py`` and ``bench_frameworks.py`` both serve one seeded local
platform on 127.0.0.1 and run their measurements in child interpreters (one
per client, so neither shares a process or the GIL with the server). The
child scripts are built from the pieces here: ``TIMING`` (warm-up, then the
median of N calls) and ``OFFICIAL_SETUP`` (the official client, quiet, with
the seeded task fetched).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xpander_io.platform import LocalPlatform, serve
from xpander_pure import Agent, Task

# Prepended to every child script: ``timed(call, n)`` and ``atimed(make, n)``
# run three warm-up calls, then return the median of ``n`` timed calls (seconds).
TIMING = r"""
import statistics, time

def timed(call, n):
    for _ in range(3):
        call()
    samples = []
    for _ in range(n):
        start = time.perf_counter(); call(); samples.append(time.perf_counter() - start)
    return statistics.median(samples)

async def atimed(make, n):
    for _ in range(3):
        await make()
    samples = []
    for _ in range(n):
        start = time.perf_counter(); await make(); samples.append(time.perf_counter() - start)
    return statistics.median(samples)
"""

# The official client's child script starts with this; argv is ``n agent_id task_id``.
OFFICIAL_SETUP = (
    TIMING
    + r"""
import asyncio, json, sys, uuid
from loguru import logger
logger.remove()
from xpander_sdk import Backend
from xpander_sdk.modules.tasks.tasks_module import Tasks

n, agent_id, task_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
backend = Backend()
task = Tasks().get(task_id=task_id)
"""
)


@dataclass(frozen=True)
class Seeded:
    """What ``served_platform`` seeded, and the environment the children run with."""

    agent: Agent
    task: Task
    env: dict[str, str]


@contextmanager
def served_platform(
    agent_definition: dict[str, Any],
    *,
    default_llm_headers: dict[str, str] | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Seeded]:
    """Serve a fresh local platform (uvicorn, 127.0.0.1, ephemeral port) seeded with
    one organisation, key, agent and task; yields them with the child environment."""
    with tempfile.TemporaryDirectory() as tmp:
        local = LocalPlatform(Path(tmp) / "bench.sqlite3")
        try:
            org = local.create_organization("bench")
            key = local.create_api_key(org)
            agent = local.put_agent(org, agent_definition)
            if default_llm_headers:
                local.set_default_llm_headers(org, default_llm_headers)
            task = local.create_task(org, agent.id, "hello")
            with serve(local) as url:
                env = {
                    **os.environ,
                    "XPANDER_API_KEY": key,
                    "XPANDER_ORGANIZATION_ID": org,
                    "XPANDER_BASE_URL": url,
                    **(extra_env or {}),
                }
                env.pop("XPANDER_AGENT_ID", None)
                yield Seeded(agent=agent, task=task, env=env)
        finally:
            local.close()


def child(python: str, code: str, args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``code`` in a fresh ``python``; its last stdout line is a JSON object of timings."""
    done = subprocess.run(
        [python, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{python} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
