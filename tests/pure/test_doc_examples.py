"""The examples in the docstrings hold: every module of both packages whose source
has a ``>>>`` example is collected, so a new one is never left out."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGES = ("xpander_pure", "xpander_io")


def modules_with_examples() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((SRC / package).rglob("*.py")):
            if ">>>" in path.read_text(encoding="utf-8"):
                parts = path.relative_to(SRC).with_suffix("").parts
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                found.append(".".join(parts))
    return found


MODULES = modules_with_examples()


def test_the_modules_named_in_the_review_are_collected() -> None:
    expected = {
        "xpander_pure._addressing",
        "xpander_pure._codec",
        "xpander_pure._errors",
        "xpander_pure._mcp",
        "xpander_pure._metadata",
        "xpander_pure._redact",
        "xpander_pure._worker",
        "xpander_pure.frameworks._common",
        "xpander_io.frameworks._args",
    }
    assert expected - set(MODULES) == set()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
