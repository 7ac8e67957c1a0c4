"""Values shared by the platform tests."""

from __future__ import annotations

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
