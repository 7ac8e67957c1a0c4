import httpx
import pytest

from xpander_io.platform import LocalPlatform

pytestmark = pytest.mark.anyio


def event(task_id: str, org: str, kind: str = "chunk", data: object = "hello") -> dict[str, object]:
    return {
        "task_id": task_id,
        "organization_id": org,
        "time": "2026-01-01T00:00:00Z",
        "type": kind,
        "data": data,
    }


async def test_pushed_events_are_read_back_in_order(
    client: httpx.AsyncClient, platform: LocalPlatform, org: str, agent_id: str
) -> None:
    task = platform.create_task(org, agent_id)
    url = f"/agent-execution/{task.id}/events"
    await client.post(
        url + "/push", json=[event(task.id, org, data=1), event(task.id, org, data=2)]
    )
    await client.post(url + "/push", json=[event(task.id, org, data=3)])
    assert [e["data"] for e in (await client.get(url)).json()] == [1, 2, 3]


async def test_event_for_another_task_answers_422_with_the_path(
    client: httpx.AsyncClient, platform: LocalPlatform, org: str, agent_id: str
) -> None:
    task = platform.create_task(org, agent_id)
    body = [event(task.id, org), event("other", org)]
    response = await client.post(f"/agent-execution/{task.id}/events/push", json=body)
    assert (response.status_code, response.json()["field"]) == (422, "$[1].task_id")


async def test_rejected_push_stores_no_event(
    client: httpx.AsyncClient, platform: LocalPlatform, org: str, agent_id: str
) -> None:
    task = platform.create_task(org, agent_id)
    body = [event(task.id, org), event(task.id, org, kind="nope")]
    await client.post(f"/agent-execution/{task.id}/events/push", json=body)
    assert platform.list_events(org, task.id) == []


async def test_push_for_an_unknown_task_answers_404(client: httpx.AsyncClient, org: str) -> None:
    response = await client.post("/agent-execution/ghost/events/push", json=[event("ghost", org)])
    assert response.status_code == 404


async def test_official_get_args_side_routes_answer(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    answers = [
        (await client.get(f"/memories/{agent_id}", params={"user_id": "u"})).status_code,
        (await client.post(f"/tools/{agent_id}/channel-presence", json={})).json(),
        (await client.post(f"/tools/{agent_id}/dynamic-prompt", json={})).json(),
    ]
    assert answers == [200, {"text": ""}, {"text": ""}]
