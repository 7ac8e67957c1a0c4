"""Materializers: an ``AgentPlan`` → the framework's constructor keyword arguments.

Usage (what ``Backend.get_args`` does)::

    from xpander_pure.frameworks import PlanInput, plan_args
    from xpander_io.frameworks import materialize

    plan = plan_args(framework, PlanInput(agent=agent, model=resolved, task=task)).unwrap()
    kwargs = materialize(plan, tools=[my_tool])
    # agno:           agno.agent.Agent(**kwargs), or agno.team.Team(**kwargs) if "members" in kwargs
    # open-ai-agents: agents.Agent(**kwargs)   (connect kwargs["mcp_servers"] before a run)
    # langchain:      langchain.agents.create_agent(**kwargs)   (MCP tools listed while building)
    # google-adk:     google.adk.agents.LlmAgent(**kwargs)
    # strands-agents: strands.Agent(**kwargs)
    agent = build_agent(plan)  # or let the library build the object itself

Each framework is imported on first use only (``import xpander_io`` imports
none); a missing one raises ``FrameworkNotInstalledError`` naming the extra.
No materializer writes anything to ``os.environ``; keys reach the model
objects' own clients.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from xpander_pure import UnsupportedFrameworkError
from xpander_pure.frameworks import AgentPlan

from ._args import FrameworkArgs
from ._lazy import EXTRAS, FrameworkNotInstalledError

__all__ = [
    "EXTRAS",
    "FrameworkArgs",
    "FrameworkNotInstalledError",
    "build_agent",
    "materialize",
]


_MODULES = {
    "agno": "_agno",
    "open-ai-agents": "_openai_agents",
    "langchain": "_langchain",
    "google-adk": "_google_adk",
    "strands-agents": "_strands",
}


def _module(framework: str) -> Any:
    # The modules import their framework inside their functions, so importing
    # one costs nothing until a plan is materialized.
    name = _MODULES.get(framework)
    if name is None:
        raise UnsupportedFrameworkError("framework", f"no materializer for {framework!r}")
    return importlib.import_module(f"{__name__}.{name}")


def materialize(plan: AgentPlan, tools: Sequence[Any] = ()) -> FrameworkArgs:
    """The keyword arguments of the framework's agent constructor for ``plan``.

    ``tools`` are local tools (callables or framework tool objects) added
    after the plan's MCP tools. The plan's ``overrides`` are applied last.
    The result is a ``dict`` whose ``repr`` shows argument names and value
    types only (``FrameworkArgs``); the objects inside still hold the key.
    """
    built: dict[str, Any] = _module(plan.framework).kwargs(plan, list(tools))
    return FrameworkArgs(built)


def build_agent(plan: AgentPlan, tools: Sequence[Any] = ()) -> Any:
    """The framework's real agent object for ``plan`` (no LLM call, no connection)."""
    return _module(plan.framework).build(plan, list(tools))
