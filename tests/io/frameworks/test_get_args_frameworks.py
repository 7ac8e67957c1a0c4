"""End to end: Backend.get_args against the local platform → each framework's real agent.

The sample agents (tests/samples/frameworks) are stored on an in-process local
platform; ``get_args(framework=...)`` fetches them (and their sub-agents),
resolves keys, plans and materializes; the test builds the framework's own
agent object from the result. The MCP sample points at a real MCP server on
127.0.0.1 (strands connects while constructing, langchain while building the
arguments, to list the server's tools).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from xpander_io import Backend, Configuration
from xpander_pure import Task, decode

SAMPLES = Path(__file__).parents[2] / "samples" / "frameworks"


def _construct(framework: str, kwargs: dict[str, Any]) -> Any:
    if framework == "agno":
        from agno.agent import Agent
        from agno.team import Team

        return (Team if "members" in kwargs else Agent)(**kwargs)
    if framework == "open-ai-agents":
        import agents

        return agents.Agent(**kwargs)
    if framework == "langchain":
        from langchain.agents import create_agent

        return create_agent(**kwargs)
    if framework == "google-adk":
        from google.adk.agents import LlmAgent

        return LlmAgent(**kwargs)
    import strands

    return strands.Agent(**kwargs)


def _model_id_and_key(framework: str, kwargs: dict[str, Any], built: Any) -> tuple[str, str]:
    if framework == "agno":
        return built.model.id, built.model.api_key
    if framework == "open-ai-agents":
        return built.model.model, built.model._client.api_key
    if framework == "langchain":
        model = kwargs["model"]  # the compiled graph keeps it inside its model node
        return model.model_name, model.openai_api_key.get_secret_value()
    if framework == "google-adk":
        return built.model.model, built.model._additional_args["api_key"]
    return built.model.config["model_id"], built.model.client_args["api_key"]


def _instructions(framework: str, kwargs: dict[str, Any], built: Any) -> str:
    if framework == "agno":
        return str(built.instructions)
    if framework == "open-ai-agents":
        return str(built.instructions)
    if framework == "langchain":
        return str(kwargs["system_prompt"])
    if framework == "google-adk":
        return str(built.instruction)
    return str(built.system_prompt)


def _tool_count(framework: str, built: Any) -> int:
    if framework == "open-ai-agents":
        return len(built.tools) + len(built.mcp_servers)
    if framework == "langchain":
        return len(built.nodes["tools"].bound.tools_by_name) if "tools" in built.nodes else 0
    if framework == "strands-agents":
        return len(built.tool_names)
    return len(built.tools or [])


@pytest.fixture(scope="module")
def platform_backend(
    tmp_path_factory: pytest.TempPathFactory, mcp_server: tuple[str, Any]
) -> Iterator[tuple[Backend, dict[str, Task | None]]]:
    url, _ = mcp_server
    configuration = Configuration.local(tmp_path_factory.mktemp("frameworks"))
    assert configuration.platform is not None and configuration.organization_id is not None
    tasks: dict[str, Task | None] = {}
    for case in ("plain", "json_schema", "task_overrides", "mcp", "team"):
        raw = json.loads((SAMPLES / f"{case}.json").read_text())
        agent = raw["agent"]
        if case == "mcp":
            agent["mcp_servers"] = [{**agent["mcp_servers"][0], "url": url}]
        org = configuration.organization_id
        for definition in [*raw.get("sub_agents", []), agent]:
            configuration.platform.put_agent(org, {**definition, "organization_id": org})
        task = {**raw["task"], "organization_id": org} if raw.get("task") else None
        tasks[agent["id"]] = decode(Task, task).unwrap() if task else None
    with Backend(configuration) as backend:
        yield backend, tasks


FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")
Args = Callable[[str, str], tuple[dict[str, Any], Any]]


@pytest.fixture(scope="module")
def args(platform_backend: tuple[Backend, dict[str, Task | None]]) -> Args:
    backend, tasks = platform_backend

    def get(framework: str, agent_id: str) -> tuple[dict[str, Any], Any]:
        kwargs = backend.get_args(agent_id=agent_id, task=tasks[agent_id], framework=framework)
        return kwargs, _construct(framework, kwargs)

    return get


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_plain_agent_gets_model_id_key_and_instructions(framework: str, args: Args) -> None:
    kwargs, built = args(framework, "agent-plain")
    model_id = "openai/gpt-4.1" if framework == "google-adk" else "gpt-4.1"
    assert _model_id_and_key(framework, kwargs, built) == (model_id, "sk-canary-plain-0001")
    assert "You answer support questions." in _instructions(framework, kwargs, built)
    assert _tool_count(framework, built) == 0


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_task_overrides_reach_the_built_agent(framework: str, args: Args) -> None:
    kwargs, built = args(framework, "agent-task")
    text = _instructions(framework, kwargs, built)
    assert "Write a haiku instead." in text and "Write blog posts." not in text


@pytest.mark.parametrize("framework", ["agno", "google-adk", "langchain"])
def test_json_schema_reaches_the_built_agent(framework: str, args: Args) -> None:
    kwargs, _built = args(framework, "agent-json")
    schema = kwargs.get("output_schema") or kwargs.get("response_format")
    assert schema["required"] == ["invoice_number", "total"]


def test_json_schema_reaches_openai_agents_output_type(args: Args) -> None:
    _, built = args("open-ai-agents", "agent-json")
    assert built.output_type.json_schema()["required"] == ["invoice_number", "total"]


def test_json_schema_reaches_strands_as_a_pydantic_model(args: Args) -> None:
    _, built = args("strands-agents", "agent-json")
    model = built._default_structured_output_model
    assert model.model_json_schema()["required"] == ["invoice_number", "total"]


@pytest.mark.parametrize(
    ("framework", "count"),
    [
        ("agno", 1),
        ("open-ai-agents", 1),
        ("google-adk", 1),
        ("strands-agents", 1),
        ("langchain", 1),
    ],
)
def test_mcp_server_becomes_one_tool_source(framework: str, count: int, args: Args) -> None:
    _kwargs, built = args(framework, "agent-mcp")
    assert _tool_count(framework, built) == count


def test_langchain_mcp_agent_lists_the_servers_tools_with_its_key(
    args: Args, mcp_server: tuple[str, Any]
) -> None:
    _, recorder = mcp_server
    first = len(recorder.headers)  # the server is shared with other tests
    kwargs, built = args("langchain", "agent-mcp")
    assert list(built.nodes["tools"].bound.tools_by_name) == ["lookup"]
    assert _model_id_and_key("langchain", kwargs, built) == (
        "meta/llama-3.1-70b-instruct",
        "nvapi-canary-mcp-0004",
    )
    assert "Use the tools." in _instructions("langchain", kwargs, built)
    sent = {headers.get("authorization") for headers in recorder.headers[first:]}
    assert sent == {"Bearer mcp-canary-key-0005"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_team_agent_gets_both_sub_agents(framework: str, args: Args) -> None:
    _kwargs, built = args(framework, "agent-lead")
    members = {
        "agno": lambda: [m.name for m in built.members],
        "open-ai-agents": lambda: [h.name for h in built.handoffs],
        "google-adk": lambda: [s.name for s in built.sub_agents],
        "langchain": lambda: sorted(built.nodes["tools"].bound.tools_by_name),
        "strands-agents": lambda: sorted(built.tool_names),
    }[framework]()
    assert len(members) == 2 and any("Editor" in name for name in members)
