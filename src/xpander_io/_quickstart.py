"""``xpander-backend quickstart``: the whole loop on the embedded local platform.

1. seed an example agent (once per data directory);
2. its runtime arguments for every framework (built for real when installed);
3. report a task run elsewhere;
4. invoke the agent and let an ``@on_task`` worker (the guide's example) handle it.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from xpander_pure import XpanderError, invocation_succeeded

from ._cli import (
    CliError,
    Target,
    args_report,
    emit,
    follow_task,
    framework_installed,
    invoke_task,
    note,
    resolve_target,
    task_summary,
)
from ._worker import Worker, WorkerTask

FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")
AGENT_ID = "quickstart-agent"


def example_agent(framework: str) -> dict[str, Any]:
    """The agent the quickstart seeds. Its key is a placeholder: no LLM is called."""
    return {
        "id": AGENT_ID,
        "name": "Quickstart Agent",
        "description": "Seeded by xpander-backend quickstart.",
        "framework": framework,
        "model_provider": "openai",
        "model_name": "gpt-4o-mini",
        "instructions": {
            "role": ["You answer questions about the xpander platform."],
            "goal": ["Answer in one sentence."],
            "general": "Be friendly.",
        },
        "llm_credentials": {"name": "quickstart", "value": "sk-quickstart-placeholder"},
    }


async def handle_agent_task(task: WorkerTask) -> WorkerTask:
    """The guide's ``@on_task`` example, as written (no LLM call)."""
    from ._backend import Backend
    from .frameworks import FrameworkNotInstalledError

    async with Backend(task.configuration) as backend:
        try:
            args = await backend.aget_args(
                agent_id=task.agent_id, agent_version=task.agent_version, task=task
            )
        except FrameworkNotInstalledError as exc:
            task.result = f"Task received: {task.to_message()!r} ({exc})"
            return task
    task.result = (
        f"Task processed with Backend arguments ({', '.join(sorted(args))}) "
        f"for: {task.to_message()}"
    )
    return task


def seed(target: Target) -> Any:
    platform = target.platform
    org_id = target.configuration.organization_id
    try:
        return platform.get_agent(org_id, AGENT_ID)
    except LookupError:
        installed = [f for f in FRAMEWORKS if framework_installed(f)]
        return platform.put_agent(org_id, example_agent(installed[0] if installed else "agno"))


def run_quickstart(args: argparse.Namespace) -> int:
    """Run the loop; print each step's outcome; exit 0 when the invoked task completed."""
    target = resolve_target(args, embedded=True)
    try:
        return _run(target, args)
    finally:
        target.close()


def _run(target: Target, args: argparse.Namespace) -> int:
    configuration = target.configuration
    note("[1/4] seeding the example agent")
    agent = seed(target)

    note("[2/4] runtime arguments for each framework")
    per_framework: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        note(f"      {framework}{'' if framework_installed(framework) else ' (not installed)'}")
        try:
            per_framework[framework] = args_report(
                configuration, agent.id, None, framework, materialize=True
            )
        except (XpanderError, ImportError) as exc:
            per_framework[framework] = {"error": f"{type(exc).__name__}: {exc}"}

    note("[3/4] reporting a task run elsewhere")
    from ._backend import Backend

    with Backend(configuration) as backend:
        reported = backend.report_external_task(
            agent_id=agent.id,
            input="Summarize yesterday's support tickets",
            result="12 tickets, 3 about billing",
            duration=1.5,
            used_tools=["ticket_search"],
            tokens={"prompt_tokens": 120, "completion_tokens": 40},
        )

    note("[4/4] invoking the agent; a worker runs the guide's @on_task handler")
    with target.on_socket() as served:
        invoked = invoke_task(served, agent.id, "What is xpander?")

        async def work() -> str:
            worker = Worker(handle_agent_task, served, agent_id=agent.id, progress=note)
            runner = asyncio.create_task(worker.run())
            try:
                record = await worker.wait_registered()
                await asyncio.to_thread(follow_task, served, invoked.id, 60.0)
                return record.id
            finally:
                worker.request_stop()
                await runner

        worker_id = asyncio.run(work())
        finished = follow_task(served, invoked.id, 5.0, on_status=lambda line: None)

    summary = {
        "platform": {
            "kind": "embedded",
            "data_dir": str(target.directory),
            "organization_id": configuration.organization_id,
        },
        "agent": {"id": agent.id, "name": agent.name, "version": agent.version},
        "args": per_framework,
        "reported_task": task_summary(reported),
        "invoked_task": {**task_summary(finished), "worker_id": worker_id},
    }
    emit(summary, args.json, _text)
    if not invocation_succeeded(finished.status, waited=True):
        raise CliError(f"the invoked task ended {finished.status.value}: {finished.result}")
    return 0


def _text(summary: dict[str, Any]) -> str:
    agent = summary["agent"]
    lines = [
        f"xpander-backend quickstart: the whole loop on the embedded local platform "
        f"({summary['platform']['data_dir']}/)",
        "",
        f"1. agent    {agent['name']} ({agent['id']}, version {agent['version']})",
        "2. args",
    ]
    for framework, report in summary["args"].items():
        if "error" in report:
            lines.append(f"   {framework:<15} error: {report['error']}")
            continue
        key = report["key"] or {}
        origin = key.get("source", "?") + (f" ({key['variable']})" if key.get("variable") else "")
        built = (
            "arguments: " + ", ".join(report["args"])
            if report.get("args")
            else "plan only (framework not installed)"
        )
        lines.append(f"   {framework:<15} {report['model']['id']}, key *** from {origin}; {built}")
    reported = summary["reported_task"]
    invoked = summary["invoked_task"]
    lines += [
        f"3. report   task {reported['id']} {reported['status']} (source {reported['source']})",
        f"4. invoke   task {invoked['id']} {invoked['status']} by worker {invoked['worker_id']}",
        f"            result: {invoked['result']}",
        "",
        "Next: xpander-backend args quickstart-agent --json",
        "      xpander-backend worker MODULE --agent quickstart-agent   (your @on_task handler)",
        "      xpander-backend invoke quickstart-agent 'Hello'          (in another terminal)",
    ]
    return "\n".join(lines)
