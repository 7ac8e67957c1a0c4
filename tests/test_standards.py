"""The project's standards, enforced by the test suite (and so by CI).

Each check runs in a subprocess of this interpreter from the repository root,
so it reads the configuration in ``pyproject.toml`` exactly as a developer's
command line would. mypy keeps its default cache (``.mypy_cache``, gitignored),
which makes a repeated run cheap.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> None:
    """Run ``python -m <command>`` from the root; fail showing its output unless it exits 0."""
    completed = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, (
        f"`{' '.join(command)}` exited {completed.returncode}:\n"
        f"{completed.stdout}\n{completed.stderr}"
    )


def test_ruff_check_passes() -> None:
    run("ruff", "check", "src", "tests")


def test_ruff_format_check_passes() -> None:
    run("ruff", "format", "--check", "src", "tests")


def test_mypy_strict_passes_on_src() -> None:
    run("mypy", "src")
