"""The openai-agents planner: ``Agent`` with a model on its own client; handoffs."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from .._enums import Framework, Provider
from .._errors import InvalidInputError
from .._model import ResolvedModel
from ._common import PlannerRules, PlanResult, model_spec, plan_agent, unsupported
from ._plan import ModelSpec, PlanInput, SubAgentMode
from ._providers import ProviderApi, ProviderEndpoint

RESPONSES = "agents.OpenAIResponsesModel"
CHAT_COMPLETIONS = "agents.OpenAIChatCompletionsModel"
LITELLM = "agents.extensions.models.litellm_model.LitellmModel"


def _model(model: ResolvedModel, found: ProviderEndpoint) -> Result[ModelSpec, InvalidInputError]:
    if found.api in (ProviderApi.OPENAI, ProviderApi.GEMINI):
        # OpenAI's own endpoint speaks the Responses API; every other
        # OpenAI-compatible endpoint (Gemini's included) only Chat Completions.
        own = model.provider == Provider.OPENAI and not model.base_url
        return Success(model_spec(RESPONSES if own else CHAT_COMPLETIONS, model, found))
    if found.api == ProviderApi.ANTHROPIC:
        return Success(model_spec(LITELLM, model, found, model_id=f"anthropic/{model.model_name}"))
    if found.api == ProviderApi.BEDROCK:
        return Success(model_spec(LITELLM, model, found, model_id=f"bedrock/{model.model_name}"))
    return Failure(
        unsupported(Framework.OPENAI_AGENTS, model.provider, f"no model for {found.api!r}")
    )


RULES = PlannerRules(
    framework=Framework.OPENAI_AGENTS, choose_model=_model, sub_agent_mode=SubAgentMode.HANDOFFS
)


def plan_openai_agents(inp: PlanInput) -> PlanResult:
    """Plan openai-agents ``Agent`` keyword arguments for ``inp``."""
    return plan_agent(RULES, inp)
