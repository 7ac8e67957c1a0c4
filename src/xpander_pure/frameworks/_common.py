"""Rules every planner shares: instructions, output, context, MCP servers, the plan itself."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

import msgspec
from returns.result import Failure, Result, Success

from .._enums import McpAuthType, McpTransport, OutputFormat
from .._errors import (
    InvalidInputError,
    UnknownProviderError,
    UnsupportedFrameworkError,
    UnsupportedSchemaError,
)
from .._model import ResolvedModel
from .._secret import Secret
from ._plan import (
    AgentPlan,
    HistorySpec,
    McpServerAuth,
    McpToolSpec,
    ModelSpec,
    OutputSpec,
    PlanInput,
    SubAgentMode,
)
from ._providers import PROVIDER_ENDPOINTS, ProviderEndpoint

PlanResult = Result[AgentPlan, InvalidInputError]
ModelChooser = Callable[[ResolvedModel, ProviderEndpoint], Result[ModelSpec, InvalidInputError]]
SchemaCheck = Callable[[dict[str, Any]], Result[None, UnsupportedSchemaError]]

FORMAT_NOTES = {
    OutputFormat.JSON: "Answer with a single valid JSON document and nothing else.",
    OutputFormat.VOICE: (
        "Your answer will be spoken aloud: use short plain sentences, "
        "no markdown, lists, tables or code."
    ),
}


def unsupported(framework: str, provider: str, why: str) -> UnsupportedFrameworkError:
    """The typed error for a (framework, provider) pair no materializer can build."""
    return UnsupportedFrameworkError(
        "model_provider", f"framework {framework!r} cannot reach provider {provider!r}: {why}"
    )


def endpoint(model: ResolvedModel) -> Result[ProviderEndpoint, InvalidInputError]:
    """The provider's API family, refusing a missing required base URL."""
    found = PROVIDER_ENDPOINTS.get(model.provider)
    if found is None:
        return Failure(UnknownProviderError(model.provider))
    if found.needs_base_url and not model.base_url:
        return Failure(
            InvalidInputError(
                "llm_api_base", f"provider {model.provider!r} needs the agent's base URL"
            )
        )
    return Success(found)


def secret_headers(headers: dict[str, str]) -> dict[str, Secret]:
    """Header (or environment) values as ``Secret``: any of them may be a credential."""
    return {name: Secret(str(value)) for name, value in headers.items()}


def model_spec(
    cls: str,
    model: ResolvedModel,
    found: ProviderEndpoint,
    *,
    model_id: str | None = None,
    base_url: str | None = None,
    use_default_url: bool = True,
) -> ModelSpec:
    """A ``ModelSpec`` with the agent's base URL, else (optionally) the provider default."""
    url = base_url or model.base_url or (found.default_base_url if use_default_url else None)
    return ModelSpec(
        cls=cls,
        provider=model.provider,
        model_id=model_id or model.model_name,
        api_key=model.key.value,
        base_url=url,
        headers=secret_headers(model.headers),
        reasoning_effort=model.reasoning_effort.value if model.reasoning_effort else None,
        region=model.region,
    )


_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")


def identifier(name: str, fallback: str) -> str:
    """A valid Python identifier derived from a human name (google-adk, tool names).

    >>> identifier("Support Bot (v2)", "agent")
    'Support_Bot_v2'
    >>> identifier("42 things", "agent")
    'agent_42_things'
    >>> identifier("user", "agent")
    'user_agent'
    """
    text = _NOT_IDENTIFIER.sub("_", name).strip("_")
    if not text:
        text = _NOT_IDENTIFIER.sub("_", fallback).strip("_") or "agent"
    if text[0].isdigit():
        text = f"agent_{text}"
    if text == "user":
        # google-adk reserves "user" for the human side of the conversation.
        text = "user_agent"
    return text


