"""Backend against the in-process local platform: get_args, reports, batch, lifecycle."""

from __future__ import annotations

import asyncio
import inspect
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest
from backend_support import FaultServer, Served, agent_definition, environ, fault_config
from returns.io import IOSuccess
from returns.result import Failure
from returns.unsafe import unsafe_perform_io

from xpander_io import (
    AuthenticationError,
    Backend,
    Configuration,
    MissingAgentIdError,
    NotFoundError,
    Tokens,
    ValidationError,
)
from xpander_pure import (
    InvalidInputError,
    KeySource,
    ReportValidationError,
    Secret,
    TaskInput,
    TaskStatus,
    UnsupportedFrameworkError,
)
from xpander_pure import Task as PureTask
from xpander_pure._report import REPORT_ARGUMENTS
from xpander_pure.frameworks import AgentPlan


def _org(config: Configuration) -> str:
    assert config.organization_id is not None
    return config.organization_id


def _put(config: Configuration, agent_id: str, **changes: object) -> None:
    assert config.platform is not None
    config.platform.put_agent(_org(config), agent_definition(agent_id, **changes))


def test_get_args_returns_agno_arguments_for_the_agent(backend: Backend) -> None:
    args = backend.get_args(agent_id="agent-123")
    assert (args["name"], args["model"].id) == ("Support Bot", "gpt-4o")


@pytest.mark.anyio
async def test_aget_args_returns_agno_arguments_for_the_agent(backend: Backend) -> None:
    args = await backend.aget_args(agent_id="agent-123")
    assert (args["name"], args["model"].id) == ("Support Bot", "gpt-4o")


def test_get_args_without_a_task_has_no_session(backend: Backend) -> None:
    assert backend.get_args(agent_id="agent-123", task=None)["session_id"] is None


def test_get_args_with_a_task_uses_its_id_as_session(
    backend: Backend, config: Configuration
) -> None:
    task = PureTask(
        id="task-1",
        agent_id="agent-123",
        organization_id=_org(config),
        input=TaskInput(text="hi"),
        created_at=datetime.now(timezone.utc),
    )
    assert backend.get_args(agent_id="agent-123", task=task)["session_id"] == "task-1"


def test_get_args_takes_the_agent_id_from_the_environment_at_call_time(
    backend: Backend,
) -> None:
    with environ(XPANDER_AGENT_ID="agent-123"):
        assert backend.get_args()["name"] == "Support Bot"


def test_get_args_without_any_agent_id_raises_a_value_error_naming_the_options(
    backend: Backend,
) -> None:
    with environ(XPANDER_AGENT_ID=None), pytest.raises(MissingAgentIdError) as caught:
        backend.get_args()
    assert isinstance(caught.value, ValueError)
    assert all(word in str(caught.value) for word in ("agent_id", "agent=", "XPANDER_AGENT_ID"))


@pytest.mark.anyio
async def test_aget_args_without_any_agent_id_raises_missing_agent_id(backend: Backend) -> None:
    with environ(XPANDER_AGENT_ID=None), pytest.raises(MissingAgentIdError):
        await backend.aget_args()


def test_get_args_with_an_agent_object_does_not_need_an_id(
    backend: Backend, config: Configuration
) -> None:
    assert config.platform is not None
    agent = config.platform.get_agent(_org(config), "agent-123")
    assert backend.get_args(agent=agent)["name"] == "Support Bot"


def test_get_args_honours_agent_version(backend: Backend, config: Configuration) -> None:
    _put(config, "agent-123", name="Renamed Bot")
    assert backend.get_args(agent_id="agent-123")["name"] == "Renamed Bot"
    assert backend.get_args(agent_id="agent-123", agent_version=1)["name"] == "Support Bot"


def test_org_default_headers_are_merged_under_the_agents_own(
    backend: Backend, config: Configuration
) -> None:
    assert config.platform is not None
    config.platform.set_default_llm_headers(_org(config), {"x-org": "o", "x-both": "org"})
    _put(config, "agent-h", llm_extra_headers={"x-both": "agent"})
    headers = backend.get_args(agent_id="agent-h")["model"].default_headers
    assert (headers["x-org"], headers["x-both"]) == ("o", "agent")


