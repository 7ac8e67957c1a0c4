"""The ``xpander-backend`` command in a subprocess, on a fresh data directory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from xpander_io._cli import local_identity
from xpander_io.platform import LocalPlatform

TESTS_IO = Path(__file__).parent
KEY_CANARY = "sk-canary-agent-key-7f3a9"
ENV_CANARY = "sk-canary-environment-key-b2c4"


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XPANDER_", "OPENAI_", "AGENTS_OPENAI", "ANTHROPIC_"))
    }
    env.update(
        XPANDER_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join([str(TESTS_IO), env.get("PYTHONPATH", "")]),
        **extra,
    )
    return env


def cli(
    data_dir: Path, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xpander_io._cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment(data_dir, **env),
        cwd=data_dir.parent,
    )


def seed_agent(data_dir: Path, **fields: Any) -> tuple[str, str]:
    """(organisation, agent id) of an agent stored in the CLI's embedded platform."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with LocalPlatform(data_dir / "platform.sqlite3") as platform:
        org, _key = local_identity(platform, data_dir)
        agent = platform.put_agent(
            org,
            {
                "name": "Canary Bot",
                "framework": "agno",
                "model_provider": "openai",
                "model_name": "gpt-4o",
                **fields,
            },
        )
    return org, agent.id


def test_quickstart_runs_the_whole_loop_and_prints_it(tmp_path: Path) -> None:
    done = cli(tmp_path / "data", "quickstart")
    assert done.returncode == 0, done.stderr
    for step in ("1. agent", "2. args", "3. report", "4. invoke"):
        assert step in done.stdout
    assert "completed by worker" in done.stdout
    assert "Task processed with Backend arguments" in done.stdout
    assert "embedded local platform" in done.stderr


def test_quickstart_json_reports_each_framework_a_reported_and_an_invoked_task(
    tmp_path: Path,
) -> None:
    done = cli(tmp_path / "data", "quickstart", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert set(summary["args"]) == {
        "agno",
        "open-ai-agents",
        "langchain",
        "google-adk",
        "strands-agents",
    }
    assert all("error" not in report for report in summary["args"].values())
    assert summary["reported_task"]["status"] == "completed"
    assert summary["invoked_task"]["status"] == "completed"
    assert "sk-quickstart-placeholder" not in done.stdout + done.stderr


def test_without_an_api_key_the_embedded_platform_is_used_and_said_so(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(tmp_path / "data")
    done = cli(tmp_path / "data", "args", agent_id)
    assert done.returncode == 0, done.stderr
    assert "XPANDER_API_KEY is not set: using the embedded local platform" in done.stderr


def test_args_redact_the_agents_key_and_say_it_is_the_custom_one(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(
        tmp_path / "data", llm_credentials={"name": "k", "value": KEY_CANARY}
    )
    done = cli(tmp_path / "data", "args", agent_id, "--json")
    assert done.returncode == 0, done.stderr
    assert KEY_CANARY not in done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["key"] == {"source": "custom", "variable": None, "value": "***"}


def test_args_redact_an_environment_key_and_name_its_variable(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(tmp_path / "data")
    done = cli(tmp_path / "data", "args", agent_id, OPENAI_API_KEY=ENV_CANARY)
    assert done.returncode == 0, done.stderr
    assert ENV_CANARY not in done.stdout + done.stderr
    assert "*** from environment (OPENAI_API_KEY)" in done.stdout


def test_the_local_identity_file_is_private(tmp_path: Path) -> None:
    seed_agent(tmp_path / "data")
    mode = (tmp_path / "data" / "local-identity.json").stat().st_mode & 0o777
    assert mode == 0o600


def test_report_stores_a_task_and_prints_it(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(tmp_path / "data")
    done = cli(
        tmp_path / "data", "report", agent_id, "--input", "sum 2+2", "--result", "4", "--json"
    )
    assert done.returncode == 0, done.stderr
    task = json.loads(done.stdout)
    assert (task["status"], task["result"], task["source"]) == ("completed", "4", "external")


def test_invoke_with_a_worker_follows_the_task_to_its_end(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(tmp_path / "data")
    done = cli(tmp_path / "data", "invoke", agent_id, "ping", "--worker", "cli_slow_handler")
    assert done.returncode == 0, done.stderr
    assert "completed" in done.stdout and "slow echo: ping" in done.stdout
    assert "executing" in done.stderr


def test_invoke_without_a_worker_gives_up_after_its_timeout_saying_why(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(tmp_path / "data")
    done = cli(tmp_path / "data", "invoke", agent_id, "ping", "--timeout", "0.5")
    assert done.returncode == 3
    assert "still pending" in done.stderr and "worker" in done.stderr


def test_a_worker_module_with_a_bad_handler_is_refused_clearly(tmp_path: Path) -> None:
    _org, agent_id = seed_agent(tmp_path / "data")
    done = cli(tmp_path / "data", "worker", "cli_slow_handler:missing", "--agent", agent_id)
    assert done.returncode == 2
    assert "has no attribute 'missing'" in done.stderr


def test_sigterm_stops_the_worker_after_the_task_in_flight(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    gate = tmp_path / "release-the-handler"
    org, agent_id = seed_agent(data_dir)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xpander_io._cli",
            "worker",
            "cli_slow_handler",
            "--agent",
            agent_id,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(data_dir, SLOW_HANDLER_GATE=str(gate)),
        cwd=tmp_path,
    )
    # Reading the worker's stderr below blocks; a hung worker must not hang the suite.
    watchdog = threading.Timer(120, worker.kill)
    watchdog.start()
    with LocalPlatform(data_dir / "platform.sqlite3") as platform:
        try:
            task = platform.create_task(org, agent_id, "in flight")
            deadline = time.monotonic() + 60
            while platform.list_tasks(org, agent_id)[-1].status.value != "executing":
                if worker.poll() is not None:
                    raise AssertionError(f"the worker exited early: {worker.communicate()[1]}")
                assert time.monotonic() < deadline, "the worker never started the task"
                time.sleep(0.05)
            worker.send_signal(signal.SIGTERM)
            assert worker.stderr is not None
            said = []
            for line in worker.stderr:
                said.append(line)
                if "task(s) in flight" in line:
                    break
            # The handler is still waiting at the gate: the task is in flight at the signal.
            gate.touch()
            _out, rest = worker.communicate(timeout=60)
            err = "".join(said) + rest
        finally:
            watchdog.cancel()
            if worker.poll() is None:
                worker.kill()
        stored = next(t for t in platform.list_tasks(org, agent_id) if t.id == task.id)
    assert worker.returncode == 0, err
    assert (stored.status.value, stored.result) == ("completed", "slow echo: in flight")
    assert "finishing 1 task(s) in flight" in err
