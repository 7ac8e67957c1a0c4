"""The ``xpander-backend`` command: the product's front door.

::

    xpander-backend quickstart                 the whole loop on the embedded platform
    xpander-backend args AGENT_ID              runtime arguments (secrets redacted)
    xpander-backend report AGENT_ID ...        report a task run elsewhere
    xpander-backend invoke AGENT_ID TEXT       invoke an agent, follow the task to its end
    xpander-backend worker MODULE[:ATTR]       run the @on_task handler of a module
    xpander-backend serve                      serve the local platform (with the task stream)
    xpander-backend org|key|agent|task ...     administer the local platform

With ``XPANDER_API_KEY`` set, commands talk to the platform the environment
names (``XPANDER_BASE_URL``, ``XPANDER_ORGANIZATION_ID``). Without it they use
the embedded local platform: a SQLite file in ``--data-dir``, else
``$XPANDER_DATA_DIR``, else ``./.xpander-data``, and say so on stderr. The
embedded platform's organisation and key are created on first use and kept in
``local-identity.json`` (mode 0600) in that directory, so that every command
sees the same agents and tasks.

Results go to stdout (readable, or JSON with ``--json``); progress and notes
go to stderr. No secret is ever printed: keys appear as ``***``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from returns.result import Failure

from xpander_pure import (
    END_STATES,
    Agent,
    Task,
    XpanderError,
    decode,
    invocation_succeeded,
    to_redacted_builtins,
)

from ._config import LOCAL_BASE_URL, Configuration
from ._exceptions import InvalidResponseError
from .platform._paths import data_dir, database_path

IDENTITY_FILE = "local-identity.json"


class CliError(Exception):
    """A failure to report as ``error: ...`` with exit status ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def note(message: str) -> None:
    """A progress or context line, on stderr."""
    print(message, file=sys.stderr, flush=True)


