"""Sample cases for the planner tests (tests/samples/frameworks)."""

from __future__ import annotations

import importlib.util
import pathlib
from types import ModuleType

import pytest

_CASES = pathlib.Path(__file__).parents[2] / "samples" / "frameworks" / "cases.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("framework_cases", _CASES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def cases() -> ModuleType:
    return _load()
