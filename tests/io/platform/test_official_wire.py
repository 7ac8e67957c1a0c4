"""What the official xpander-sdk client needs from the platform's answers.

scripts/official_client_check.py runs the official client itself; these pin
the shapes it depends on.
"""

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def test_invoke_accepts_null_input_files(client: httpx.AsyncClient, agent_id: str) -> None:
    body = {"input": {"text": "hi", "files": None, "user": None}, "mcp_servers": []}
    response = await client.post(f"/agent-execution/{agent_id}", json=body)
    assert (response.status_code, response.json()["input"]["files"]) == (200, [])


async def test_task_agent_version_is_a_string(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.post(f"/agent-execution/{agent_id}", json={"input": {"text": "x"}})
    assert response.json()["agent_version"] == "1"


async def test_agent_has_a_string_environment_id(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.get(f"/agents/{agent_id}")
    assert response.json()["environment_id"] == "local"


async def test_session_database_request_answers_404_naming_the_setting(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    response = await client.get(f"/agents/{agent_id}/db")
    assert (response.status_code, "session_storage" in response.json()["detail"]) == (404, True)


async def test_memories_are_reported_disabled(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.get(f"/memories/{agent_id}", params={"user_id": "u"})
    assert response.json()["settings"]["enabled"] is False


async def test_channel_presence_answers_empty_text(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    response = await client.post(f"/tools/{agent_id}/channel-presence")
    assert response.json() == {"text": ""}


async def test_tool_approval_check_allows_the_call(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    body = {"execution_id": "t", "operation_id": "op", "tool_name": "x", "payload": {}}
    response = await client.post(f"/agents/{agent_id}/tool-approvals/check", json=body)
    assert response.json()["type"] != "approval_required"
