"""``xpander-backend args`` (plain and ``--json``) and ``invoke`` print no secret, and a
bad platform answer is a clean error (canary values, real local platform)."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import pytest
from backend_support import FaultServer, Served, fault_config
from test_command_line import cli, seed_agent

from xpander_io import InvalidResponseError
from xpander_io._cli import invoke_task
from xpander_io.platform import LocalPlatform

ENV_CANARY = "env-canary-cli-1b3d"
ARG_CANARY = "arg-canary-cli-2c4e"
MCP_HEADER_CANARY = "mcp-hdr-canary-cli-3d5f"
LLM_HEADER_CANARY = "llm-hdr-canary-cli-4e60"
OIDC_CANARY = "oidc-canary-cli-5f71"
ORG_HEADER_CANARY = "org-hdr-canary-cli-6082"
LLM_KEY_CANARY = "sk-canary-cli-key-7193"
CANARIES = (
    ENV_CANARY,
    ARG_CANARY,
    MCP_HEADER_CANARY,
    LLM_HEADER_CANARY,
    OIDC_CANARY,
    ORG_HEADER_CANARY,
    LLM_KEY_CANARY,
)
# A JSON output schema with a property named like a credential field: user data,
# printed as it is.
OUTPUT_SCHEMA = {"type": "object", "properties": {"headers": {"type": "object"}}}


def seeded(data_dir: Path) -> str:
    org, agent_id = seed_agent(
        data_dir,
        llm_credentials={"name": "k", "value": LLM_KEY_CANARY},
        output_format="json",
        output_schema=OUTPUT_SCHEMA,
        llm_extra_headers={"X-Gateway": LLM_HEADER_CANARY, "x-oidc-token": OIDC_CANARY},
        mcp_servers=[
            {
                "name": "files",
                "type": "local",
                "command": f"npx files-server --token {ARG_CANARY}",
                "env_vars": {"FILES_TOKEN": ENV_CANARY},
            },
            {
                "name": "search",
                "url": "http://127.0.0.1:9/mcp",
                "headers": {"X-Search-Key": MCP_HEADER_CANARY},
            },
        ],
    )
    with LocalPlatform(data_dir / "platform.sqlite3") as platform:
        platform.set_default_llm_headers(org, {"X-Org-Key": ORG_HEADER_CANARY})
    return agent_id


@pytest.fixture
def json_output(tmp_path: Path) -> str:
    data_dir = tmp_path / "data"
    done = cli(data_dir, "args", seeded(data_dir), "--json")
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def json_args(json_output: str) -> dict[str, object]:
    report: dict[str, object] = json.loads(json_output[: json_output.rindex("}") + 1])
    return report


def test_args_json_prints_no_header_env_argument_or_oidc_value(json_output: str) -> None:
    assert [c for c in CANARIES if c in json_output] == []


def test_args_json_shows_env_and_header_names_only(json_args: dict[str, object]) -> None:
    plan = json_args["plan"]
    assert isinstance(plan, dict)
    files, search = plan["mcp_tools"]
    assert (files["env"], search["headers"]) == (["FILES_TOKEN"], ["X-Search-Key"])


def test_args_json_shows_a_local_servers_program_and_argument_count(
    json_args: dict[str, object],
) -> None:
    plan = json_args["plan"]
    assert isinstance(plan, dict)
    files = plan["mcp_tools"][0]
    assert (files["command"], files["arg_count"], "args" in files) == ("npx", 3, False)


def test_args_json_prints_an_output_schema_property_named_headers_as_it_is(
    json_args: dict[str, object],
) -> None:
    plan = json_args["plan"]
    assert isinstance(plan, dict)
    assert plan["output"]["schema"] == OUTPUT_SCHEMA


def test_args_json_shows_the_model_header_names(json_args: dict[str, object]) -> None:
    plan = json_args["plan"]
    assert isinstance(plan, dict)
    assert {"X-Gateway", "X-Org-Key"} <= set(plan["model"]["headers"])


def test_args_plain_output_prints_no_secret(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = cli(data_dir, "args", seeded(data_dir))
    assert done.returncode == 0, done.stderr
    assert [c for c in CANARIES if c in done.stdout + done.stderr] == []


def test_invoke_raises_invalid_response_error_on_a_malformed_task(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/agent-execution/"
    faults.script = deque(["malformed"])
    with pytest.raises(InvalidResponseError) as raised:
        invoke_task(fault_config(served, faults), "any-agent", "hi")
    assert raised.value.what == "task"


def test_invoke_command_reports_a_malformed_task_as_a_one_line_error(
    tmp_path: Path, served: Served, faults: FaultServer
) -> None:
    faults.match = "/agent-execution/"
    faults.script = deque(["malformed"])
    done = cli(
        tmp_path / "data",
        "invoke",
        "any-agent",
        "hi",
        "--no-wait",
        XPANDER_API_KEY=served.api_key,
        XPANDER_BASE_URL=faults.url,
        XPANDER_ORGANIZATION_ID=served.organization_id,
    )
    assert (done.returncode, "Traceback" in done.stderr) == (1, False)
    assert "error: InvalidResponseError" in done.stderr
