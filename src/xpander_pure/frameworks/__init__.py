"""Framework planners: (agent, task, resolved model, MCP auth, overrides) → a plan.

``plan_args(framework, PlanInput(...))`` returns ``Success(AgentPlan)`` or a
typed ``Failure``; ``xpander_io.frameworks.materialize`` turns the plan into
the framework's constructor keyword arguments.
"""

from ._agno import plan_agno
from ._common import mcp_tool_specs
from ._dispatch import FRAMEWORK_ALIASES, PLANNERS, plan_args
from ._google_adk import plan_google_adk
from ._langchain import plan_langchain
from ._openai_agents import plan_openai_agents
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
from ._providers import (
    GEMINI_OPENAI_BASE_URL,
    PROVIDER_ENDPOINTS,
    ProviderApi,
    ProviderEndpoint,
)
from ._strands import check_schema, plan_strands

__all__ = [
    "AgentPlan",
    "FRAMEWORK_ALIASES",
    "GEMINI_OPENAI_BASE_URL",
    "HistorySpec",
    "McpServerAuth",
    "McpToolSpec",
    "ModelSpec",
    "OutputSpec",
    "PLANNERS",
    "PROVIDER_ENDPOINTS",
    "PlanInput",
    "ProviderApi",
    "ProviderEndpoint",
    "SubAgentMode",
    "check_schema",
    "mcp_tool_specs",
    "plan_agno",
    "plan_args",
    "plan_google_adk",
    "plan_langchain",
    "plan_openai_agents",
    "plan_strands",
]