def test_override_wins_over_computed_arguments(backend: Backend) -> None:
    args = backend.get_args(agent_id="agent-123", override={"name": "Other"})
    assert args["name"] == "Other"


def test_tools_are_added_to_the_arguments(backend: Backend) -> None:
    def lookup(query: str) -> str:
        return query

    assert lookup in backend.get_args(agent_id="agent-123", tools=[lookup])["tools"]


def test_unknown_framework_argument_raises_unsupported_framework(backend: Backend) -> None:
    with pytest.raises(UnsupportedFrameworkError):
        backend.get_args(agent_id="agent-123", framework="no-such-framework")


def test_unknown_agent_raises_not_found_with_404(backend: Backend) -> None:
    with pytest.raises(NotFoundError) as caught:
        backend.get_args(agent_id="missing-agent")
    assert caught.value.status_code == 404


def test_wrong_api_key_raises_authentication_error(config: Configuration) -> None:
    wrong = Configuration(
        api_key="xpk_wrong",
        organization_id=_org(config),
        base_url=config.base_url,
        transport=config.sync_transport(),  # type: ignore[arg-type]
    )
    with Backend(wrong) as backend, pytest.raises(AuthenticationError):
        backend.get_args(agent_id="agent-123")


def test_report_external_task_returns_the_stored_task(backend: Backend) -> None:
    task_id = str(uuid.uuid4())
    task = backend.report_external_task(
        agent_id="agent-123",
        id=task_id,
        input="Send notification email",
        llm_response={"content": "done"},
        tokens=Tokens(prompt_tokens=50, completion_tokens=150),
        result="Email sent",
        duration=2.5,
        used_tools=["email_sender"],
    )
    assert (task.id, task.status, task.result, task.used_tools, task.duration) == (
        task_id,
        TaskStatus.COMPLETED,
        "Email sent",
        ["email_sender"],
        2.5,
    )
    assert task.tokens is not None and task.tokens.total_tokens == 200


@pytest.mark.anyio
async def test_areport_external_task_failure_is_stored_as_error(backend: Backend) -> None:
    task = await backend.areport_external_task(agent_id="agent-123", is_success=False)
    assert task.status in (TaskStatus.ERROR, TaskStatus.FAILED)


def test_report_takes_the_agent_id_from_the_environment(backend: Backend) -> None:
    with environ(XPANDER_AGENT_ID="agent-123"):
        assert backend.report_external_task(result="ok").agent_id == "agent-123"


def test_invalid_report_raises_before_anything_is_stored(
    backend: Backend, config: Configuration
) -> None:
    assert config.platform is not None
    with pytest.raises(ReportValidationError) as caught:
        backend.report_external_task(agent_id="agent-123", duration=-1)
    assert caught.value.field == "duration"
    assert config.platform.list_tasks(_org(config), "agent-123") == []


@pytest.mark.anyio
async def test_batch_report_returns_one_result_per_report_in_order(backend: Backend) -> None:
    outcomes = await backend.areport_external_tasks(
        [
            {"agent_id": "agent-123", "id": "batch-1"},
            {"agent_id": "missing-agent", "id": "batch-2"},
            {"agent_id": "agent-123", "id": "batch-3"},
        ],
        concurrency=2,
    )
    assert outcomes[0].unwrap().id == "batch-1"
    assert isinstance(outcomes[1], Failure)
    assert isinstance(outcomes[1].failure(), NotFoundError)
    assert outcomes[2].unwrap().id == "batch-3"


def test_sync_batch_report_returns_one_result_per_report(backend: Backend) -> None:
    outcomes = backend.report_external_tasks(
        [{"agent_id": "agent-123", "id": f"s-{i}"} for i in range(5)], concurrency=2
    )
    assert [o.unwrap().id for o in outcomes] == [f"s-{i}" for i in range(5)]


@pytest.mark.anyio
async def test_aget_args_result_is_a_success_future(backend: Backend) -> None:
    outcome = await backend.aget_args_result(agent_id="agent-123")
    assert isinstance(outcome, IOSuccess)


@pytest.mark.anyio
async def test_areport_external_task_result_holds_the_failure(backend: Backend) -> None:
    outcome = await backend.areport_external_task_result(agent_id="missing-agent")
    assert isinstance(unsafe_perform_io(outcome.failure()), NotFoundError)


