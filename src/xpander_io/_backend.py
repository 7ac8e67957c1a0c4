"""``Backend``: runtime arguments for an agent, and external task reports.

Every method has an async form (``aget_args``) and a sync twin (``get_args``).
The twins do not share a client: the async ones use one pooled
``httpx.AsyncClient``, the sync ones one pooled ``httpx.Client`` (see
``_http``), so a sync call works in a plain script, inside a running event loop
and from any thread, and an async call never blocks the loop.

``get_args`` gathers (agent, organisation default LLM headers, sub-agents, MCP
logins: ``get_plan_input``), lets the core decide (``resolve_model``,
``plan_args``: ``get_plan``) and hands the plan to the framework's
materializer. It works without a task. The agent and the organisation's
default headers are fetched first (at once in async code; a 404 for the
headers means none are set, ``default_headers_absent``); the sub-agents and
MCP logins are written once, as a sans-I/O exchange (``_steps``) that ``run``
drives with the sync client and ``arun`` with the async one.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from returns.future import FutureResult
from returns.result import Failure, Result, Success

from xpander_pure import Agent, Task, Tokens, decode, to_wire
from xpander_pure._addressing import (
    AGENT_ID_VARIABLE,
    agent_version_number,
    choose_agent_id,
    path_segment,
    sub_agents_to_follow,
)
from xpander_pure._errors import XpanderError
from xpander_pure._keys import resolve_model
from xpander_pure._metadata import default_headers_absent
from xpander_pure._oauth import mcp_servers_for
from xpander_pure._report import ExternalTaskReport, build_report, check_report_arguments
from xpander_pure._worker import check_concurrency
from xpander_pure.frameworks import AgentPlan, McpServerAuth, PlanInput, plan_args

from ._config import Configuration
from ._exceptions import HTTPStatusError, InvalidResponseError, MissingAgentIdError
from ._handlers import check_auth_handler
from ._http import IDEMPOTENCY_HEADER, ApiRequest, AsyncDriver, SyncDriver
from ._mcp_auth import authorize_all_steps
from ._steps import Send, Steps, arun, run

T = TypeVar("T")
AuthCallback = Callable[..., Any]

MAX_SUB_AGENT_DEPTH = 3
"""Sub-agents of sub-agents are followed this deep (graphs may contain cycles)."""

DEFAULT_BATCH_CONCURRENCY = 8


def _decoded(type_: type[T], content: bytes, what: str) -> T:
    result = decode(type_, content)
    if isinstance(result, Failure):
        error = result.failure()
        raise InvalidResponseError(what, error.field, error.reason)
    return result.unwrap()


def _checked_concurrency(concurrency: int) -> int:
    limit = check_concurrency(concurrency)
    if isinstance(limit, Failure):
        raise limit.failure()
    return limit.unwrap()


class _BackendBase:
    """Request building and decisions shared by the sync and async paths (no I/O)."""

    def __init__(self, configuration: Configuration | None = None) -> None:
        self.configuration = configuration if configuration is not None else Configuration()

    def _agent_id(self, agent_id: str | None, agent: Agent | None) -> str:
        chosen = choose_agent_id(
            agent_id,
            agent.id if agent is not None else None,
            self.configuration.agent_id,
            os.environ.get(AGENT_ID_VARIABLE),
        )
        if chosen is None:
            raise MissingAgentIdError()
        return chosen

    @staticmethod
    def _agent_request(agent_id: str, version: int | None) -> ApiRequest:
        headers = {"x-agent-version": str(version)} if version is not None else {}
        return ApiRequest(method="GET", route=f"/agents/{path_segment(agent_id)}", headers=headers)

    @staticmethod
    def _org_headers_request() -> ApiRequest:
        return ApiRequest(method="GET", route="/metadata/default_llm_extra_headers")

    @staticmethod
    def _org_headers(content: bytes) -> dict[str, Any]:
        return _decoded(dict[str, Any], content, "default LLM headers")

    def _plan_input(
        self,
        agent: Agent,
        task: Task | None,
        org_headers: Mapping[str, Any],
        mcp_servers: list[McpServerAuth] | None,
        sub_agents: list[PlanInput],
        override: Mapping[str, Any] | None,
    ) -> PlanInput:
        model = resolve_model(
            agent, task, dict(os.environ), self.configuration.deployment, org_headers
        )
        if isinstance(model, Failure):
            raise model.failure()
        return PlanInput(
            agent=agent,
            model=model.unwrap(),
            task=task,
            mcp_servers=mcp_servers,
            sub_agents=sub_agents,
            overrides=dict(override or {}),
        )

    @staticmethod
    def _plan(framework: str | None, plan_input: PlanInput) -> AgentPlan:
        plan = plan_args(framework, plan_input)
        if isinstance(plan, Failure):
            raise plan.failure()
        return plan.unwrap()

    @staticmethod
    def _args(plan: AgentPlan, tools: Sequence[Any] | None) -> dict[str, Any]:
        from .frameworks import materialize

        return materialize(plan, tools or ())

    def _root_request(
        self,
        agent_id: str | None,
        agent: Agent | None,
        agent_version: int | str | None,
        callback: AuthCallback | None,
    ) -> ApiRequest | None:
        """Check the call's arguments before any I/O; the agent's request (None: it is given)."""
        if callback is not None:
            check_auth_handler(callback, "auth_events_callback")
        checked = agent_version_number(agent_version)
        if isinstance(checked, Failure):
            raise checked.failure()
        if agent is not None:
            return None
        return self._agent_request(self._agent_id(agent_id, None), checked.unwrap())

    @staticmethod
    def _headers_or_absent(error: HTTPStatusError) -> dict[str, Any]:
        if default_headers_absent(error.status_code):
            return {}
        raise error

    def _agent_steps(
        self,
        agent: Agent,
        task: Task | None,
        org_headers: Mapping[str, Any],
        override: Mapping[str, Any] | None,
        callback: AuthCallback | None,
        depth: int,
        seen: frozenset[str],
    ) -> Steps[PlanInput]:
        sub_ids = sub_agents_to_follow(
            agent.sub_agent_ids, depth=depth, seen=seen, max_depth=MAX_SUB_AGENT_DEPTH
        )
        bodies = yield Send(tuple(self._agent_request(i, None) for i in sub_ids))
        sub_inputs = []
        for body in bodies:
            sub = _decoded(Agent, body, "agent")
            sub_inputs.append(
                (
                    yield from self._agent_steps(
                        sub, task, org_headers, None, callback, depth + 1, seen | {agent.id}
                    )
                )
            )
        servers = yield from authorize_all_steps(
            self.configuration, agent, task, mcp_servers_for(agent, task), callback
        )
        return self._plan_input(agent, task, org_headers, servers, sub_inputs, override)

    def _report_request(
        self,
        agent_id: str,
        id: str | None,
        input: str | None,
        llm_response: Any,
        tokens: Tokens | Mapping[str, Any] | None,
        is_success: bool,
        result: str | None,
        duration: float,
        used_tools: Any,
    ) -> ApiRequest:
        report = build_report(
            # One id before the first attempt, so that every retry reports the same task.
            id=id if id is not None else str(uuid.uuid4()),
            input=input,
            llm_response=llm_response,
            tokens=tokens,
            is_success=is_success,
            result=result,
            duration=duration,
            used_tools=used_tools,
        )
        if isinstance(report, Failure):
            raise report.failure()
        body: ExternalTaskReport = report.unwrap()
        return ApiRequest(
            method="POST",
            route=f"/agent-execution/{path_segment(agent_id)}/report_task",
            body=to_wire(body),
            headers={IDEMPOTENCY_HEADER: str(uuid.uuid4())},
            retryable=True,
        )


class Backend(_BackendBase):
    """Runtime arguments for agents and external task reports, async and sync.

    ``Backend(configuration=None)`` reads the environment when no
    configuration is given (see ``Configuration``). Release its connection
    pools with ``async with Backend() as backend:``, ``await backend.aclose()``
    or ``backend.close()``; a closed Backend opens new pools when used again.
    """

    def __init__(self, configuration: Configuration | None = None) -> None:
        super().__init__(configuration)
        self._sync = SyncDriver(self.configuration)
        self._async = AsyncDriver(self.configuration)
        self.configuration._opened(self)

    def __repr__(self) -> str:
        return f"Backend({self.configuration!r})"

    # -- lifecycle -------------------------------------------------------------

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __enter__(self) -> Backend:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def aclose(self) -> None:
        """Close both connection pools."""
        await self._async.aclose()
        self._sync.close()

    def close(self) -> None:
        """Close both connection pools from sync code."""
        self._sync.close()
        self._async.close_from_sync()

    def _fetch_org_headers(self) -> dict[str, Any]:
        try:
            response = self._sync.send(self._org_headers_request())
        except HTTPStatusError as error:
            return self._headers_or_absent(error)
        return self._org_headers(response.content)

    async def _afetch_org_headers(self) -> dict[str, Any]:
        try:
            response = await self._async.send(self._org_headers_request())
        except HTTPStatusError as error:
            return self._headers_or_absent(error)
        return self._org_headers(response.content)

    async def _afetch_agent(self, request: ApiRequest) -> Agent:
        return _decoded(Agent, (await self._async.send(request)).content, "agent")

    # -- get_args ----------------------------------------------------------------

    async def aget_plan_input(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        agent_version: int | str | None = None,
        task: Task | None = None,
        override: Mapping[str, Any] | None = None,
        auth_events_callback: AuthCallback | None = None,
    ) -> PlanInput:
        """What the planners take: the agent, its resolved model and key origin, sub-agents, MCP.

        Fetches and logs in as ``aget_args`` does; secrets stay ``Secret``.
        """
        request = self._root_request(agent_id, agent, agent_version, auth_events_callback)
        if request is None:
            org_headers = await self._afetch_org_headers()
        else:
            # Both at once; every outcome is awaited before an error is raised (the
            # agent's first), so no fetch is left running unobserved.
            outcomes = await asyncio.gather(
                self._afetch_agent(request), self._afetch_org_headers(), return_exceptions=True
            )
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    raise outcome
            fetched, org_headers = outcomes
            assert isinstance(fetched, Agent) and isinstance(org_headers, dict)
            agent = fetched
        assert agent is not None
        return await arun(
            self._agent_steps(
                agent, task, org_headers, override, auth_events_callback, 0, frozenset()
            ),
            self._async,
        )

    def get_plan_input(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        agent_version: int | str | None = None,
        task: Task | None = None,
        override: Mapping[str, Any] | None = None,
        auth_events_callback: AuthCallback | None = None,
    ) -> PlanInput:
        """Sync twin of ``aget_plan_input``."""
        request = self._root_request(agent_id, agent, agent_version, auth_events_callback)
        if request is not None:
            agent = _decoded(Agent, self._sync.send(request).content, "agent")
        assert agent is not None
        return run(
            self._agent_steps(
                agent,
                task,
                self._fetch_org_headers(),
                override,
                auth_events_callback,
                0,
                frozenset(),
            ),
            self._sync,
        )

    async def aget_plan(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        agent_version: int | str | None = None,
        task: Task | None = None,
        override: Mapping[str, Any] | None = None,
        auth_events_callback: AuthCallback | None = None,
        framework: str | None = None,
    ) -> AgentPlan:
        """The framework plan ``aget_args`` builds its objects from, without building them.

        Same parameters as ``aget_args`` minus ``tools``. The plan is plain
        data (``xpander_pure.frameworks.AgentPlan``): keys and tokens in it
        stay ``Secret``, and no framework is imported.
        """
        plan_input = await self.aget_plan_input(
            agent_id, agent, agent_version, task, override, auth_events_callback
        )
        return self._plan(framework, plan_input)

    def get_plan(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        agent_version: int | str | None = None,
        task: Task | None = None,
        override: Mapping[str, Any] | None = None,
        auth_events_callback: AuthCallback | None = None,
        framework: str | None = None,
    ) -> AgentPlan:
        """Sync twin of ``aget_plan``."""
        plan_input = self.get_plan_input(
            agent_id, agent, agent_version, task, override, auth_events_callback
        )
        return self._plan(framework, plan_input)

    async def aget_args(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        agent_version: int | str | None = None,
        task: Task | None = None,
        override: Mapping[str, Any] | None = None,
        tools: Sequence[Any] | None = None,
        auth_events_callback: AuthCallback | None = None,
        framework: str | None = None,
    ) -> dict[str, Any]:
        """The framework's constructor keyword arguments for the agent.

        The agent is ``agent`` as given, else fetched by ``agent_id`` (else
        ``XPANDER_AGENT_ID``; ``MissingAgentIdError`` when none) and
        ``agent_version`` (a positive number, or its digits as the Task's
        ``agent_version`` string carries it; ``None``: the latest).
        ``framework`` overrides ``agent.framework`` (agno when the agent says
        agno). ``override`` entries win over the computed arguments; ``tools``
        are added to the agent's tools. OAuth MCP servers trigger the login
        flow; ``auth_events_callback(agent, task, event)`` runs first for each
        auth event, then every ``@on_auth_event`` handler.
        """
        plan = await self.aget_plan(
            agent_id, agent, agent_version, task, override, auth_events_callback, framework
        )
        # The first call imports the framework (agno: ~0.7 s): not on the loop.
        return await asyncio.to_thread(self._args, plan, tools)

    def get_args(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        agent_version: int | str | None = None,
        task: Task | None = None,
        override: Mapping[str, Any] | None = None,
        tools: Sequence[Any] | None = None,
        auth_events_callback: AuthCallback | None = None,
        framework: str | None = None,
    ) -> dict[str, Any]:
        """Sync twin of ``aget_args``; safe inside a running event loop and in threads."""
        plan = self.get_plan(
            agent_id, agent, agent_version, task, override, auth_events_callback, framework
        )
        return self._args(plan, tools)

    # -- reports ---------------------------------------------------------------

    async def areport_external_task(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | Mapping[str, Any] | None = None,
        is_success: bool = True,
        result: str | None = None,
        duration: float = 0,
        used_tools: Sequence[str] | None = None,
    ) -> Task:
        """Report a task run outside the platform; the stored ``Task``.

        Retried on 429/5xx/dropped connections with one ``Idempotency-Key``
        and one task id (generated when ``id`` is not given), so the platform
        stores the task once. Bad values raise ``ReportValidationError``
        before anything is sent.
        """
        request = self._report_request(
            self._agent_id(agent_id, agent),
            id,
            input,
            llm_response,
            tokens,
            is_success,
            result,
            duration,
            used_tools,
        )
        response = await self._async.send(request)
        return _decoded(Task, response.content, "task")

    def report_external_task(
        self,
        agent_id: str | None = None,
        agent: Agent | None = None,
        id: str | None = None,
        input: str | None = None,
        llm_response: Any = None,
        tokens: Tokens | Mapping[str, Any] | None = None,
        is_success: bool = True,
        result: str | None = None,
        duration: float = 0,
        used_tools: Sequence[str] | None = None,
    ) -> Task:
        """Sync twin of ``areport_external_task``."""
        request = self._report_request(
            self._agent_id(agent_id, agent),
            id,
            input,
            llm_response,
            tokens,
            is_success,
            result,
            duration,
            used_tools,
        )
        return _decoded(Task, self._sync.send(request).content, "task")

    async def areport_external_tasks(
        self,
        reports: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_BATCH_CONCURRENCY,
    ) -> list[Result[Task, XpanderError]]:
        """Report many tasks, at most ``concurrency`` at a time; one ``Result`` per report.

        Each report is a mapping of ``areport_external_task``'s keyword
        arguments. Outcomes come back in the reports' order; one failure does
        not stop the others: a report with an unknown key is a
        ``ReportValidationError`` naming it, and nothing is sent for it.
        """
        _checked_concurrency(concurrency)
        gate = asyncio.Semaphore(concurrency)

        async def one(report: Mapping[str, Any]) -> Result[Task, XpanderError]:
            checked = check_report_arguments(report)
            if isinstance(checked, Failure):
                return Failure(checked.failure())
            async with gate:
                return await _as_result(self.areport_external_task(**checked.unwrap()))

        return list(await asyncio.gather(*(one(r) for r in reports)))

    def report_external_tasks(
        self,
        reports: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_BATCH_CONCURRENCY,
    ) -> list[Result[Task, XpanderError]]:
        """Sync twin of ``areport_external_tasks`` (a pool of ``concurrency`` threads)."""
        _checked_concurrency(concurrency)

        def one(report: Mapping[str, Any]) -> Result[Task, XpanderError]:
            checked = check_report_arguments(report)
            if isinstance(checked, Failure):
                return Failure(checked.failure())
            try:
                return Success(self.report_external_task(**checked.unwrap()))
            except XpanderError as exc:
                return Failure(exc)

        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="xpander") as pool:
            return list(pool.map(one, list(reports)))

    # -- Result-returning variants -----------------------------------------------

    def aget_args_result(self, **kwargs: Any) -> FutureResult[dict[str, Any], XpanderError]:
        """``aget_args`` as a ``FutureResult``: ``Failure(error)`` instead of raising.

        Only this library's errors (``XpanderError``) become failures; anything
        else still raises.
        """
        return FutureResult(_as_result(self.aget_args(**kwargs)))

    def areport_external_task_result(self, **kwargs: Any) -> FutureResult[Task, XpanderError]:
        """``areport_external_task`` as a ``FutureResult``; ``Failure(error)``, no raise."""
        return FutureResult(_as_result(self.areport_external_task(**kwargs)))


async def _as_result(awaitable: Awaitable[T]) -> Result[T, XpanderError]:
    try:
        return Success(await awaitable)
    except XpanderError as exc:
        return Failure(exc)


async def dispatch_get_args(
    agent: Agent,
    task: Task | None = None,
    override: Mapping[str, Any] | None = None,
    tools: Sequence[Any] | None = None,
    auth_events_callback: AuthCallback | None = None,
    framework: str | None = None,
    configuration: Configuration | None = None,
) -> dict[str, Any]:
    """The framework's arguments for ``agent`` (and ``task``), as in the guide.

    Uses a short-lived ``Backend(configuration)`` (the environment when
    ``None``) for the organisation's default headers and MCP logins.
    """
    async with Backend(configuration) as backend:
        return await backend.aget_args(
            agent=agent,
            task=task,
            override=override,
            tools=tools,
            auth_events_callback=auth_events_callback,
            framework=framework,
        )


__all__ = ["Backend", "dispatch_get_args"]
