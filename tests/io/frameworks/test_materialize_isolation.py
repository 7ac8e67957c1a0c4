"""Materializers leave the process alone: no environment writes, lazy imports, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

FRAMEWORKS = ("agno", "open-ai-agents", "langchain", "google-adk", "strands-agents")
CASES = ("plain", "json_schema", "task_overrides", "team")
FRAMEWORK_MODULES = ("agno", "agents", "langchain", "google.adk", "strands", "litellm")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_materializing_writes_nothing_to_the_environment(
    framework: str, kwargs_for: Callable[[str, str], dict[str, Any]]
) -> None:
    kwargs_for(framework, "plain")  # first use imports the framework
    before = dict(os.environ)
    for case in CASES:
        kwargs_for(framework, case)
    assert dict(os.environ) == before


def test_importing_xpander_io_loads_no_framework() -> None:
    code = (
        "import sys, json; import xpander_io, xpander_io.frameworks, xpander_pure.frameworks; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert [m for m in loaded if m.startswith(FRAMEWORK_MODULES)] == []


_MISSING = """
import importlib.abc, json, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    # Makes the interpreter behave as if the package were absent.
    def find_spec(self, name, path=None, target=None):
        if name == {top!r} or name.startswith({top!r} + "."):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
sys.path.insert(0, {cases_dir!r})
import cases
from xpander_pure.frameworks import plan_args
from xpander_io.frameworks import FrameworkNotInstalledError, materialize

plan = plan_args({framework!r}, cases.load_case("plain")).unwrap()
try:
    materialize(plan)
except FrameworkNotInstalledError as exc:
    print(json.dumps({{"extra": exc.extra, "message": str(exc)}}))
"""


@pytest.mark.parametrize(
    ("framework", "top", "extra"),
    [
        ("agno", "agno", "agno"),
        ("open-ai-agents", "agents", "openai-agents"),
        ("langchain", "langchain", "langchain"),
        ("google-adk", "google.adk", "google-adk"),
        ("strands-agents", "strands", "strands"),
    ],
)
def test_missing_framework_names_the_extra_to_install(
    framework: str, top: str, extra: str, cases: Any
) -> None:
    code = _MISSING.format(top=top, framework=framework, cases_dir=str(cases.HERE))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    reported = json.loads(out.stdout)
    assert reported["extra"] == extra
    assert f"pip install 'xpander-backend[{extra}]'" in reported["message"]
