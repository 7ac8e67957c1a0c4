"""The google-adk planner: ``LlmAgent``; Gemini natively, other providers through LiteLlm."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from .._enums import Framework, Provider
from .._errors import InvalidInputError
from .._model import ResolvedModel
from ._common import PlanResult, assemble, collect, identifier, model_spec, unsupported
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


def plan_google_adk(inp: PlanInput) -> PlanResult:
    """Plan google-adk ``LlmAgent`` keyword arguments; the name becomes an identifier."""
    subs = collect([plan_google_adk(sub) for sub in inp.sub_agents])
    if isinstance(subs, Failure):
        return Failure(subs.failure())
    agent = inp.agent
    return assemble(
        Framework.GOOGLE_ADK,
        inp,
        _model,
        name=identifier(agent.name, agent.unique_name),
        sub_plans=subs.unwrap(),
        sub_agent_mode=SubAgentMode.SUB_AGENTS,
        stdio_mcp=False,
    )
