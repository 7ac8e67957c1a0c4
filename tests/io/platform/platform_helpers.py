"""Values shared by the platform tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

AGENT_DEFINITION = {
    "name": "Support Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
}


def report_body(task_id: str | None, **changes: object) -> dict[str, object]:
    """A report body as the official client sends it (every key present)."""
    return {
        "id": task_id,
        "input": "Process customer data",
        "llm_response": None,
        "tokens": {"prompt_tokens": 50, "completion_tokens": 150},
        "is_success": True,
        "result": "done",
        "duration": 2.5,
        "used_tools": ["data_analyzer"],
        **changes,
    }


async def wait_until(
    condition: Callable[[], object], what: str, timeout: float = 10.0, step: float = 0.01
) -> None:
    """Poll ``condition`` until it is true; fail the test naming ``what`` after ``timeout`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(step)
