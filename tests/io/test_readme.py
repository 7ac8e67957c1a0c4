"""The README's Backend section runs as written, against the embedded local platform.

Its ``python`` blocks are one session: they run in order in one namespace,
top-level ``await`` included, with ``XPANDER_DATA_DIR`` pointing at a fresh
directory (``Configuration.local()`` keeps its database there).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from backend_support import environ

from xpander_io import auth_event_handlers

README = Path(__file__).parents[2] / "README.md"


def _section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


BLOCKS = re.findall(r"```python\n(.*?)```", _section(README.read_text(), "Backend"), re.DOTALL)


def test_the_backend_section_has_its_six_snippets() -> None:
    assert len(BLOCKS) == 6


@pytest.mark.anyio
async def test_the_backend_sections_snippets_run_in_order(tmp_path: Path) -> None:
    namespace: dict[str, Any] = {"__name__": "readme"}
    with (
        environ(
            XPANDER_DATA_DIR=str(tmp_path),
            OPENAI_API_KEY=None,
            AGENTS_OPENAI_API_KEY=None,
            XPANDER_AGENT_ID=None,
            IS_XPANDER_CLOUD=None,
        ),
        auth_event_handlers.scoped(),
    ):
        try:
            for number, code in enumerate(BLOCKS, start=1):
                compiled = compile(
                    code, f"<README Backend block {number}>", "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
                )
                outcome = eval(compiled, namespace)
                if outcome is not None:
                    await outcome
        finally:
            configuration = namespace.get("configuration")
            if configuration is not None and configuration.platform is not None:
                configuration.platform.close()
    assert namespace["args"]["tools"], "the MCP server became the agent's tool"
