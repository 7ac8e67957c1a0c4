"""Each sample agent plans exactly as recorded under tests/samples/frameworks/expected."""

from __future__ import annotations

import json
from types import ModuleType

import pytest
from returns.result import Failure

from xpander_pure.frameworks import plan_args

CASES = ("plain", "json_schema", "task_overrides", "mcp", "team")
FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("case", CASES)
def test_plan_matches_the_golden_file(cases: ModuleType, case: str, framework: str) -> None:
    result = plan_args(framework, cases.load_case(case))
    expected = cases.expected_path(case, framework).read_text()
    if isinstance(result, Failure):
        error = result.failure()
        assert json.loads(expected) == {"error": type(error).__name__, "message": str(error)}
    else:
        assert cases.golden_text(result.unwrap()) == expected


def test_golden_files_hold_no_sample_key(cases: ModuleType) -> None:
    texts = [path.read_text() for path in sorted(cases.EXPECTED.glob("*.json"))]
    assert texts
    assert not [text for text in texts if "canary" in text]