@pytest.mark.anyio
async def test_sync_get_args_works_inside_a_running_loop(backend: Backend) -> None:
    first = await backend.aget_args(agent_id="agent-123")
    second = backend.get_args(agent_id="agent-123")
    assert first["name"] == second["name"] == "Support Bot"


@pytest.mark.anyio
async def test_sync_get_args_inside_a_loop_leaves_the_loop_free_during_a_slow_aget_args(
    served: Served, faults: FaultServer
) -> None:
    # After a sync call made on the loop's own thread, the same Backend's async
    # path must still work there and wait on the network without blocking the
    # loop: the ticker makes progress while the slow request is outstanding.
    faults.match = "/agents/agent-123"
    faults.delay_seconds = 2.0
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    running = asyncio.create_task(ticker())
    async with Backend(fault_config(served, faults)) as slow_backend:
        assert slow_backend.get_args(agent_id="agent-123")["name"] == "Support Bot"
        faults.script.append("delay")
        slow = asyncio.create_task(slow_backend.aget_args(agent_id="agent-123"))
        while not slow.done() and not any(seen.action == "delay" for seen in faults.seen):
            await asyncio.sleep(0.01)
        before = ticks
        while not slow.done() and ticks < before + 100:
            await asyncio.sleep(0)
        ticked_while_waiting = not slow.done()
        args = await slow
    running.cancel()
    assert (ticked_while_waiting, args["name"]) == (True, "Support Bot")


def test_sync_calls_work_from_many_threads(backend: Backend) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        names = list(pool.map(lambda _: backend.get_args(agent_id="agent-123")["name"], range(8)))
    assert names == ["Support Bot"] * 8


def test_one_backend_serves_two_event_loops_in_turn(backend: Backend) -> None:
    first = asyncio.run(backend.aget_args(agent_id="agent-123"))
    second = asyncio.run(backend.aget_args(agent_id="agent-123"))
    assert first["name"] == second["name"]


def test_async_call_from_a_thread_with_its_own_loop(backend: Backend) -> None:
    results: list[str] = []

    def work() -> None:
        results.append(asyncio.run(backend.aget_args(agent_id="agent-123"))["name"])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert results == ["Support Bot"]


@pytest.mark.anyio
async def test_backend_is_usable_again_after_aclose(config: Configuration) -> None:
    async with Backend(config) as backend:
        await backend.aget_args(agent_id="agent-123")
    assert (await backend.aget_args(agent_id="agent-123"))["name"] == "Support Bot"
    await backend.aclose()


def test_backend_is_usable_again_after_close(config: Configuration) -> None:
    backend = Backend(config)
    backend.get_args(agent_id="agent-123")
    backend.close()
    assert backend.get_args(agent_id="agent-123")["name"] == "Support Bot"
    backend.close()


def test_local_deployment_prefers_the_environment_key(config: Configuration) -> None:
    _put(config, "agent-key", llm_credentials={"name": "k", "value": "sk-custom"})
    with environ(OPENAI_API_KEY="sk-env", AGENTS_OPENAI_API_KEY=None), Backend(config) as backend:
        assert backend.get_args(agent_id="agent-key")["model"].api_key == "sk-env"


def test_cloud_deployment_prefers_the_agents_custom_key(config: Configuration) -> None:
    _put(config, "agent-key", llm_credentials={"name": "k", "value": "sk-custom"})
    cloud = Configuration(
        api_key=config.api_key,
        organization_id=_org(config),
        base_url=config.base_url,
        is_cloud=True,
        transport=config.sync_transport(),  # type: ignore[arg-type]
    )
    with environ(OPENAI_API_KEY="sk-env", AGENTS_OPENAI_API_KEY=None), Backend(cloud) as backend:
        assert backend.get_args(agent_id="agent-key")["model"].api_key == "sk-custom"


def test_is_xpander_cloud_selects_the_cloud_key_order(tmp_path: Path) -> None:
    with environ(IS_XPANDER_CLOUD="true", OPENAI_API_KEY="sk-env", AGENTS_OPENAI_API_KEY=None):
        config = Configuration.local(tmp_path)
        _put(config, "agent-key", llm_credentials={"name": "k", "value": "sk-custom"})
        with Backend(config) as backend:
            assert backend.get_args(agent_id="agent-key")["model"].api_key == "sk-custom"


