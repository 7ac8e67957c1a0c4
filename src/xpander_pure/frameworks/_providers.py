"""Which API each model provider speaks, and its default endpoint.

Key resolution (``xpander_pure._keys``) leaves ``base_url`` as the agent's own
``llm_api_base``; the planners fill in the provider's default endpoint from
this table when the agent set none. OpenAI-compatible providers are reached
through each framework's OpenAI client pointed at that endpoint.

=====================  ==========  ===================================================
provider               api         default base URL
=====================  ==========  ===================================================
openai                 openai      (the OpenAI SDK's own: https://api.openai.com/v1)
anthropic              anthropic   (the Anthropic SDK's own)
google_ai_studio       gemini      https://generativelanguage.googleapis.com/v1beta/openai/
gemini                 gemini      (same as google_ai_studio)
amazon_bedrock         bedrock     (regional: bedrock-runtime.<region>.amazonaws.com)
nim                    openai      https://integrate.api.nvidia.com/v1
open_router            openai      https://openrouter.ai/api/v1
fireworks              openai      https://api.fireworks.ai/inference/v1
nebius                 openai      https://api.tokenfactory.nebius.com/v1/
helicone               openai      https://ai-gateway.helicone.ai/v1
z_ai                   openai      https://api.z.ai/api/paas/v4
cerebras               openai      https://api.cerebras.ai/v1
huggingFace            openai      https://router.huggingface.co/v1
friendlyAI             openai      https://api.friendli.ai/serverless/v1
azure_ai_foundary      openai      none: the agent's llm_api_base is required
cloudflare_ai_gw       openai      none: .../v1/<account>/<gateway>/compat is per account
openai_compatible      openai      none: the agent's llm_api_base is required
bytedance              openai      none: the agent's llm_api_base is required
tzafon_lightcone       openai      none: the agent's llm_api_base is required
=====================  ==========  ===================================================

The ``gemini`` default is Google's OpenAI-compatible endpoint, used by the
frameworks that reach Gemini through an OpenAI client; frameworks with a
native Gemini class ignore it unless the agent set its own base URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import msgspec

from .._enums import Provider


class ProviderApi:
    """The API families a provider can speak."""

    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    GEMINI = "gemini"
    BEDROCK = "bedrock"


class ProviderEndpoint(msgspec.Struct, kw_only=True, frozen=True):
    """A provider's API family and default base URL (``None``: SDK default or required)."""

    api: str
    default_base_url: str | None = None
    needs_base_url: bool = False


GEMINI_OPENAI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/"


def _openai(url: str | None = None, *, required: bool = False) -> ProviderEndpoint:
    return ProviderEndpoint(api=ProviderApi.OPENAI, default_base_url=url, needs_base_url=required)


PROVIDER_ENDPOINTS: Mapping[str, ProviderEndpoint] = MappingProxyType(
    {
        Provider.OPENAI: _openai(),
        Provider.ANTHROPIC: ProviderEndpoint(api=ProviderApi.ANTHROPIC),
        Provider.GOOGLE_AI_STUDIO: ProviderEndpoint(
            api=ProviderApi.GEMINI, default_base_url=GEMINI_OPENAI_BASE_URL
        ),
        Provider.GEMINI: ProviderEndpoint(
            api=ProviderApi.GEMINI, default_base_url=GEMINI_OPENAI_BASE_URL
        ),
        Provider.AMAZON_BEDROCK: ProviderEndpoint(api=ProviderApi.BEDROCK),
        Provider.NIM: _openai("https://integrate.api.nvidia.com/v1"),
        Provider.OPEN_ROUTER: _openai("https://openrouter.ai/api/v1"),
        Provider.FIREWORKS: _openai("https://api.fireworks.ai/inference/v1"),
        Provider.NEBIUS: _openai("https://api.tokenfactory.nebius.com/v1/"),
        Provider.HELICONE: _openai("https://ai-gateway.helicone.ai/v1"),
        Provider.Z_AI: _openai("https://api.z.ai/api/paas/v4"),
        Provider.CEREBRAS: _openai("https://api.cerebras.ai/v1"),
        Provider.HUGGING_FACE: _openai("https://router.huggingface.co/v1"),
        Provider.FRIENDLY_AI: _openai("https://api.friendli.ai/serverless/v1"),
        Provider.AZURE_AI_FOUNDARY: _openai(required=True),
        Provider.CLOUDFLARE_AI_GW: _openai(required=True),
        Provider.OPENAI_COMPATIBLE: _openai(required=True),
        Provider.BYTEDANCE: _openai(required=True),
        Provider.TZAFON_LIGHTCONE: _openai(required=True),
    }
)
"""Provider value → its API family and default endpoint (see the module table)."""
