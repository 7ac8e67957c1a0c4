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
from ._common import NameRule, PlannerRules, PlanResult, model_spec, plan_agent, unsupported
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
MAX_SCHEMA_DEPTH = 32
"""Deepest nesting ``check_schema`` accepts (the materializer builds models recursively)."""

_ENUM_VALUE_TYPES = (str, int, float, bool, type(None))


_SubSchemas = list[tuple[Any, str]]


def _check_node(schema: Any, path: str, top: bool) -> UnsupportedSchemaError | _SubSchemas:
    """One schema node's problem, else its sub-schemas (with their paths) in order."""
    if not isinstance(schema, dict):
        return UnsupportedSchemaError(path, "strands: a schema must be an object")
    # str(): keys need not be strings when the schema did not come from JSON.
    extra = sorted(str(key) for key in schema if key not in _SCHEMA_KEYS)
    if extra:
        return UnsupportedSchemaError(path, f"strands: {', '.join(extra)} not supported")
    kind = schema.get("type")
    if top and kind != "object":
        return UnsupportedSchemaError(path, "strands: the top level must be an object")
    if not isinstance(kind, str):
        # Never repr() it: a hostile value may nest too deep to print.
        reason = f"strands: must be a string, not {type(kind).__name__}"
        return UnsupportedSchemaError(f"{path}.type", reason)
    if kind not in SCHEMA_TYPES:
        return UnsupportedSchemaError(f"{path}.type", f"strands: type {kind!r} not supported")
    for key in ("title", "description", "format"):
        if key in schema and not isinstance(schema[key], str):
            return UnsupportedSchemaError(f"{path}.{key}", "must be a string")
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(name, str) for name in required):
        return UnsupportedSchemaError(f"{path}.required", "must be a list of strings")
    if "enum" in schema:
        values = schema["enum"]
        if not isinstance(values, list) or not values:
            return UnsupportedSchemaError(f"{path}.enum", "must be a non-empty list")
        if not all(isinstance(value, _ENUM_VALUE_TYPES) for value in values):
            return UnsupportedSchemaError(f"{path}.enum", "strands: values must be scalars")
    if kind == "object":
        properties = schema.get("properties", {})
        if not isinstance(properties, dict):
            return UnsupportedSchemaError(f"{path}.properties", "must be an object")
        return [(sub, f"{path}.properties.{name}") for name, sub in properties.items()]
    if kind == "array" and "items" in schema:
        return [(schema["items"], f"{path}.items")]
    return []


def check_schema(schema: Any, path: str = "output_schema") -> Result[None, UnsupportedSchemaError]:
    """Whether ``schema`` converts to a pydantic model: objects, arrays, scalars, enums.

    Total over any value: every problem (including nesting deeper than
    ``MAX_SCHEMA_DEPTH``) is an ``UnsupportedSchemaError`` naming its path.

    >>> check_schema({"type": "object", "properties": {"a": {"type": "string"}}}).unwrap()
    >>> check_schema({"type": "object", "properties": {"a": {"anyOf": []}}}).failure().field
    'output_schema.properties.a'
    """
    # An explicit stack, not recursion: a hostile schema may nest thousands deep.
    pending: list[tuple[Any, str, int]] = [(schema, path, 0)]
    while pending:
        node, where, depth = pending.pop()
        if depth > MAX_SCHEMA_DEPTH:
            return Failure(
                UnsupportedSchemaError(where, f"strands: nested deeper than {MAX_SCHEMA_DEPTH}")
            )
        found = _check_node(node, where, top=depth == 0 and path == "output_schema")
        if isinstance(found, UnsupportedSchemaError):
            return Failure(found)
        # Reversed, so the first sub-schema is checked first (its error wins).
        pending.extend((sub, sub_path, depth + 1) for sub, sub_path in reversed(found))
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


RULES = PlannerRules(
    framework=Framework.STRANDS_AGENTS,
    choose_model=_model,
    sub_agent_mode=SubAgentMode.TOOLS,
    names=NameRule.TOOL,
    check_schema=check_schema,
)


def plan_strands(inp: PlanInput) -> PlanResult:
    """Plan strands ``Agent`` keyword arguments for ``inp``."""
    return plan_agent(RULES, inp)
