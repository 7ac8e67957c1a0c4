"""The langchain planner: ``create_agent`` with a chat model from ``init_chat_model``.

Sub-agents become tools of the parent (each wraps the sub-agent's compiled
graph). Remote MCP servers are planned as ``McpToolSpec`` (URL, transport,
auth headers as ``Secret``); the materializer lists their tools. Local (stdio)
servers are refused: the materializer would have to start their processes.
"""

from __future__ import annotations

from returns.result import Failure, Result, Success

from .._enums import Framework
from .._errors import InvalidInputError
from .._model import ResolvedModel
from ._common import NameRule, PlannerRules, PlanResult, model_spec, plan_agent, unsupported
from ._plan import ModelSpec, PlanInput, SubAgentMode
from ._providers import ProviderApi, ProviderEndpoint

OPENAI = "langchain:openai"
ANTHROPIC = "langchain:anthropic"


def _model(model: ResolvedModel, found: ProviderEndpoint) -> Result[ModelSpec, InvalidInputError]:
    if found.api in (ProviderApi.OPENAI, ProviderApi.GEMINI):
        # Gemini through Google's OpenAI-compatible endpoint: the langchain
        # extra installs langchain-openai, not langchain-google-genai.
        return Success(model_spec(OPENAI, model, found))
    if found.api == ProviderApi.ANTHROPIC:
        return Success(model_spec(ANTHROPIC, model, found))
    return Failure(
        unsupported(
            Framework.LANGCHAIN,
            model.provider,
            "Bedrock needs langchain-aws, which the langchain extra does not install",
        )
    )


RULES = PlannerRules(
    framework=Framework.LANGCHAIN,
    choose_model=_model,
    sub_agent_mode=SubAgentMode.TOOLS,
    names=NameRule.TOOL,
)


def plan_langchain(inp: PlanInput) -> PlanResult:
    """Plan langchain ``create_agent`` keyword arguments for ``inp``."""
    return plan_agent(RULES, inp)
