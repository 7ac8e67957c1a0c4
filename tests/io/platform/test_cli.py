import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "xpander_io._cli", *args, "--data-dir", str(data)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_cli_creates_org_key_and_versions_an_agent(tmp_path: Path) -> None:
    org = run(tmp_path, "org", "create", "acme").stdout.strip()
    definition = tmp_path / "bot.toml"
    definition.write_text(
        'id = "bot"\nname = "Bot"\nframework = "agno"\nmodel_provider = "openai"\n'
        'model_name = "gpt-4o"\n'
    )
    run(tmp_path, "agent", "put", str(definition), "--org", org)
    run(tmp_path, "agent", "put", str(definition), "--org", org)
    listed = run(tmp_path, "agent", "list", "--org", org).stdout
    assert listed.split("\t")[:2] == ["bot", "v2"]


def test_cli_prints_the_key_once_at_creation(tmp_path: Path) -> None:
    org = run(tmp_path, "org", "create", "acme").stdout.strip()
    key = run(tmp_path, "key", "create", "--org", org).stdout.strip()
    assert key.startswith("xpk_") and key not in (
        tmp_path / "platform.sqlite3"
    ).read_bytes().decode("latin-1")


def test_cli_rejects_a_bad_definition_naming_the_field(tmp_path: Path) -> None:
    org = run(tmp_path, "org", "create", "acme").stdout.strip()
    definition = tmp_path / "bad.json"
    definition.write_text(json.dumps({"name": "Bot", "framework": "agno"}))
    result = run(tmp_path, "agent", "put", str(definition), "--org", org)
    assert (result.returncode, "model_provider" in result.stderr) == (2, True)


def test_module_serve_logs_each_request_with_access_log(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "xpander_io.platform", "serve", "--port", "0"]
    server = subprocess.Popen(
        [*command, "--access-log", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Reading the output blocks; a hung server must not hang the suite (CI: two loaded cores).
    watchdog = threading.Timer(120, server.kill)
    watchdog.start()
    try:
        assert server.stdout is not None
        lines = iter(server.stdout.readline, "")
        started = next(line for line in lines if line.startswith("local platform on "))
        httpx.get(f"{started.split()[3]}/health", timeout=60)
        # Wait for the access line itself, not for whatever line comes next.
        line = next((line for line in lines if "GET /health" in line), "")
    finally:
        watchdog.cancel()
        server.terminate()
        server.wait(30)
        if server.stdout is not None:
            server.stdout.close()
    assert '"GET /health HTTP/1.1" 200' in line


def test_module_serve_has_the_task_stream_and_exits_on_sigint_with_it_open(
    tmp_path: Path,
) -> None:
    org = run(tmp_path, "org", "create", "acme").stdout.strip()
    key = run(tmp_path, "key", "create", "--org", org).stdout.strip()
    definition = tmp_path / "bot.json"
    definition.write_text(
        json.dumps(
            {"name": "Bot", "framework": "agno", "model_provider": "openai", "model_name": "m"}
        )
    )
    agent_id = run(tmp_path, "agent", "put", str(definition), "--org", org).stdout.split()[0]
    command = [sys.executable, "-m", "xpander_io.platform", "serve", "--port", "0"]
    server = subprocess.Popen(
        [*command, "--data-dir", str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[3]
        stream_url = f"{url}/{org}/events/{agent_id}/"
        with httpx.stream("GET", stream_url, headers={"x-api-key": key}, timeout=30) as response:
            first = next(response.iter_lines())
            server.send_signal(signal.SIGINT)
            # A server that waited for this open stream would time out here.
            code = server.wait(30)
    finally:
        server.kill()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()
    assert (first, code) == ("event: worker-registration", 0)
