"""Command-line commands of the local platform (``xpander-backend serve|org|key|agent|task``).

``python -m xpander_io.platform`` runs these commands alone; ``serve`` is the
same in both (the platform with its task stream).

The commands act directly on the SQLite file in the data directory
(``--data-dir``, else ``$XPANDER_DATA_DIR``, else ``./.xpander-data``).
Secrets are printed once, when a key is created, and never otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from xpander_pure import to_redacted_builtins

from ._local import LocalPlatform
from ._paths import data_dir, database_path


def open_platform(explicit: str | None) -> LocalPlatform:
    directory = data_dir(explicit)
    directory.mkdir(parents=True, exist_ok=True)
    return LocalPlatform(database_path(directory))


def read_definition(path: str) -> dict[str, Any]:
    """A JSON or TOML agent definition file (TOML needs Python 3.11+)."""
    raw = Path(path).read_bytes()
    if path.endswith(".toml"):
        if sys.version_info >= (3, 11):
            import tomllib

            return tomllib.loads(raw.decode("utf-8"))
        raise SystemExit("TOML definitions need Python 3.11 or later; use a JSON file")
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise SystemExit(f"{path}: an agent definition must be a JSON object")
    return value


def add_platform_commands(subparsers: Any) -> None:
    """Add ``serve``, ``org``, ``key``, ``agent`` and ``task`` to an argparse subparsers object."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", help="data directory (default $XPANDER_DATA_DIR or ./.xpander-data)"
    )

    serve = subparsers.add_parser("serve", parents=[common], help="serve the local platform")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=9016)
    serve.add_argument(
        "--access-log", action="store_true", help="log one line per request (method, path, status)"
    )
    serve.set_defaults(handler=cmd_serve)

    org = subparsers.add_parser("org", help="organisations").add_subparsers(required=True)
    org_create = org.add_parser("create", parents=[common], help="create; prints the id")
    org_create.add_argument("name")
    org_create.set_defaults(handler=cmd_org_create)

    key = subparsers.add_parser("key", help="API keys").add_subparsers(required=True)
    key_create = key.add_parser("create", parents=[common], help="create; prints it once")
    key_create.add_argument("--org", required=True)
    key_create.set_defaults(handler=cmd_key_create)

    agent = subparsers.add_parser("agent", help="agents").add_subparsers(required=True)
    agent_put = agent.add_parser("put", parents=[common], help="add or update from a file")
    agent_put.add_argument("file")
    agent_put.add_argument("--org", required=True)
    agent_put.set_defaults(handler=cmd_agent_put)
    agent_list = agent.add_parser("list", parents=[common], help="latest versions")
    agent_list.add_argument("--org", required=True)
    agent_list.set_defaults(handler=cmd_agent_list)

    task = subparsers.add_parser("task", help="tasks").add_subparsers(required=True)
    task_list = task.add_parser("list", parents=[common], help="tasks in creation order")
    task_list.add_argument("--org", required=True)
    task_list.add_argument("--agent")
    task_list.set_defaults(handler=cmd_task_list)
    task_events = task.add_parser("events", parents=[common], help="a task's events")
    task_events.add_argument("task_id")
    task_events.add_argument("--org", required=True)
    task_events.set_defaults(handler=cmd_task_events)


def cmd_serve(args: argparse.Namespace) -> int:
    from ._serve import serve

    path = data_dir(args.data_dir)
    path.mkdir(parents=True, exist_ok=True)
    access_log = bool(getattr(args, "access_log", False))
    with serve(
        database_path(path), host=args.host, port=args.port, log_level="info", access_log=access_log
    ) as url:
        print(f"local platform on {url} (data in {path}/)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def cmd_org_create(args: argparse.Namespace) -> int:
    with open_platform(args.data_dir) as platform:
        print(platform.create_organization(args.name))
    return 0


def cmd_key_create(args: argparse.Namespace) -> int:
    with open_platform(args.data_dir) as platform:
        try:
            print(platform.create_api_key(args.org))
        except LookupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


def cmd_agent_put(args: argparse.Namespace) -> int:
    with open_platform(args.data_dir) as platform:
        try:
            agent = platform.put_agent(args.org, read_definition(args.file))
        except ValueError as exc:
            print(f"error: {args.file}: {exc}", file=sys.stderr)
            return 2
    print(f"{agent.id} version {agent.version} ({agent.name})")
    return 0


def cmd_agent_list(args: argparse.Namespace) -> int:
    with open_platform(args.data_dir) as platform:
        for agent in platform.list_agents(args.org):
            print(f"{agent.id}\tv{agent.version}\t{agent.framework}\t{agent.name}")
    return 0


def cmd_task_list(args: argparse.Namespace) -> int:
    with open_platform(args.data_dir) as platform:
        for task in platform.list_tasks(args.org, args.agent):
            print(f"{task.id}\t{task.agent_id}\t{task.status.value}\t{task.created_at.isoformat()}")
    return 0


def cmd_task_events(args: argparse.Namespace) -> int:
    with open_platform(args.data_dir) as platform:
        for event in platform.list_events(args.org, args.task_id):
            print(json.dumps(to_redacted_builtins(event)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point running only the platform commands."""
    parser = argparse.ArgumentParser(prog="xpander-backend")
    add_platform_commands(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code
