"""One table: framework value → planner."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from returns.result import Failure, Result

from .._enums import Framework
from .._errors import InvalidInputError, UnsupportedFrameworkError
from ._agno import plan_agno
from ._common import PlanResult
from ._google_adk import plan_google_adk
from ._langchain import plan_langchain
from ._openai_agents import plan_openai_agents
from ._plan import AgentPlan, PlanInput
from ._strands import plan_strands

Planner = Callable[[PlanInput], PlanResult]

PLANNERS: Mapping[str, Planner] = MappingProxyType(
    {
        Framework.AGNO: plan_agno,
        Framework.GOOGLE_ADK: plan_google_adk,
        Framework.LANGCHAIN: plan_langchain,
        Framework.OPENAI_AGENTS: plan_openai_agents,
        Framework.STRANDS_AGENTS: plan_strands,
    }
)
"""Wire framework value → its planner."""

FRAMEWORK_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "openai-agents": Framework.OPENAI_AGENTS,
        "openai_agents": Framework.OPENAI_AGENTS,
        "open_ai_agents": Framework.OPENAI_AGENTS,
        "strands": Framework.STRANDS_AGENTS,
        "strands_agents": Framework.STRANDS_AGENTS,
        "google_adk": Framework.GOOGLE_ADK,
        "adk": Framework.GOOGLE_ADK,
    }
)
"""Friendly spellings accepted besides the wire values."""


def framework_name(framework: str) -> str:
    """The wire value for ``framework`` (case-insensitive, aliases accepted).

    >>> framework_name("OpenAI-Agents")
    'open-ai-agents'
    """
    lowered = framework.strip().lower()
    return FRAMEWORK_ALIASES.get(lowered, lowered)


def plan_args(framework: str | None, plan_input: PlanInput) -> Result[AgentPlan, InvalidInputError]:
    """Plan the framework's constructor arguments for ``plan_input``.

    ``framework`` overrides the agent's own ``framework`` field (``None``: use
    the agent's). An unknown framework is ``UnsupportedFrameworkError``; so is
    a provider the framework cannot reach.
    """
    chosen = framework_name(framework or plan_input.agent.framework)
    planner = PLANNERS.get(chosen)
    if planner is None:
        known = ", ".join(sorted(PLANNERS))
        return Failure(
            UnsupportedFrameworkError(
                "framework", f"no planner for framework {chosen!r} (known: {known})"
            )
        )
    return planner(plan_input)
