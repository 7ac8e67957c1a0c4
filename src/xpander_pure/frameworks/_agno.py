"""The agno planner: an ``Agent`` (or a ``Team`` when the graph has sub-agents)."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from .._enums import Framework, Provider
from .._errors import InvalidInputError
from .._model import KeySource, ResolvedModel
from ._common import PlannerRules, PlanResult, model_spec, plan_agent, unsupported
from ._plan import ModelSpec, PlanInput, SubAgentMode
from ._providers import ProviderApi, ProviderEndpoint

OPENAI_CHAT = "agno.models.openai.OpenAIChat"
OPENAI_LIKE = "agno.models.openai.like.OpenAILike"
CLAUDE = "agno.models.anthropic.Claude"
GEMINI = "agno.models.google.Gemini"
AWS_BEDROCK = "agno.models.aws.AwsBedrock"


def bedrock_key_reachable(model: ResolvedModel) -> bool:
    """Whether boto3 finds the Bedrock key by itself.

    botocore reads ``AWS_BEARER_TOKEN_BEDROCK`` (the variable key resolution
    read), so an environment key needs no passing; a custom or OIDC key would
    have to be written into the environment, which no materializer does.
    """
    return model.key.value is None or model.key.source is KeySource.ENVIRONMENT


def _model(model: ResolvedModel, found: ProviderEndpoint) -> Result[ModelSpec, InvalidInputError]:
    if found.api == ProviderApi.OPENAI:
        if model.provider == Provider.OPENAI:
            return Success(model_spec(OPENAI_CHAT, model, found))
        return Success(model_spec(OPENAI_LIKE, model, found))
    if found.api == ProviderApi.ANTHROPIC:
        return Success(model_spec(CLAUDE, model, found))
    if found.api == ProviderApi.GEMINI:
        return Success(model_spec(GEMINI, model, found, use_default_url=False))
    if found.api == ProviderApi.BEDROCK:
        if not bedrock_key_reachable(model):
            return Failure(
                unsupported(
                    Framework.AGNO,
                    model.provider,
                    "agno's AwsBedrock takes AWS credentials, not a per-agent Bedrock API key",
                )
            )
        return Success(model_spec(AWS_BEDROCK, model, found))
    return Failure(unsupported(Framework.AGNO, model.provider, f"no agno model for {found.api!r}"))


RULES = PlannerRules(
    framework=Framework.AGNO, choose_model=_model, sub_agent_mode=SubAgentMode.TEAM, stdio_mcp=True
)


def plan_agno(inp: PlanInput) -> PlanResult:
    """Plan agno ``Agent`` (or ``Team``) keyword arguments for ``inp``."""
    return plan_agent(RULES, inp)