def emit(value: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    """The command's result on stdout: JSON, or the readable form."""
    if as_json:
        print(json.dumps(value, indent=2, sort_keys=True, default=str))
    else:
        print(text(value))


# --- where commands go ------------------------------------------------------------------


@dataclass
class Target:
    """The platform a command talks to."""

    configuration: Configuration
    platform: Any = None
    """The embedded ``LocalPlatform``, or ``None`` for a remote platform."""
    directory: Path | None = None

    @property
    def embedded(self) -> bool:
        return self.platform is not None

    def close(self) -> None:
        if self.platform is not None:
            self.platform.close()

    @contextlib.contextmanager
    def on_socket(self) -> Iterator[Configuration]:
        """A configuration reaching the platform over a socket (the task stream needs one).

        The embedded platform is served by uvicorn on an ephemeral 127.0.0.1 port
        for as long as the block runs; a remote platform is used as it is.
        """
        if self.platform is None:
            yield self.configuration
            return
        from .platform import serve

        with contextlib.ExitStack() as stack:
            try:
                url = stack.enter_context(serve(self.platform, "127.0.0.1", 0))
            except RuntimeError as exc:
                raise CliError(str(exc)) from None
            note(f"serving the embedded platform on {url} for the task stream")
            yield Configuration(
                api_key=self.configuration.api_key,
                organization_id=self.configuration.organization_id,
                base_url=url,
                agent_id=self.configuration.agent_id,
                is_cloud=False,
            )


def local_identity(platform: Any, directory: Path) -> tuple[str, str]:
    """The embedded platform's (organisation id, key), created on first use."""
    path = directory / IDENTITY_FILE
    known = {org_id for org_id, _name in platform.list_organizations()}
    if path.exists():
        try:
            stored = json.loads(path.read_text())
            org_id, key = str(stored["organization_id"]), str(stored["api_key"])
        except (ValueError, KeyError, TypeError):
            org_id, key = "", ""
        if org_id in known and key:
            return org_id, key
    org_id = platform.create_organization("local")
    key = platform.create_api_key(org_id)
    # Written with 0600 from the start: the file holds a key of the local platform.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"organization_id": org_id, "api_key": key}, handle)
    return org_id, key


def resolve_target(args: argparse.Namespace, *, embedded: bool = False) -> Target:
    """The remote platform when ``XPANDER_API_KEY`` is set (and not ``embedded``),
    else the embedded one."""
    if not embedded and (os.environ.get("XPANDER_API_KEY") or "").strip():
        configuration = Configuration()
        note(f"using the platform at {configuration.base_url} (XPANDER_API_KEY is set)")
        return Target(configuration)
    from ._inprocess import InProcessTransport
    from .platform import LocalPlatform

    directory = data_dir(getattr(args, "data_dir", None))
    directory.mkdir(parents=True, exist_ok=True)
    if embedded:
        note(f"using the embedded local platform in {directory}/")
    else:
        note(f"XPANDER_API_KEY is not set: using the embedded local platform in {directory}/")
    platform = LocalPlatform(database_path(directory))
    org_id, key = local_identity(platform, directory)
    configuration = Configuration(
        api_key=key,
        organization_id=org_id,
        base_url=LOCAL_BASE_URL,
        is_cloud=False,
        transport=InProcessTransport(platform.asgi),
    )
    configuration.platform = platform
    return Target(configuration, platform, directory)


# --- args -------------------------------------------------------------------------------


def plan_for(
    configuration: Configuration, agent_id: str, version: int | None, framework: str | None
) -> tuple[Agent, Any, Any]:
    """The agent, its resolved model and its framework plan, as ``Backend.get_args``
    computes them."""
    from xpander_pure.frameworks import plan_args

    from ._backend import Backend

    with Backend(configuration) as backend:
        plan_input = backend.get_plan_input(agent_id, agent_version=version)
    plan = plan_args(framework, plan_input)
    if isinstance(plan, Failure):
        raise plan.failure()
    return plan_input.agent, plan_input.model, plan.unwrap()


def key_origin(model: Any) -> dict[str, Any]:
    """Where the LLM key of a ``ResolvedModel`` came from, never the key."""
    key = model.key
    return {
        "source": key.source.value,
        "variable": key.variable,
        "value": "***" if key.value else None,
    }


def plan_view(plan: Any) -> dict[str, Any]:
    """The plan as ``args`` prints it: the core's names-only redaction."""
    shown: dict[str, Any] = to_redacted_builtins(plan, names_only=True)
    return shown


def framework_installed(framework: str) -> bool:
    """True when the framework's package can be imported (checked without importing it)."""
    import importlib.util

    module = {
        "agno": "agno",
        "open-ai-agents": "agents",
        "langchain": "langchain",
        "google-adk": "google.adk",
        "strands-agents": "strands",
    }.get(framework)
    if module is None:
        return False
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def args_report(
    configuration: Configuration,
    agent_id: str,
    version: int | None,
    framework: str | None,
    materialize: bool,
) -> dict[str, Any]:
    """What ``args`` prints: the agent, the key's origin, the plan, the argument types."""
    agent, model, plan = plan_for(configuration, agent_id, version, framework)
    report: dict[str, Any] = {
        "agent": {"id": agent.id, "name": agent.name, "version": agent.version},
        "framework": plan.framework,
        "model": {"provider": plan.model.provider, "id": plan.model.model_id},
        "key": key_origin(model),
        "plan": plan_view(plan),
    }
    if materialize and framework_installed(plan.framework):
        from .frameworks import materialize as build

        report["args"] = build(plan).describe()
    elif materialize:
        report["args"] = None
        report["note"] = f"{plan.framework} is not installed: the plan is shown, not the objects"
    return report


def args_text(report: dict[str, Any]) -> str:
    key = report["key"] or {}
    origin = key.get("source", "?")
    if key.get("variable"):
        origin += f" ({key['variable']})"
    lines = [
        f"agent      {report['agent']['name']} ({report['agent']['id']}, "
        f"version {report['agent']['version']})",
        f"framework  {report['framework']}",
        f"model      {report['model']['provider']} / {report['model']['id']}",
        f"llm key    {'***' if key.get('value') else 'none'} from {origin}",
    ]
    if report.get("args"):
        lines.append("arguments  " + ", ".join(f"{k}: {v}" for k, v in report["args"].items()))
    if report.get("note"):
        lines.append(f"note       {report['note']}")
    return "\n".join(lines)


def cmd_args(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    try:
        report = args_report(
            target.configuration, args.agent_id, args.version, args.framework, True
        )
    finally:
        target.close()
    emit(report, args.json, args_text)
    return 0


# --- report -----------------------------------------------------------------------------


def task_summary(task: Task) -> dict[str, Any]:
    """The fields of a task worth printing (secrets redacted)."""
    return {
        "id": task.id,
        "agent_id": task.agent_id,
        "status": task.status.value,
        "result": task.result,
        "source": task.source,
        "created_at": task.created_at.isoformat(),
        "finished_at": task.finished_at.isoformat() if task.finished_at else None,
    }


def task_text(summary: dict[str, Any]) -> str:
    return f"task {summary['id']}  {summary['status']}\nresult: {summary['result']}"


def cmd_report(args: argparse.Namespace) -> int:
    from ._backend import Backend

    target = resolve_target(args)
    tokens = None
    if args.prompt_tokens is not None or args.completion_tokens is not None:
        tokens = {
            "prompt_tokens": args.prompt_tokens or 0,
            "completion_tokens": args.completion_tokens or 0,
        }
    try:
        with Backend(target.configuration) as backend:
            task = backend.report_external_task(
                agent_id=args.agent_id,
                id=args.id,
                input=args.input,
                result=args.result,
                is_success=not args.failed,
                duration=args.duration,
                used_tools=args.tool or [],
                tokens=tokens,
            )
    finally:
        target.close()
    emit(task_summary(task), args.json, task_text)
    return 0


# --- invoke -----------------------------------------------------------------------------


def _task_answer(content: bytes) -> Task:
    """The task a 2xx answer holds, else ``InvalidResponseError`` naming the field."""
    decoded = decode(Task, content)
    if isinstance(decoded, Failure):
        error = decoded.failure()
        raise InvalidResponseError("task", error.field, error.reason)
    return decoded.unwrap()


def invoke_task(configuration: Configuration, agent_id: str, text: str) -> Task:
    """Create a task (``POST /agent-execution/{agent_id}``)."""
    from xpander_pure import InvokeRequest, TaskInput, to_wire
    from xpander_pure._addressing import path_segment

    from ._http import ApiRequest, SyncDriver

    driver = SyncDriver(configuration)
    try:
        body = to_wire(InvokeRequest(input=TaskInput(text=text), source="cli"))
        response = driver.send(
            ApiRequest(
                method="POST",
                route=f"/agent-execution/{path_segment(agent_id)}",
                body=body,
                retryable=False,
            )
        )
        return _task_answer(response.content)
    finally:
        driver.close()


def follow_task(
    configuration: Configuration,
    task_id: str,
    timeout: float,
    interval: float = 0.2,
    on_status: Callable[[str], None] = note,
) -> Task:
    """Poll the task until it ends (or ``timeout``), reporting each status change."""
    from xpander_pure._addressing import path_segment

    from ._http import ApiRequest, SyncDriver

    driver = SyncDriver(configuration)
    deadline = time.monotonic() + timeout
    last = ""
    try:
        while True:
            response = driver.send(
                ApiRequest(method="GET", route=f"/agent-execution/{path_segment(task_id)}/status")
            )
            task = _task_answer(response.content)
            if task.status.value != last:
                last = task.status.value
                on_status(f"task {task.id}: {last}")
            if task.status in END_STATES:
                return task
            if time.monotonic() > deadline:
                raise CliError(
                    f"task {task_id} still {last} after {timeout:g} s "
                    "(is a worker running? xpander-backend worker MODULE)",
                    code=3,
                )
            time.sleep(interval)
    finally:
        driver.close()


def cmd_invoke(args: argparse.Namespace) -> int:
    target = resolve_target(args)
    try:
        configuration = target.configuration
        task = invoke_task(configuration, args.agent_id, args.text)
        note(f"invoked agent {args.agent_id}: task {task.id}")
        if not args.no_wait:
            if args.worker:
                task = _invoke_with_worker(target, args, task)
            else:
                task = follow_task(configuration, task.id, args.timeout)
    finally:
        target.close()
    emit(task_summary(task), args.json, task_text)
    return 0 if invocation_succeeded(task.status, waited=not args.no_wait) else 4


def _invoke_with_worker(target: Target, args: argparse.Namespace, task: Task) -> Task:
    handler = load_handler(args.worker)
    from ._worker import Worker

    with target.on_socket() as configuration:

        async def run() -> None:
            worker = Worker(handler, configuration, agent_id=args.agent_id, progress=note)
            runner = asyncio.create_task(worker.run())
            try:
                await asyncio.to_thread(follow_task, configuration, task.id, args.timeout)
            finally:
                worker.request_stop()
                await runner

        asyncio.run(run())
        return follow_task(configuration, task.id, args.timeout, on_status=lambda line: None)


# --- worker -----------------------------------------------------------------------------


def load_handler(spec: str) -> Any:
    """``module`` (its single ``@on_task`` handler) or ``module:attribute``."""
    from ._worker import check_task_handler, registered_handlers

    module_name, _, attribute = spec.partition(":")
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    before = len(registered_handlers())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise CliError(f"cannot import {module_name!r}: {exc}", code=2) from None
    if attribute:
        handler = getattr(module, attribute, None)
        if handler is None:
            raise CliError(f"{module_name!r} has no attribute {attribute!r}", code=2)
        try:
            return check_task_handler(handler)
        except TypeError as exc:
            raise CliError(str(exc), code=2) from None
    found = registered_handlers()[before:] or [
        h for h in registered_handlers() if getattr(h, "__module__", None) == module.__name__
    ]
    if len(found) != 1:
        names = ", ".join(getattr(h, "__qualname__", "?") for h in found) or "none"
        raise CliError(
            f"{module_name!r} registers {len(found)} @on_task handlers ({names}); "
            f"name one: {module_name}:HANDLER",
            code=2,
        )
    return found[0]


def cmd_worker(args: argparse.Namespace) -> int:
    from ._worker import Worker, run_until_signal

    handler = load_handler(args.module)
    target = resolve_target(args)
    agent_id = args.agent or target.configuration.agent_id
    if not agent_id:
        raise CliError("name the agent: --agent ID (or set XPANDER_AGENT_ID)", code=2)
    try:
        with target.on_socket() as configuration:
            worker = Worker(
                handler,
                configuration,
                agent_id=agent_id,
                concurrency=args.concurrency,
                progress=note,
            )
            note(f"worker for agent {agent_id}: Ctrl-C stops it after the tasks in flight")
            asyncio.run(run_until_signal(worker))
    finally:
        target.close()
    note(f"worker stopped; {len(worker.finished)} task(s) handled")
    return 0


# --- parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    from .platform import add_platform_commands

    parser = argparse.ArgumentParser(
        prog="xpander-backend",
        description="Agent runtime arguments, task reports and task workers for xpander.",
    )
    subparsers = parser.add_subparsers(required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", help="embedded platform's data (default $XPANDER_DATA_DIR or ./.xpander-data)"
    )
    common.add_argument("--json", action="store_true", help="print JSON")

    quickstart = subparsers.add_parser(
        "quickstart", parents=[common], help="seed an example agent and run the whole loop"
    )
    quickstart.set_defaults(handler=_quickstart)

    args_cmd = subparsers.add_parser(
        "args", parents=[common], help="an agent's runtime arguments (secrets redacted)"
    )
    args_cmd.add_argument("agent_id")
    args_cmd.add_argument("--framework", help="plan for this framework instead of the agent's")
    args_cmd.add_argument("--version", type=int, help="agent version (default: latest)")
    args_cmd.set_defaults(handler=cmd_args)

    report = subparsers.add_parser(
        "report", parents=[common], help="report a task executed outside the platform"
    )
    report.add_argument("agent_id")
    report.add_argument("--input", required=True, help="what the task was asked")
    report.add_argument("--result", required=True, help="what it produced")
    report.add_argument("--id", help="task id (default: a new one)")
    report.add_argument("--failed", action="store_true", help="the task did not succeed")
    report.add_argument("--duration", type=float, default=0, help="seconds")
    report.add_argument("--tool", action="append", help="a tool used (repeatable)")
    report.add_argument("--prompt-tokens", type=int)
    report.add_argument("--completion-tokens", type=int)
    report.set_defaults(handler=cmd_report)

    invoke = subparsers.add_parser(
        "invoke", parents=[common], help="invoke an agent and follow the task to its end"
    )
    invoke.add_argument("agent_id")
    invoke.add_argument("text")
    invoke.add_argument("--timeout", type=float, default=300, help="seconds to follow the task")
    invoke.add_argument("--no-wait", action="store_true", help="print the pending task and exit")
    invoke.add_argument(
        "--worker", metavar="MODULE[:ATTR]", help="run this handler in-process for the task"
    )
    invoke.set_defaults(handler=cmd_invoke)

    worker = subparsers.add_parser(
        "worker", parents=[common], help="run a module's @on_task handler on the task stream"
    )
    worker.add_argument("module", metavar="MODULE[:ATTR]")
    worker.add_argument("--agent", help="agent id (default $XPANDER_AGENT_ID)")
    worker.add_argument("--concurrency", type=int, default=6, help="tasks at once")
    worker.set_defaults(handler=cmd_worker)

    add_platform_commands(subparsers)
    return parser


def _quickstart(args: argparse.Namespace) -> int:
    from ._quickstart import run_quickstart

    return run_quickstart(args)


def main(argv: list[str] | None = None) -> int:
    """Run the ``xpander-backend`` command; the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except XpanderError as exc:
        # Library errors never carry secrets (see xpander_pure._errors).
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
