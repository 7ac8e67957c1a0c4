"""The strands-agents planner: ``Agent`` with strands model classes; sub-agents as tools.

strands takes a structured output as a pydantic model class, built by the
materializer from the JSON schema; only the schemas that build faithfully
are planned (see ``check_schema``), the rest are refused here.
"""

from __future__ import annotations

from typing import Any

from returns.result import Failure, Result, Success

from .._enums import Framework
from .._errors import InvalidInputError, UnsupportedSchemaError
from .._model import ResolvedModel
from ._common import PlanResult, assemble, collect, identifier, model_spec, unsupported
from ._plan import ModelSpec, PlanInput, SubAgentMode
from ._providers import ProviderApi, ProviderEndpoint

OPENAI = "strands.models.openai.OpenAIModel"
ANTHROPIC = "strands.models.anthropic.AnthropicModel"
GEMINI = "strands.models.gemini.GeminiModel"
BEDROCK = "strands.models.bedrock.BedrockModel"

SCHEMA_TYPES = frozenset({"string", "integer", "number", "boolean", "object", "array"})
_SCHEMA_KEYS = frozenset(
    {"type", "properties", "required", "description", "title", "items", "enum"}
    | {"additionalProperties", "default", "format"}
)


def check_schema(schema: Any, path: str = "output_schema") -> Result[None, UnsupportedSchemaError]:
    """Whether ``schema`` converts to a pydantic model: objects, arrays, scalars, enums.

    >>> check_schema({"type": "object", "properties": {"a": {"type": "string"}}}).unwrap()
    >>> check_schema({"type": "object", "properties": {"a": {"anyOf": []}}}).failure().field
    'output_schema.properties.a'
    """
    if not isinstance(schema, dict):
        return Failure(UnsupportedSchemaError(path, "strands: a schema must be an object"))
    extra = sorted(set(schema) - _SCHEMA_KEYS)
    if extra:
        return Failure(UnsupportedSchemaError(path, f"strands: {', '.join(extra)} not supported"))
    kind = schema.get("type")
    if path == "output_schema" and kind != "object":
        return Failure(UnsupportedSchemaError(path, "strands: the top level must be an object"))
    if kind not in SCHEMA_TYPES:
        return Failure(
            UnsupportedSchemaError(f"{path}.type", f"strands: type {kind!r} not supported")
        )
    if kind == "object":
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            return Failure(UnsupportedSchemaError(f"{path}.properties", "must be an object"))
        for name, sub in properties.items():
            checked = check_schema(sub, f"{path}.properties.{name}")
            if isinstance(checked, Failure):
                return checked
    if kind == "array" and "items" in schema:
        return check_schema(schema["items"], f"{path}.items")
    return Success(None)


def _model(model: ResolvedModel, found: ProviderEndpoint) -> Result[ModelSpec, InvalidInputError]:
    if found.api == ProviderApi.OPENAI:
        return Success(model_spec(OPENAI, model, found))
    if found.api == ProviderApi.ANTHROPIC:
        return Success(model_spec(ANTHROPIC, model, found))
    if found.api == ProviderApi.GEMINI:
        return Success(model_spec(GEMINI, model, found, use_default_url=False))
    if found.api == ProviderApi.BEDROCK:
        return Success(model_spec(BEDROCK, model, found))
    return Failure(
        unsupported(Framework.STRANDS_AGENTS, model.provider, f"no model for {found.api!r}")
    )


def _plan(inp: PlanInput, *, as_tool: bool) -> PlanResult:
    subs = collect([_plan(sub, as_tool=True) for sub in inp.sub_agents])
    if isinstance(subs, Failure):
        return Failure(subs.failure())
    agent = inp.agent
    planned = assemble(
        Framework.STRANDS_AGENTS,
        inp,
        _model,
        name=identifier(agent.name, agent.unique_name) if as_tool else agent.name,
        sub_plans=subs.unwrap(),
        sub_agent_mode=SubAgentMode.TOOLS,
        stdio_mcp=False,
    )
    if isinstance(planned, Failure):
        return planned
    schema = planned.unwrap().output.schema
    if schema is not None:
        checked = check_schema(schema)
        if isinstance(checked, Failure):
            return Failure(checked.failure())
    return planned


def plan_strands(inp: PlanInput) -> PlanResult:
    """Plan strands ``Agent`` keyword arguments for ``inp``."""
    return _plan(inp, as_tool=False)
