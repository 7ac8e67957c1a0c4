"""Every example block of the Backend guide, run against a served local platform.

Only import lines change (``from xpander_sdk... import X`` becomes
``from xpander_io import X``); the blocks run as written, top-level ``await``
included, with the platform reached through the environment variables a user
would set (``Backend()`` takes no arguments in the guide). The ``@on_task``
example belongs to the task worker's tests.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backend_support import Served, agent_definition, environ

from xpander_io import Backend, auth_event_handlers

# A verbatim copy of the guide, kept in the repository so the suite runs on any machine.
GUIDE = Path(__file__).parents[1] / "samples" / "guide" / "backend-module-guide.txt"
_IMPORT = re.compile(r"^from xpander_sdk[\w.]* import (.+)$", re.MULTILINE)


def _blocks() -> list[tuple[str, str]]:
    text = GUIDE.read_text()
    found = []
    heading = ""
    for part in re.split(r"(```python\n.*?```)", text, flags=re.DOTALL):
        if part.startswith("```python"):
            code = part.removeprefix("```python\n").removesuffix("```")
            if "@on_task" not in code:
                found.append((heading, code))
        else:
            titles = re.findall(r"^#{3,4} (.+)$", part, flags=re.MULTILINE)
            heading = titles[-1] if titles else heading
    return found


BLOCKS = _blocks()


def _ported(code: str) -> str:
    return _IMPORT.sub(r"from xpander_io import \1", code)


@pytest.fixture
def guide_env(served: Served) -> Iterator[Served]:
    for agent_id in ("agent-id", "agent-123"):
        served.platform.put_agent(served.organization_id, agent_definition(agent_id))
    with (
        environ(
            XPANDER_API_KEY=served.api_key,
            XPANDER_ORGANIZATION_ID=served.organization_id,
            XPANDER_BASE_URL=served.url,
            XPANDER_AGENT_ID=None,
            IS_XPANDER_CLOUD=None,
        ),
        auth_event_handlers.scoped(),
    ):
        yield served


async def _run(code: str, namespace: dict[str, Any]) -> dict[str, Any]:
    compiled = compile(code, "<guide>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    outcome = eval(compiled, namespace)
    if outcome is not None:
        await outcome
    return namespace


def test_the_guide_has_six_examples_outside_on_task() -> None:
    assert len(BLOCKS) == 6


def test_ported_examples_import_nothing_from_xpander_sdk() -> None:
    assert all("xpander_sdk" not in _ported(code) for _, code in BLOCKS)


@pytest.mark.anyio
@pytest.mark.parametrize(("title", "code"), BLOCKS, ids=[title for title, _ in BLOCKS])
async def test_guide_example_runs(title: str, code: str, guide_env: Served) -> None:
    namespace: dict[str, Any] = {"__name__": "guide_example"}
    if "dispatch_get_args" in code:
        # "Assumes `agent` and `task` objects are available."
        namespace["agent"] = guide_env.platform.get_agent(guide_env.organization_id, "agent-id")
        namespace["task"] = guide_env.platform.create_task(
            guide_env.organization_id, "agent-id", "hello"
        )
    if "backend." in code and "backend = " not in code:
        # Option 3 uses the `backend` the earlier examples created.
        namespace["backend"] = Backend()
    with environ(XPANDER_AGENT_ID=None):
        result = await _run(_ported(code), namespace)
    # The guide never closes its backends; closing them here keeps their pooled
    # sockets from being reported unclosed in later tests.
    for value in result.values():
        if isinstance(value, Backend):
            await value.aclose()
    produced = {
        name: value
        for name, value in result.items()
        if name.startswith(("args", "reported_task")) and value is not None
    }
    assert produced, title
