"""Reports per second the served local platform accepts, against GET /health on the same server.

    python benchmarks/bench_platform.py [--requests 1280]

Serves a fresh local platform (``python -m xpander_io.platform serve``: uvicorn
on 127.0.0.1, ephemeral port) in a child process, so that the clients do not
share an interpreter with the server. For N = 1, 4 and 16 concurrent clients
(each its own ``httpx.AsyncClient``, so its own keep-alive connection) it
sends a fixed number of requests split across the clients and measures
requests per second:

- ``POST /agent-execution/{agent_id}/report_task`` with a new task id each
  (decode, authenticate, one SQLite write transaction, answer the task);
- the baseline, ``GET /health`` (routing and the HTTP round trip only).

The ratio report/s ÷ health/s is what to compare across machines. Every
report must answer 200 and the stored task count must equal the number sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

# The report body the platform tests use (every key the official client sends).
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "io" / "platform"))
from platform_helpers import report_body

AGENT = {"name": "Bench", "framework": "agno", "model_provider": "openai", "model_name": "m"}
CONCURRENCY = (1, 4, 16)


def cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "xpander_io.platform", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


async def run(base_url: str, key: str, clients: int, total: int, send: str, agent_id: str) -> float:
    """Requests per second for ``total`` requests spread over ``clients`` connections."""
    per_client = total // clients

    async def one_client() -> None:
        async with httpx.AsyncClient(base_url=base_url, headers={"x-api-key": key}) as http:
            await http.get("/health")  # open the connection before the clock starts
            await ready.wait()
            for _ in range(per_client):
                if send == "health":
                    response = await http.get("/health")
                else:
                    url = f"/agent-execution/{agent_id}/report_task"
                    response = await http.post(url, json=report_body(str(uuid.uuid4())))
                if response.status_code != 200:
                    raise RuntimeError(f"{send}: {response.status_code} {response.text}")

    ready = asyncio.Event()
    tasks = [asyncio.create_task(one_client()) for _ in range(clients)]
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    return per_client * clients / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=1280, help="per measurement")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        common = ["--data-dir", data_dir]
        org = cli("org", "create", "bench", *common)
        key = cli("key", "create", "--org", org, *common)
        definition = Path(data_dir) / "agent.json"
        definition.write_text(json.dumps(AGENT))
        agent_id = cli("agent", "put", str(definition), "--org", org, *common).split()[0]
        server = subprocess.Popen(
            [sys.executable, "-m", "xpander_io.platform", "serve", *common, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            found = re.search(r"(http://\S+)", server.stdout.readline())
            if found is None:
                raise SystemExit("the platform did not start")
            base_url = found.group(1)
            rows = []
            sent = 0
            for clients in CONCURRENCY:
                health = asyncio.run(
                    run(base_url, key, clients, options.requests, "health", agent_id)
                )
                reports = asyncio.run(
                    run(base_url, key, clients, options.requests, "report", agent_id)
                )
                sent += options.requests // clients * clients
                rows.append((clients, reports, health))
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:  # a stuck shutdown must not lose the figures
                server.kill()
                server.wait()
                print("warning: the server ignored SIGINT for 20 s and was killed", file=sys.stderr)
        with sqlite3.connect(Path(data_dir) / "platform.sqlite3") as conn:
            (stored,) = conn.execute("SELECT count(*) FROM tasks").fetchone()
    if stored != sent:
        print(f"FAIL: sent {sent} reports, {stored} stored")
        return 1
    print(f"Python {platform.python_version()}, {platform.machine()}")
    print(f"{options.requests} requests per measurement, {sent} reports stored\n")
    print("| clients | reports/s | GET /health/s (baseline) | reports/s ÷ health/s |")
    print("|---:|---:|---:|---:|")
    for clients, reports, health in rows:
        print(f"| {clients} | {reports:,.0f} | {health:,.0f} | {reports / health:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
