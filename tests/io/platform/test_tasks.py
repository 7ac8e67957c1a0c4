import httpx
import pytest
from platform_helpers import report_body

from xpander_io.platform import LocalPlatform

pytestmark = pytest.mark.anyio


async def test_report_stores_a_completed_task(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.post(
        f"/agent-execution/{agent_id}/report_task", json=report_body("t-1")
    )
    assert (response.status_code, response.json()["status"]) == (200, "completed")


async def test_report_without_id_gets_a_new_task_id(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    response = await client.post(f"/agent-execution/{agent_id}/report_task", json=report_body(None))
    assert response.json()["id"]


async def test_failed_report_is_stored_as_failed(client: httpx.AsyncClient, agent_id: str) -> None:
    body = report_body("t-2", is_success=False)
    response = await client.post(f"/agent-execution/{agent_id}/report_task", json=body)
    assert response.json()["status"] == "failed"


async def test_retried_report_answers_the_same_task(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    url = f"/agent-execution/{agent_id}/report_task"
    first = await client.post(url, json=report_body("t-3"))
    second = await client.post(url, json=report_body("t-3"))
    assert second.json() == first.json()


async def test_retried_report_stores_one_task(
    client: httpx.AsyncClient, agent_id: str, platform: LocalPlatform, org: str
) -> None:
    url = f"/agent-execution/{agent_id}/report_task"
    for _ in range(3):
        await client.post(url, json=report_body("t-4"))
    assert [t.id for t in platform.list_tasks(org)] == ["t-4"]


async def test_same_id_with_another_body_answers_422_naming_the_id(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    url = f"/agent-execution/{agent_id}/report_task"
    await client.post(url, json=report_body("t-5"))
    response = await client.post(url, json=report_body("t-5", result="other"))
    assert (response.status_code, response.json()["field"], response.json()["reason"]) == (
        422,
        "id",
        "already reported with a different body",
    )


async def test_report_with_a_wrong_type_answers_422_with_the_path(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    body = report_body("t-6", tokens={"prompt_tokens": "many"})
    response = await client.post(f"/agent-execution/{agent_id}/report_task", json=body)
    assert (response.status_code, response.json()["field"]) == (422, "$.tokens.prompt_tokens")


async def test_malformed_json_answers_422(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.post(f"/agent-execution/{agent_id}/report_task", content=b"{nope")
    assert (response.status_code, response.json()["field"]) == (422, "$")


async def test_rejected_report_stores_nothing(
    client: httpx.AsyncClient, agent_id: str, platform: LocalPlatform, org: str
) -> None:
    await client.post(
        f"/agent-execution/{agent_id}/report_task", json=report_body("t", duration=-1)
    )
    assert platform.list_tasks(org) == []


async def test_report_for_an_unknown_agent_answers_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/agent-execution/missing/report_task", json=report_body("t"))
    assert response.status_code == 404


async def test_invoke_creates_a_pending_task(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.post(f"/agent-execution/{agent_id}", json={"input": {"text": "hi"}})
    assert (response.json()["status"], response.json()["input"]["text"]) == ("pending", "hi")


async def test_invoke_notifies_task_listeners(
    client: httpx.AsyncClient, agent_id: str, platform: LocalPlatform
) -> None:
    seen: list[str] = []
    platform.task_listeners.append(lambda task: seen.append(task.id))
    response = await client.post(f"/agent-execution/{agent_id}", json={"input": {"text": "hi"}})
    assert seen == [response.json()["id"]]


async def test_status_reads_the_task(client: httpx.AsyncClient, agent_id: str) -> None:
    created = (await client.post(f"/agent-execution/{agent_id}", json={})).json()
    status = await client.get(f"/agent-execution/{created['id']}/status")
    assert status.json()["id"] == created["id"]


async def test_patch_update_saves_status_and_result(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    task_id = (await client.post(f"/agent-execution/{agent_id}", json={})).json()["id"]
    await client.patch(f"/agent-execution/{task_id}/update", json={"status": "executing"})
    response = await client.patch(
        f"/agent-execution/{task_id}/update", json={"status": "completed", "result": "42"}
    )
    assert (response.json()["status"], response.json()["result"]) == ("completed", "42")


async def test_post_update_is_accepted_too(client: httpx.AsyncClient, agent_id: str) -> None:
    task_id = (await client.post(f"/agent-execution/{agent_id}", json={})).json()["id"]
    response = await client.post(f"/agent-execution/{task_id}/update", json={"status": "executing"})
    assert response.json()["status"] == "executing"


async def test_update_of_an_ended_task_answers_422_naming_the_status(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    task_id = (await client.post(f"/agent-execution/{agent_id}", json={})).json()["id"]
    await client.patch(f"/agent-execution/{task_id}/update", json={"status": "completed"})
    response = await client.patch(
        f"/agent-execution/{task_id}/update", json={"status": "executing"}
    )
    assert (response.status_code, response.json()["field"], response.json()["reason"]) == (
        422,
        "status",
        "task has ended (completed)",
    )


async def test_invoking_a_running_task_answers_422_naming_the_id(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    task_id = (await client.post(f"/agent-execution/{agent_id}", json={})).json()["id"]
    response = await client.post(f"/agent-execution/{agent_id}", json={"id": task_id})
    assert (response.status_code, response.json()["field"]) == (422, "id")


async def test_delete_stops_a_task(client: httpx.AsyncClient, agent_id: str) -> None:
    task_id = (await client.post(f"/agent-execution/{agent_id}", json={})).json()["id"]
    assert (await client.delete(f"/agent-execution/{task_id}")).json()["status"] == "stopped"


async def test_history_lists_the_agents_tasks(client: httpx.AsyncClient, agent_id: str) -> None:
    task_id = (await client.post(f"/agent-execution/{agent_id}", json={})).json()["id"]
    history = (await client.get(f"/agent-execution/executions/history/{agent_id}")).json()
    assert [t["id"] for t in history] == [task_id]
