"""Settings for the whole test run, and fixtures shared across test folders.

LiteLLM (google-adk's and openai-agents' route to non-OpenAI providers)
downloads a model price map from the network when it is imported, unless
``LITELLM_LOCAL_MODEL_COST_MAP=True``. The tests run without network, so the
variable is set here, once, for the whole run (and inherited by the child
processes some tests start); an explicit value from the caller wins.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
from types import ModuleType

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

_CASES = pathlib.Path(__file__).parent / "samples" / "frameworks" / "cases.py"


@pytest.fixture(scope="session")
def cases() -> ModuleType:
    """The framework sample cases (tests/samples/frameworks/cases.py) as a module."""
    spec = importlib.util.spec_from_file_location("framework_cases", _CASES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