@pytest.mark.anyio
async def test_sub_agents_in_the_graph_are_fetched_as_team_members(config: Configuration) -> None:
    _put(config, "agent-sub", name="Researcher")
    _put(
        config,
        "agent-lead",
        name="Lead",
        graph=[{"item_id": "agent-sub", "type": "agent", "targets": []}],
    )
    async with Backend(config) as backend:
        args = await backend.aget_args(agent_id="agent-lead")
    assert [member.name for member in args["members"]] == ["Researcher"]


def test_sync_get_args_fetches_sub_agents_too(backend: Backend, config: Configuration) -> None:
    _put(config, "agent-sub", name="Researcher")
    _put(config, "agent-lead", graph=[{"item_id": "agent-sub", "type": "agent", "targets": []}])
    assert [m.name for m in backend.get_args(agent_id="agent-lead")["members"]] == ["Researcher"]


def test_a_sub_agent_cycle_ends(backend: Backend, config: Configuration) -> None:
    _put(config, "agent-a", graph=[{"item_id": "agent-b", "type": "agent", "targets": []}])
    _put(config, "agent-b", graph=[{"item_id": "agent-a", "type": "agent", "targets": []}])
    assert len(backend.get_args(agent_id="agent-a")["members"]) == 1


# -- get_plan --------------------------------------------------------------------


def test_get_plan_returns_the_framework_plan_without_building_it(backend: Backend) -> None:
    plan = backend.get_plan(agent_id="agent-123")
    assert isinstance(plan, AgentPlan)
    assert (plan.framework, plan.name, plan.model.model_id) == ("agno", "Support Bot", "gpt-4o")


@pytest.mark.anyio
async def test_aget_plan_takes_the_framework_argument(backend: Backend) -> None:
    plan = await backend.aget_plan(agent_id="agent-123", framework="langchain")
    assert plan.framework == "langchain"


def test_get_plan_keeps_the_llm_key_a_secret(backend: Backend) -> None:
    canary = "sk-canary-plan-5e1f"
    with environ(OPENAI_API_KEY=canary, AGENTS_OPENAI_API_KEY=None):
        plan = backend.get_plan(agent_id="agent-123")
    assert isinstance(plan.model.api_key, Secret)
    assert plan.model.api_key.reveal() == canary
    assert canary not in repr(plan)


def test_get_args_builds_the_plan_get_plan_returns(backend: Backend) -> None:
    plan = backend.get_plan(agent_id="agent-123", override={"name": "Other"})
    args = backend.get_args(agent_id="agent-123", override={"name": "Other"})
    assert (args["name"], args["model"].id) == (plan.overrides["name"], plan.model.model_id)


def test_get_plan_input_says_where_the_llm_key_came_from(backend: Backend) -> None:
    with environ(OPENAI_API_KEY="sk-env", AGENTS_OPENAI_API_KEY=None):
        plan_input = backend.get_plan_input(agent_id="agent-123")
    assert (plan_input.model.key.source, plan_input.model.key.variable) == (
        KeySource.ENVIRONMENT,
        "OPENAI_API_KEY",
    )


@pytest.mark.anyio
async def test_aget_plan_input_fetches_sub_agents(config: Configuration) -> None:
    _put(config, "agent-sub", name="Researcher")
    _put(config, "agent-lead", graph=[{"item_id": "agent-sub", "type": "agent", "targets": []}])
    async with Backend(config) as backend:
        plan_input = await backend.aget_plan_input(agent_id="agent-lead")
    assert [sub.agent.name for sub in plan_input.sub_agents] == ["Researcher"]


# -- agent_version -----------------------------------------------------------------


def test_get_args_takes_the_tasks_string_agent_version(
    backend: Backend, config: Configuration
) -> None:
    _put(config, "agent-123", name="Renamed Bot")
    assert backend.get_args(agent_id="agent-123", agent_version="1")["name"] == "Support Bot"


@pytest.mark.anyio
async def test_aget_args_takes_the_tasks_string_agent_version(
    backend: Backend, config: Configuration
) -> None:
    _put(config, "agent-123", name="Renamed Bot")
    args = await backend.aget_args(agent_id="agent-123", agent_version="2")
    assert args["name"] == "Renamed Bot"


