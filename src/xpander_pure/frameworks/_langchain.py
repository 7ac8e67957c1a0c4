"""The langchain planner: ``create_agent`` with a chat model from ``init_chat_model``.

Sub-agents become tools of the parent (each wraps the sub-agent's compiled
graph). MCP servers are refused: langchain's MCP tools come from
``langchain-mcp-adapters``, whose ``get_tools()`` connects to each server, and
building arguments must not connect. Connect them yourself
(``xpander_io.frameworks.mcp_connections`` gives the adapter's connection
mapping) and pass the tools in.
"""

from __future__ import annotations

from returns.result import Failure, Result, Success

from .._enums import Framework
from .._errors import InvalidInputError, UnsupportedFrameworkError
from .._model import ResolvedModel
from ._common import PlanResult, assemble, collect, identifier, mcp_servers, model_spec, unsupported
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


def _plan(inp: PlanInput, *, as_tool: bool) -> PlanResult:
    if mcp_servers(inp):
        return Failure(
            UnsupportedFrameworkError(
                "mcp_servers",
                "framework 'langchain' gets MCP tools from langchain-mcp-adapters, whose "
                "get_tools() connects; connect them (xpander_io.frameworks.mcp_connections) "
                "and pass the tools in",
            )
        )
    subs = collect([_plan(sub, as_tool=True) for sub in inp.sub_agents])
    if isinstance(subs, Failure):
        return Failure(subs.failure())
    agent = inp.agent
    return assemble(
        Framework.LANGCHAIN,
        inp,
        _model,
        name=identifier(agent.name, agent.unique_name) if as_tool else agent.name,
        sub_plans=subs.unwrap(),
        sub_agent_mode=SubAgentMode.TOOLS,
        stdio_mcp=False,
    )


def plan_langchain(inp: PlanInput) -> PlanResult:
    """Plan langchain ``create_agent`` keyword arguments for ``inp``."""
    return _plan(inp, as_tool=False)
