"""The google-adk planner: ``LlmAgent``; Gemini natively, other providers through LiteLlm."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from .._enums import Framework, Provider
from .._errors import InvalidInputError
from .._model import ResolvedModel
from ._common import NameRule, PlannerRules, PlanResult, model_spec, plan_agent, unsupported
from ._plan import ModelSpec, PlanInput, SubAgentMode
from ._providers import ProviderApi, ProviderEndpoint

GEMINI = "google.adk.models.Gemini"
LITELLM = "google.adk.models.lite_llm.LiteLlm"


def _model(model: ResolvedModel, found: ProviderEndpoint) -> Result[ModelSpec, InvalidInputError]:
    name = model.model_name
    if found.api == ProviderApi.GEMINI:
        return Success(model_spec(GEMINI, model, found, use_default_url=False))
    if found.api == ProviderApi.OPENAI:
        # LiteLLM's "openai/" route with api_base reaches any OpenAI-compatible endpoint.
        default = model.provider != Provider.OPENAI
        return Success(
            model_spec(LITELLM, model, found, model_id=f"openai/{name}", use_default_url=default)
        )
    if found.api == ProviderApi.ANTHROPIC:
        return Success(model_spec(LITELLM, model, found, model_id=f"anthropic/{name}"))
    if found.api == ProviderApi.BEDROCK:
        return Success(model_spec(LITELLM, model, found, model_id=f"bedrock/{name}"))
    return Failure(unsupported(Framework.GOOGLE_ADK, model.provider, f"no model for {found.api!r}"))


RULES = PlannerRules(
    framework=Framework.GOOGLE_ADK,
    choose_model=_model,
    sub_agent_mode=SubAgentMode.SUB_AGENTS,
    names=NameRule.IDENTIFIER,
)


def plan_google_adk(inp: PlanInput) -> PlanResult:
    """Plan google-adk ``LlmAgent`` keyword arguments; the name becomes an identifier."""
    return plan_agent(RULES, inp)