@pytest.mark.parametrize("version", ["latest", "", " ", "1.5", "-1", "0", "٣", 0, -3, True, 1.0])
def test_get_args_refuses_an_agent_version_that_is_not_a_positive_integer(
    backend: Backend, version: object
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        backend.get_args(agent_id="agent-123", agent_version=version)  # type: ignore[arg-type]
    assert caught.value.field == "agent_version"


@pytest.mark.anyio
async def test_aget_plan_refuses_a_bad_agent_version_even_with_an_agent(
    backend: Backend, config: Configuration
) -> None:
    assert config.platform is not None
    agent = config.platform.get_agent(_org(config), "agent-123")
    with pytest.raises(InvalidInputError, match="agent_version"):
        await backend.aget_plan(agent=agent, agent_version="v2")


# --- permanent conflicts, metadata 404, callback checks, batch keys ---


def test_a_conflicting_report_raises_validation_error_after_one_request(
    served: Served, faults: FaultServer
) -> None:
    with Backend(fault_config(served, faults)) as backend:
        backend.report_external_task(agent_id="agent-123", id="t-clash", result="first")
        before = len(faults.seen)
        with pytest.raises(ValidationError) as caught:
            backend.report_external_task(agent_id="agent-123", id="t-clash", result="other")
    assert (caught.value.status_code, len(faults.seen) - before) == (422, 1)


def test_get_args_treats_missing_default_headers_as_none(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/metadata/default_llm_extra_headers"
    faults.script.append("404")
    with Backend(fault_config(served, faults)) as backend:
        args = backend.get_args(agent_id="agent-123")
    assert (args["name"], [s.action for s in faults.seen if "metadata" in s.path]) == (
        "Support Bot",
        ["404"],
    )


@pytest.mark.anyio
async def test_aget_args_treats_missing_default_headers_as_none(
    served: Served, faults: FaultServer
) -> None:
    faults.match = "/metadata/default_llm_extra_headers"
    faults.script.append("404")
    async with Backend(fault_config(served, faults)) as backend:
        args = await backend.aget_args(agent_id="agent-123")
    assert args["name"] == "Support Bot"


def two_arguments(agent: object, event: object) -> None:
    """An auth callback with the wrong signature."""


@pytest.mark.parametrize("method", ["get_args", "get_plan", "get_plan_input"])
def test_a_callback_with_the_wrong_signature_is_refused_naming_the_parameter(
    backend: Backend, method: str
) -> None:
    with pytest.raises(TypeError, match="auth_events_callback"):
        getattr(backend, method)(agent_id="agent-123", auth_events_callback=two_arguments)


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["aget_args", "aget_plan", "aget_plan_input"])
async def test_an_async_call_refuses_a_callback_with_the_wrong_signature(
    backend: Backend, method: str
) -> None:
    with pytest.raises(TypeError, match="auth_events_callback"):
        await getattr(backend, method)(agent_id="agent-123", auth_events_callback=two_arguments)


@pytest.mark.anyio
async def test_a_batch_report_with_a_wrong_key_fails_alone(backend: Backend) -> None:
    outcomes = await backend.areport_external_tasks(
        [
            {"agent_id": "agent-123", "id": "b-1", "result": "ok"},
            {"agent_id": "agent-123", "id": "b-2", "reslt": "typo"},
            {"agent_id": "agent-123", "id": "b-3", "result": "ok"},
        ]
    )
    error = outcomes[1].failure()
    assert (isinstance(error, InvalidInputError), error.field) == (True, "reslt")
    assert [o.unwrap().id for o in (outcomes[0], outcomes[2])] == ["b-1", "b-3"]


def test_a_sync_batch_report_with_a_wrong_key_fails_alone(backend: Backend) -> None:
    outcomes = backend.report_external_tasks(
        [{"agent_id": "agent-123", "reslt": "typo"}, {"agent_id": "agent-123", "id": "b-4"}]
    )
    assert (outcomes[0].failure().field, outcomes[1].unwrap().id) == ("reslt", "b-4")


def test_the_batch_report_keys_are_report_external_tasks_parameters() -> None:
    for method in (Backend.report_external_task, Backend.areport_external_task):
        assert list(inspect.signature(method).parameters)[1:] == list(REPORT_ARGUMENTS)
