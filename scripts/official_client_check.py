"""Check that the official xpander-sdk 2.0.x client works against the served local platform.

Run this script with the official client's interpreter; it serves our platform
in a subprocess with our own interpreter (the two cannot share a virtual
environment: ``xpander-sdk[agno]`` pins agno 2.5.x)::

    python -m venv .sdkvenv
    .sdkvenv/bin/pip install 'xpander-sdk==2.0.537' 'agno==2.5.14' sqlalchemy greenlet \
        'mcp<2' 'anthropic<1'
    .sdkvenv/bin/python scripts/official_client_check.py \
        --platform-python "$(command -v python)"

What it does:

1. seeds a data directory with our command line (``python -m xpander_io.platform
   org create``, ``key create``, ``agent put``);
2. serves it (``python -m xpander_io.platform serve --port 0 --access-log``)
   on 127.0.0.1;
3. with the official client (environment ``XPANDER_BASE_URL``, ``XPANDER_API_KEY``,
   ``XPANDER_ORGANIZATION_ID``): ``Backend.invoke_agent`` (creates the task, with
   a user so that the memories fetch happens), ``Tasks.get``,
   ``Backend.get_args(agent_id=..., task=...)``, ``Backend.report_external_task(...)``
   twice with the same id (a retry);
4. reads the reported task back over HTTP and checks it is stored once, completed,
   with the reported result and tools;
5. prints every request the official client made, with its status, from the
   platform's access log, and fails on any 5xx answer or unexpected 4xx.

Exits 0 when everything holds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _official_support import print_calls, seeded_platform, served_calls


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--platform-python", required=True, help="the interpreter with xpander-backend installed"
    )
    options = parser.parse_args()

    with seeded_platform(options.platform_python, "official-client-check") as served:
        os.environ.update(
            XPANDER_BASE_URL=served.base_url,
            XPANDER_API_KEY=served.key,
            XPANDER_ORGANIZATION_ID=served.org,
            OPENAI_API_KEY="sk-local-check-not-used",
        )
        outcome = run_official_client(served.base_url, served.key, served.agent_id)

    ids = {
        served.agent_id: "agent_id",
        str(outcome["task_id"]): "task_id",
        str(outcome["reported_id"]): "report_id",
    }
    calls = served_calls(served.log, ids)
    print_calls("Requests served (the official client's, then the check's own read-back):", calls)
    print(json.dumps(outcome, indent=2))

    failures = [call for call in calls if not call[2].startswith(("2", "3"))]
    if failures:
        print(f"FAIL: error answers: {failures}")
        return 1
    if outcome["stored_copies"] != 1 or outcome["stored_status"] != "completed":
        print("FAIL: the report was not stored exactly once as completed")
        return 1
    if outcome["retry_id"] != outcome["reported_id"]:
        print("FAIL: the retried report answered another task")
        return 1
    print("OK: invoke_agent, Tasks.get, get_args and report_external_task (with a retry)")
    print("    completed against the local platform")
    return 0


def run_official_client(base_url: str, key: str, agent_id: str) -> dict[str, object]:
    import httpx
    from xpander_sdk import Backend
    from xpander_sdk.models.user import User
    from xpander_sdk.modules.tasks.tasks_module import Tasks

    backend = Backend()
    created = backend.invoke_agent(
        agent_id=agent_id,
        prompt="hello",
        user_details=User(id="user-1", email="ada@example.com", first_name="Ada"),
    )
    task = Tasks().get(task_id=created.id)
    args = backend.get_args(agent_id=agent_id, task=task)
    report_id = str(uuid.uuid4())
    report = {
        "agent_id": agent_id,
        "id": report_id,
        "input": "Send notification email",
        "result": "Email sent successfully",
        "used_tools": ["email_sender"],
        "duration": 1.5,
    }
    reported = backend.report_external_task(**report)  # type: ignore[arg-type]
    retried = backend.report_external_task(**report)  # type: ignore[arg-type]

    headers = {"x-api-key": key}
    with httpx.Client(base_url=base_url, headers=headers) as http:
        stored = http.get(f"/agent-execution/{report_id}/status").raise_for_status().json()
        history = http.get(f"/agent-execution/executions/history/{agent_id}").raise_for_status()
    copies = [t for t in history.json() if t["id"] == report_id]
    return {
        "task_id": created.id,
        "task_input_user": task.input.user.email if task.input.user else None,
        "args_keys": sorted(args),
        "reported_id": reported.id,
        "reported_status": str(getattr(reported.status, "value", reported.status)),
        "retry_id": retried.id,
        "stored_copies": len(copies),
        "stored_status": stored["status"],
        "stored_result": stored["result"],
        "stored_used_tools": stored["used_tools"],
    }


if __name__ == "__main__":
    sys.exit(main())
