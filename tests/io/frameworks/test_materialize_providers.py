"""Every listed provider reaches every framework that can reach it, key included."""

from __future__ import annotations

import types
from typing import Any

import pytest

from xpander_io.frameworks import materialize
from xpander_pure import Agent, Deployment, UnsupportedFrameworkError, decode, resolve_model
from xpander_pure.frameworks import PlanInput, plan_args

KEY = "canary-provider-key-0042"
PROVIDERS = {
    "openai": None,
    "anthropic": None,
    "google_ai_studio": None,
    "nim": None,
    "amazon_bedrock": None,
    "azure_ai_foundary": "https://example-resource.openai.azure.com/openai/v1",
    "open_router": None,
    "fireworks": None,
    "nebius": None,
    "helicone": None,
    "openai_compatible": "https://llm.example.com/v1",
    "cloudflare_ai_gw": "https://gateway.ai.cloudflare.com/v1/acct/gw/compat",
}
FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")
UNREACHABLE = {
    ("langchain", "amazon_bedrock"),  # needs langchain-aws
    ("agno", "amazon_bedrock"),  # AwsBedrock takes AWS credentials, not an agent's API key
}


def _key(framework: str, model: Any) -> Any:
    """Where each framework's model object keeps its key."""
    if framework == "agno":
        return getattr(model, "api_key", None)
    if framework == "open-ai-agents":
        client = getattr(model, "_client", None)
        return client.api_key if client is not None else model.api_key
    if framework == "langchain":
        secret = getattr(model, "openai_api_key", None) or model.anthropic_api_key
        return secret.get_secret_value()
    if framework == "google-adk":
        kwargs = getattr(model, "client_kwargs", None)
        return kwargs["api_key"] if kwargs else model._additional_args["api_key"]
    if hasattr(model, "client_args"):
        return model.client_args["api_key"]
    if type(model).__name__ == "BedrockModel":
        # The key lives in a botocore hook that signs each request with it.
        request = types.SimpleNamespace(headers={})
        model.client.meta.events.emit("before-send.bedrock-runtime.Converse", request=request)
        return request.headers["Authorization"].removeprefix("Bearer ")
    return model.client.api_key


def _plan_input(provider: str, base_url: str | None) -> PlanInput:
    wire = {
        "id": "p-1",
        "organization_id": "o-1",
        "name": "Provider probe",
        "unique_name": "probe",
        "framework": "agno",
        "model_provider": provider,
        "model_name": "some-model",
        "llm_api_base": base_url,
        "llm_credentials": {"value": KEY},
    }
    agent = decode(Agent, wire).unwrap()
    model = resolve_model(agent, None, {}, Deployment.CLOUD, {}).unwrap()
    return PlanInput(agent=agent, model=model)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_provider_model_is_built_with_the_agents_key(framework: str, provider: str) -> None:
    result = plan_args(framework, _plan_input(provider, PROVIDERS[provider]))
    if (framework, provider) in UNREACHABLE:
        error = result.failure()
        assert isinstance(error, UnsupportedFrameworkError) and provider in str(error)
        return
    model = materialize(result.unwrap())["model"]
    assert _key(framework, model) == KEY
