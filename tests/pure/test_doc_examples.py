"""The examples in the core's docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "xpander_pure._keys",
    "xpander_pure._oauth",
    "xpander_pure._report",
    "xpander_pure._retry",
    "xpander_pure._routing",
    "xpander_pure.platform._claims",
    "xpander_pure.platform._rules",
    "xpander_pure.platform._workers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
