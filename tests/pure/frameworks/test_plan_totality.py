"""Planning is total: any input yields Success or a typed Failure, never an exception."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure, Success

from xpander_pure import (
    Agent,
    DecodeError,
    InvalidInputError,
    KeySource,
    McpServer,
    McpServerType,
    ReasoningEffort,
    ResolvedKey,
    ResolvedModel,
    Secret,
    Task,
    UnsupportedSchemaError,
    XpanderError,
    decode,
)
from xpander_pure.frameworks import (
    FRAMEWORK_ALIASES,
    PLANNERS,
    PROVIDER_ENDPOINTS,
    McpServerAuth,
    PlanInput,
    check_schema,
    plan_args,
)
from xpander_pure.frameworks._strands import MAX_SCHEMA_DEPTH

FRAMEWORKS = sorted(PLANNERS)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
schema_keys = st.sampled_from(
    ["type", "properties", "required", "items", "enum", "title", "description", "format", "$ref"]
)
schema_types = st.sampled_from(["object", "array", "string", "integer", "number", "boolean"])
schemas = st.recursive(
    st.one_of(scalars, st.fixed_dictionaries({"type": st.one_of(schema_types, json_values)})),
    lambda inner: st.one_of(
        st.fixed_dictionaries(
            {"type": st.just("object")},
            optional={
                "properties": st.dictionaries(st.text(max_size=4), inner, max_size=3),
                "required": st.one_of(st.lists(st.text(max_size=4), max_size=2), json_values),
            },
        ),
        st.fixed_dictionaries({"type": st.just("array")}, optional={"items": inner}),
        st.dictionaries(schema_keys, st.one_of(inner, json_values), max_size=4),
        st.lists(inner, max_size=2),
    ),
    max_leaves=12,
)
# Python values a caller may pass that JSON never holds: int keys, tuples.
python_values = st.recursive(
    st.one_of(scalars, st.tuples(st.integers())),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), inner, max_size=3),
    ),
    max_leaves=12,
)
words = st.text(alphabet=st.sampled_from("ab -'\"\\\t"), max_size=10)

mcp_servers = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["local", "remote"]),
        "name": st.one_of(st.none(), st.text(max_size=6)),
        "id": st.one_of(st.none(), st.text(max_size=6)),
        "command": st.one_of(st.none(), words),
        "url": st.one_of(st.none(), st.sampled_from(["", "http://127.0.0.1:9/mcp"])),
        "transport": st.one_of(st.none(), st.sampled_from(["stdio", "sse", "streamable-http"])),
        "auth_type": st.sampled_from(["none", "api_key", "oauth2", "custom_headers"]),
        "api_key": st.one_of(st.none(), st.text(max_size=6)),
        "headers": st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
        "env_vars": st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    },
)
graph_items = st.fixed_dictionaries(
    {"item_id": st.text(max_size=4), "targets": st.lists(st.text(max_size=4), max_size=2)},
    optional={
        "type": st.sampled_from(["agent", "mcp", "tool"]),
        "settings": st.fixed_dictionaries({}, optional={"mcp_settings": mcp_servers}),
    },
)
output_formats = st.sampled_from(["text", "markdown", "json", "voice"])
agent_payloads = st.fixed_dictionaries(
    {
        "id": st.text(max_size=6),
        "organization_id": st.just("o-1"),
        "name": st.text(max_size=12),
        "unique_name": st.text(max_size=12),
        "framework": st.sampled_from(FRAMEWORKS),
        "model_provider": st.text(max_size=8),
        "model_name": st.text(max_size=8),
    },
    optional={
        "output_format": output_formats,
        "output_schema": st.one_of(st.none(), schemas),
        "expected_output": st.text(max_size=8),
        "mcp_servers": st.lists(mcp_servers, max_size=3),
        "graph": st.lists(graph_items, max_size=3),
        "instructions": st.fixed_dictionaries(
            {}, optional={"role": st.lists(st.text(max_size=6)), "general": st.text(max_size=6)}
        ),
        "agno_settings": st.fixed_dictionaries(
            {},
            optional={
                "num_history_runs": st.integers(),
                "max_tool_calls_from_history": st.one_of(st.none(), st.integers()),
                "tool_call_limit": st.one_of(st.none(), st.integers()),
            },
        ),
        "color": json_values,
        "knowledge_bases": st.lists(json_values, max_size=2),
    },
)
task_payloads = st.fixed_dictionaries(
    {
        "id": st.text(max_size=6),
        "agent_id": st.just("a-1"),
        "organization_id": st.just("o-1"),
        "created_at": st.just("2026-01-01T00:00:00Z"),
        "input": st.fixed_dictionaries(
            {"text": st.text(max_size=6)},
            optional={
                "user": st.fixed_dictionaries(
                    {"email": st.text(max_size=6)},
                    optional={
                        "id": st.one_of(st.none(), st.text(max_size=4)),
                        "additional_attributes": st.dictionaries(
                            st.text(max_size=4), json_values, max_size=2
                        ),
                    },
                )
            },
        ),
    },
    optional={
        "output_format": st.one_of(st.none(), output_formats),
        "output_schema": st.one_of(st.none(), schemas),
        "instructions_override": st.one_of(st.none(), st.text(max_size=6)),
        "additional_context": st.one_of(st.none(), st.text(max_size=6)),
        "mcp_servers": st.lists(mcp_servers, max_size=2),
        "payload_extension": json_values,
    },
)
models = st.builds(
    ResolvedModel,
    provider=st.sampled_from([*sorted(PROVIDER_ENDPOINTS), "acme"]),
    model_name=st.text(max_size=8),
    key=st.builds(
        ResolvedKey,
        value=st.one_of(st.none(), st.builds(Secret, st.text(max_size=6))),
        source=st.sampled_from(list(KeySource)),
    ),
    base_url=st.one_of(st.none(), st.just("http://127.0.0.1:8000/v1")),
    headers=st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    reasoning_effort=st.one_of(st.none(), st.sampled_from(list(ReasoningEffort))),
)
# Mostly values that reach a planner; the rest must be refused as typed errors.
frameworks = st.one_of(
    st.sampled_from([None, *FRAMEWORKS, *sorted(FRAMEWORK_ALIASES)]), st.text(max_size=10)
)


def decoded(type_: type[Any], payload: dict[str, Any]) -> Any:
    """The decoded value, or ``None`` after checking the refusal is a typed ``DecodeError``."""
    result = decode(type_, payload)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), DecodeError)
        return None
    return result.unwrap()


@st.composite
def plan_inputs(draw: st.DrawFn, depth: int = 1) -> PlanInput | None:
    agent = decoded(Agent, draw(agent_payloads))
    task_payload = draw(st.one_of(st.none(), task_payloads))
    task = decoded(Task, task_payload) if task_payload is not None else None
    if agent is None or (task_payload is not None and task is None):
        return None
    shell_servers = None
    if draw(st.booleans()):
        servers = [
            decoded(McpServer, payload) for payload in draw(st.lists(mcp_servers, max_size=2))
        ]
        auth = st.dictionaries(st.text(max_size=4), st.builds(Secret, st.text(max_size=4)))
        shell_servers = [McpServerAuth(server=s, headers=draw(auth)) for s in servers if s]
    subs = draw(st.lists(plan_inputs(depth - 1), max_size=2)) if depth > 0 else []
    return PlanInput(
        agent=agent,
        model=draw(models),
        task=task,
        mcp_servers=shell_servers,
        sub_agents=[sub for sub in subs if sub is not None],
        session_id=draw(st.one_of(st.none(), st.text(max_size=4))),
        overrides=draw(st.dictionaries(st.text(max_size=6), json_values, max_size=2)),
    )


@settings(max_examples=150, deadline=None)
@given(framework=frameworks, plan_input=plan_inputs())
def test_plan_args_is_total_over_decoded_agents_and_tasks(
    framework: str | None, plan_input: PlanInput | None
) -> None:
    if plan_input is None:
        return
    result = plan_args(framework, plan_input)
    assert isinstance(result, Success) or isinstance(result.failure(), XpanderError)


@settings(max_examples=150, deadline=None)
@given(schema=st.one_of(schemas, json_values, python_values))
def test_check_schema_is_total(schema: Any) -> None:
    result = check_schema(schema)
    assert isinstance(result, Success) or isinstance(result.failure(), UnsupportedSchemaError)


def plain_plan_input(**agent_fields: Any) -> PlanInput:
    payload = {
        "id": "a-1",
        "organization_id": "o-1",
        "name": "Helper",
        "unique_name": "helper",
        "framework": "agno",
        "model_provider": "openai",
        "model_name": "gpt-4.1",
        **agent_fields,
    }
    model = ResolvedModel(
        provider="openai", model_name="gpt-4.1", key=ResolvedKey(value=None, source=KeySource.NONE)
    )
    return PlanInput(agent=decode(Agent, payload).unwrap(), model=model)


def local_server(command: str) -> dict[str, Any]:
    return {"name": "local", "type": McpServerType.LOCAL.value, "command": command}


def test_local_mcp_command_with_an_unbalanced_quote_is_refused_naming_the_field() -> None:
    inp = plain_plan_input(mcp_servers=[local_server('run "unclosed')])
    error = plan_args("agno", inp).failure()
    assert (type(error), error.field) == (InvalidInputError, "mcp_servers[0].command")


def test_local_mcp_command_of_only_spaces_is_refused_naming_the_field() -> None:
    inp = plain_plan_input(mcp_servers=[local_server("   ")])
    assert plan_args("agno", inp).failure().field == "mcp_servers[0].command"


def test_unsplittable_command_is_not_echoed_in_the_error() -> None:
    inp = plain_plan_input(mcp_servers=[local_server("run --token 'tok-canary-4242")])
    assert "tok-canary-4242" not in str(plan_args("agno", inp).failure())


def test_strands_refuses_a_list_typed_property_naming_its_path() -> None:
    schema = {"type": "object", "properties": {"a": {"type": []}}}
    error = plan_args(
        "strands-agents", plain_plan_input(output_format="json", output_schema=schema)
    )
    assert error.failure().field == "output_schema.properties.a.type"


def test_schema_with_int_and_str_keys_is_refused_naming_the_keys() -> None:
    error = check_schema({"type": "object", 1: "x", "$ref": "y"}).failure()
    assert (type(error), error.field, error.reason) == (
        UnsupportedSchemaError,
        "output_schema",
        "strands: $ref, 1 not supported",
    )


def nested(levels: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"p": schema}}
    return schema


def test_schema_nested_thousands_deep_is_refused_at_the_depth_limit() -> None:
    error = check_schema(nested(3000)).failure()
    assert error.field == "output_schema" + ".properties.p" * (MAX_SCHEMA_DEPTH + 1)


def test_schema_at_the_depth_limit_is_accepted() -> None:
    assert check_schema(nested(MAX_SCHEMA_DEPTH)) == Success(None)


def test_deeply_nested_type_value_is_refused_without_printing_it() -> None:
    deep: list[Any] = []
    for _ in range(3000):
        deep = [deep]
    error = check_schema({"type": "object", "properties": {"a": {"type": deep}}}).failure()
    assert (error.field, error.reason) == (
        "output_schema.properties.a.type",
        "strands: must be a string, not list",
    )


def test_first_property_problem_is_the_one_reported() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "date"}, "b": {"type": 1}}}
    assert check_schema(schema).failure().field == "output_schema.properties.a.type"


def test_enum_of_objects_is_refused() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "enum": [{}]}}}
    assert check_schema(schema).failure().field == "output_schema.properties.a.enum"


def test_required_must_list_names() -> None:
    schema = {"type": "object", "required": [["a"]], "properties": {}}
    assert check_schema(schema).failure().field == "output_schema.required"
