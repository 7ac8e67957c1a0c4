"""What the official-client checks share: our platform seeded and served in a child process.

``seeded_platform`` seeds a data directory with our command line (``python -m
xpander_io.platform org create``, ``key create``, ``agent put``), serves it
(``serve --port 0 --access-log``) on 127.0.0.1 and stops it on exit;
``served_calls`` counts the requests in its access log.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

AGENT_DEFINITION = {
    "name": "Support Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
    "instructions": {"role": ["You help."], "goal": ["Answer."], "general": ""},
    # The hosted platform gives agno a Postgres for session storage; the local one has none.
    "agno_settings": {"session_storage": False},
}

ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')


@dataclass
class Served:
    """The served platform: its URL, the seeded ids and key, and its log so far."""

    base_url: str
    org: str
    key: str
    agent_id: str
    log: list[str]


def run_cli(platform: list[str], *args: str) -> str:
    completed = subprocess.run(
        [*platform, *args], capture_output=True, text=True, timeout=60, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"FAIL: {' '.join(args[:2])}: {completed.stderr.strip()}")
    return completed.stdout.strip()


def start_server(
    platform: list[str], data_dir: str
) -> tuple[subprocess.Popen[str], str, list[str]]:
    server = subprocess.Popen(
        [*platform, "serve", "--data-dir", data_dir, "--port", "0", "--access-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    url_found = threading.Event()
    lines: list[str] = []
    url: list[str] = []

    def pump() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.append(line.rstrip("\n"))
            found = re.search(r"local platform on (http://\S+)", line)
            if found and not url:
                url.append(found.group(1))
                url_found.set()
        url_found.set()

    threading.Thread(target=pump, daemon=True).start()
    if not url_found.wait(60) or not url:
        server.kill()
        raise SystemExit("FAIL: the platform did not start:\n" + "\n".join(lines))
    return server, url[0], lines


def stop(process: subprocess.Popen[str], sig: signal.Signals) -> None:
    """Ask ``process`` to stop with ``sig``; kill it after 20 s."""
    process.send_signal(sig)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


@contextmanager
def seeded_platform(platform_python: str, org_name: str) -> Iterator[Served]:
    """Our platform, run by ``platform_python``, with one organisation, key and agent."""
    platform = [platform_python, "-m", "xpander_io.platform"]
    with tempfile.TemporaryDirectory() as data_dir:
        common = ["--data-dir", data_dir]
        org = run_cli(platform, "org", "create", org_name, *common)
        key = run_cli(platform, "key", "create", "--org", org, *common)
        definition = Path(data_dir) / "agent.json"
        definition.write_text(json.dumps(AGENT_DEFINITION))
        agent_id = run_cli(platform, "agent", "put", str(definition), "--org", org, *common)
        agent_id = agent_id.split()[0]

        server, base_url, log = start_server(platform, data_dir)
        try:
            yield Served(base_url=base_url, org=org, key=key, agent_id=agent_id, log=log)
        finally:
            stop(server, signal.SIGINT)


def shape(path: str, ids: dict[str, str]) -> str:
    path = path.split("?", 1)[0]
    for value, name in ids.items():
        path = path.replace(value, "{" + name + "}")
    return path


def served_calls(
    log: list[str], ids: dict[str, str], patterns: dict[re.Pattern[str], str] | None = None
) -> Counter[tuple[str, str, str]]:
    """(method, path with ``ids`` named, status) -> count, from the access log."""
    calls: Counter[tuple[str, str, str]] = Counter()
    for line in log:
        found = ACCESS_LINE.search(line)
        if found:
            path = shape(found["path"], ids)
            for pattern, replacement in (patterns or {}).items():
                path = pattern.sub(replacement, path)
            calls[(found["method"], path, found["status"])] += 1
    return calls


def print_calls(title: str, calls: Counter[tuple[str, str, str]]) -> None:
    print(title)
    for (method, path, status), count in sorted(calls.items(), key=lambda c: c[0][1]):
        print(f"  {method:6} {path:60} {status}  x{count}")