def instructions_text(inp: PlanInput, output: OutputSpec) -> str:
    """The task's ``instructions_override`` if set, else the agent's role and goals."""
    task = inp.task
    if task is not None and task.instructions_override:
        text = task.instructions_override
    else:
        agent_instructions = inp.agent.instructions
        parts = list(agent_instructions.role)
        if agent_instructions.goal:
            parts.append("Goals:\n" + "\n".join(agent_instructions.goal))
        text = "\n".join(parts)
    note = FORMAT_NOTES.get(OutputFormat(output.format)) if output.schema is None else None
    if note:
        text = f"{text}\n\n{note}" if text else note
    return text


def output_spec(inp: PlanInput) -> OutputSpec:
    """The output format and schema; the task's format (and schema) win over the agent's."""
    agent, task = inp.agent, inp.task
    fmt = task.output_format if task is not None and task.output_format else agent.output_format
    if fmt is not OutputFormat.JSON:
        return OutputSpec(format=fmt.value)
    schema = task.output_schema if task is not None and task.output_schema else None
    if schema is None:
        schema = agent.output_schema
    return OutputSpec(format=fmt.value, schema=schema or None)


def additional_context(inp: PlanInput) -> str:
    """The task user's details, then the task's ``additional_context``."""
    task = inp.task
    parts = []
    if task is not None and task.input.user is not None:
        fields = msgspec.structs.asdict(task.input.user)
        user = msgspec.json.encode({k: v for k, v in fields.items() if v is not None}).decode()
        parts.append(f"User details: {user}")
    if task is not None and task.additional_context:
        parts.append(task.additional_context)
    return "\n".join(parts)


def history_spec(inp: PlanInput) -> HistorySpec:
    """History settings from ``agno_settings`` (0 or unset limits mean none)."""
    settings = inp.agent.agno_settings
    max_calls = settings.max_tool_calls_from_history
    return HistorySpec(
        enabled=settings.session_storage,
        num_history_runs=settings.num_history_runs or None,
        max_tool_calls_from_history=max_calls if max_calls and max_calls >= 1 else None,
        session_summaries=settings.session_summaries,
        user_memories=settings.user_memories,
    )


def _static_auth(server: McpServerAuth) -> dict[str, Secret]:
    headers = secret_headers(server.server.headers)
    api_key = server.server.api_key
    if server.server.auth_type is McpAuthType.API_KEY and api_key:
        headers["Authorization"] = Secret(f"Bearer {api_key.reveal()}")
    return {**headers, **server.headers}


def mcp_servers(inp: PlanInput) -> list[McpServerAuth]:
    """The servers to attach: the shell's list, else the agent's and the task's."""
    if inp.mcp_servers is not None:
        return list(inp.mcp_servers)
    servers = list(inp.agent.graph_mcp_servers)
    if inp.task is not None:
        servers += inp.task.mcp_servers
    return [McpServerAuth(server=s) for s in servers]


def mcp_tool_specs(
    framework: str, inp: PlanInput, *, stdio: bool
) -> Result[list[McpToolSpec], InvalidInputError]:
    """One ``McpToolSpec`` per server (duplicates by URL or command dropped)."""
    specs: list[McpToolSpec] = []
    seen: set[str] = set()
    for index, auth in enumerate(mcp_servers(inp)):
        server = auth.server
        transport = server.effective_transport
        name = server.name or server.id or f"mcp_{index}"
        field = f"mcp_servers[{index}]"
        if transport is McpTransport.STDIO:
            if not stdio:
                return Failure(
                    UnsupportedFrameworkError(
                        field, f"framework {framework!r} gets no local (stdio) MCP servers here"
                    )
                )
            if not server.command:
                return Failure(InvalidInputError(f"{field}.command", "a local server needs one"))
            target = server.command
            try:
                argv = shlex.split(server.command)
            except ValueError as exc:
                # The message never repeats the command: it may hold a token.
                return Failure(InvalidInputError(f"{field}.command", f"cannot be split: {exc}"))
            if not argv:
                return Failure(InvalidInputError(f"{field}.command", "a local server needs one"))
            spec = McpToolSpec(
                name=name,
                transport=transport.value,
                command=argv[0],
                args=argv[1:],
                env=secret_headers(server.env_vars),
                allowed_tools=list(server.allowed_tools),
            )
        else:
            if not server.url:
                return Failure(InvalidInputError(f"{field}.url", "a remote server needs one"))
            target = server.url
            spec = McpToolSpec(
                name=name,
                transport=transport.value,
                url=server.url,
                headers=_static_auth(auth),
                allowed_tools=list(server.allowed_tools),
            )
        if target in seen:
            continue
        seen.add(target)
        specs.append(spec)
    return Success(specs)


