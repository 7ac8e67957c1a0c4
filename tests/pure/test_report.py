"""The external task report: validation and the exact wire body."""

from __future__ import annotations

import math
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import (
    ExternalTaskReport,
    ReportValidationError,
    Secret,
    Tokens,
    build_report,
    to_wire,
)
from xpander_pure._report import check_report_arguments

WIRE_KEYS = [
    "id",
    "input",
    "llm_response",
    "tokens",
    "is_success",
    "result",
    "duration",
    "used_tools",
]


def wire(report: ExternalTaskReport) -> dict[str, Any]:
    body: dict[str, Any] = msgspec.json.decode(to_wire(report))
    return body


def test_defaults_give_every_key_of_the_wire_body() -> None:
    assert wire(build_report().unwrap()) == {
        "id": None,
        "input": None,
        "llm_response": None,
        "tokens": None,
        "is_success": True,
        "result": None,
        "duration": 0,
        "used_tools": [],
    }


def test_wire_body_has_exactly_the_contract_keys_in_order() -> None:
    assert list(wire(build_report(id="t1").unwrap())) == WIRE_KEYS


def test_full_report_as_in_the_guide() -> None:
    report = build_report(
        id="t1",
        input="Analyze sales data",
        llm_response={"content": "Analysis complete", "model": "gpt-4"},
        tokens=Tokens(completion_tokens=150, prompt_tokens=50, total_tokens=200),
        is_success=True,
        result="Generated report",
        duration=4.2,
        used_tools=["data_analyzer", "chart_generator"],
    ).unwrap()
    body = wire(report)
    assert (body["tokens"]["total_tokens"], body["duration"], body["used_tools"]) == (
        200,
        4.2,
        ["data_analyzer", "chart_generator"],
    )


def test_tokens_accepted_as_a_mapping() -> None:
    report = build_report(tokens={"prompt_tokens": 2, "completion_tokens": 3}).unwrap()
    assert report.tokens == Tokens(prompt_tokens=2, completion_tokens=3, total_tokens=5)


def test_used_tools_accepted_as_a_tuple() -> None:
    assert build_report(used_tools=("a", "b")).unwrap().used_tools == ["a", "b"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"id": ""}, "id"),
        ({"id": "   "}, "id"),
        ({"duration": -0.1}, "duration"),
        ({"duration": math.nan}, "duration"),
        ({"duration": math.inf}, "duration"),
        ({"duration": "2"}, "duration"),
        ({"tokens": {"prompt_tokens": -1}}, "tokens.prompt_tokens"),
        ({"tokens": {"completion_tokens": 1.5}}, "tokens.completion_tokens"),
        ({"tokens": Tokens(cache_read_tokens=-3)}, "tokens.cache_read_tokens"),
        ({"tokens": 7}, "tokens"),
        ({"used_tools": ["ok", 3]}, "used_tools[1]"),
        ({"used_tools": "search"}, "used_tools"),
        ({"llm_response": {"x": object()}}, "llm_response"),
        ({"input": 5}, "input"),
        ({"result": ["x"]}, "result"),
        ({"is_success": "yes"}, "is_success"),
    ],
)
def test_invalid_field_is_named(kwargs: dict[str, Any], field: str) -> None:
    error = build_report(**kwargs).failure()
    assert isinstance(error, ReportValidationError)
    assert error.field == field


def test_secret_in_llm_response_is_refused_not_revealed() -> None:
    canary = "sk-report-canary-77"
    error = build_report(llm_response={"key": Secret(canary)}).failure()
    assert error.field == "llm_response"
    assert canary not in str(error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
anything = st.one_of(
    json_values,
    st.binary(max_size=8),
    st.builds(object),
    st.floats(),
    st.builds(Secret, st.text(max_size=5)),
)


@settings(max_examples=200)
@given(
    id=anything,
    input=anything,
    llm_response=anything,
    tokens=st.one_of(anything, st.dictionaries(st.text(max_size=20), anything, max_size=4)),
    is_success=anything,
    result=anything,
    duration=anything,
    used_tools=st.one_of(anything, st.lists(anything, max_size=4)),
)
def test_build_report_is_total(**kwargs: Any) -> None:
    result = build_report(**kwargs)
    if isinstance(result, Failure):
        assert isinstance(result.failure(), ReportValidationError)
    else:
        assert list(wire(result.unwrap())) == WIRE_KEYS


@settings(max_examples=200)
@given(
    id=st.none() | st.text(min_size=1).filter(str.strip),
    input=st.none() | st.text(),
    llm_response=json_values,
    prompt=st.integers(min_value=0, max_value=2**40),
    completion=st.integers(min_value=0, max_value=2**40),
    duration=st.floats(min_value=0, allow_infinity=False),
    used_tools=st.lists(st.text(), max_size=4),
)
def test_valid_values_always_build(
    id: str | None,
    input: str | None,
    llm_response: Any,
    prompt: int,
    completion: int,
    duration: float,
    used_tools: list[str],
) -> None:
    tokens = {"prompt_tokens": prompt, "completion_tokens": completion}
    report = build_report(
        id=id,
        input=input,
        llm_response=llm_response,
        tokens=tokens,
        duration=duration,
        used_tools=used_tools,
    ).unwrap()
    assert report.tokens is not None
    assert report.tokens.total_tokens == prompt + completion


def test_a_batch_report_with_an_unknown_key_is_refused_naming_it() -> None:
    error = check_report_arguments({"id": "t", "reslt": "typo"}).failure()
    assert (type(error), error.field) == (ReportValidationError, "reslt")


def test_a_batch_report_that_is_not_a_mapping_is_refused() -> None:
    assert check_report_arguments(["id", "t"]).failure().field == "$"


def test_a_batch_report_with_known_keys_is_accepted_as_it_is() -> None:
    report = {"agent_id": "a", "id": "t", "result": "ok"}
    assert check_report_arguments(report).unwrap() == report