def system_prompt(description: str, instructions: str, expected_output: str, context: str) -> str:
    """One prompt text for frameworks that take a single instruction string."""
    parts = [description, instructions]
    if expected_output:
        parts.append(f"Expected output:\n{expected_output}")
    if context:
        parts.append(f"Additional context:\n{context}")
    return "\n\n".join(part for part in parts if part)


class NameRule:
    """How a planner names an agent (``PlannerRules.names``)."""

    DISPLAY = "display"
    """The agent's name as it is."""
    IDENTIFIER = "identifier"
    """Always a Python identifier (google-adk validates agent names)."""
    TOOL = "tool"
    """The name as it is at the top; sub-agents become tools, so theirs are identifiers."""


class PlannerRules(msgspec.Struct, kw_only=True, frozen=True):
    """What sets one framework's planner apart; ``plan_agent`` applies the rest.

    Every framework takes remote MCP servers; local ones only if
    ``stdio_mcp``. ``check_schema`` vets the output schema the plan ends up with.
    """

    framework: str
    choose_model: ModelChooser
    sub_agent_mode: str
    names: str = NameRule.DISPLAY
    stdio_mcp: bool = False
    check_schema: SchemaCheck | None = None


def _name(rules: PlannerRules, inp: PlanInput, *, top: bool) -> str:
    agent = inp.agent
    if rules.names == NameRule.IDENTIFIER or (rules.names == NameRule.TOOL and not top):
        return identifier(agent.name, agent.unique_name)
    return agent.name


def plan_agent(rules: PlannerRules, inp: PlanInput, *, top: bool = True) -> PlanResult:
    """The plan for ``inp`` and its sub-agents under ``rules``; the first failure wins."""
    sub_plans: list[AgentPlan] = []
    for sub in inp.sub_agents:
        planned = plan_agent(rules, sub, top=False)
        if isinstance(planned, Failure):
            return planned
        sub_plans.append(planned.unwrap())
    found = endpoint(inp.model)
    if isinstance(found, Failure):
        return Failure(found.failure())
    chosen = rules.choose_model(inp.model, found.unwrap())
    if isinstance(chosen, Failure):
        return Failure(chosen.failure())
    tools = mcp_tool_specs(rules.framework, inp, stdio=rules.stdio_mcp)
    if isinstance(tools, Failure):
        return Failure(tools.failure())
    output = output_spec(inp)
    if output.schema is not None and rules.check_schema is not None:
        checked = rules.check_schema(output.schema)
        if isinstance(checked, Failure):
            return Failure(checked.failure())
    agent, task = inp.agent, inp.task
    description = agent.instructions.general or agent.description or ""
    instructions = instructions_text(inp, output)
    expected = task.expected_output if task is not None and task.expected_output else None
    expected_output = expected or agent.expected_output
    context = additional_context(inp)
    user = task.input.user if task is not None else None
    return Success(
        AgentPlan(
            framework=rules.framework,
            name=_name(rules, inp, top=top),
            id=agent.id,
            description=description,
            instructions=instructions,
            expected_output=expected_output,
            system_prompt=system_prompt(description, instructions, expected_output, context),
            model=chosen.unwrap(),
            output=output,
            session_id=inp.session_id or (task.id if task is not None else None),
            user_id=inp.user_id or (user.id if user is not None else None),
            history=history_spec(inp),
            tool_call_limit=agent.agno_settings.tool_call_limit or None,
            additional_context=context,
            mcp_tools=tools.unwrap(),
            sub_agents=sub_plans,
            sub_agent_mode=rules.sub_agent_mode if sub_plans else SubAgentMode.NONE,
            overrides=dict(inp.overrides),
        )
    )
