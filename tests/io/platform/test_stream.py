"""The local platform's task stream over a real socket (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx
import msgspec
import pytest
from platform_helpers import wait_until

from xpander_io.platform import LocalPlatform, serve
from xpander_pure import SseDecoder, SseEvent

AGENT = {"name": "Stream Bot", "framework": "agno", "model_provider": "openai", "model_name": "m"}


def setup(tmp_path: Path) -> tuple[LocalPlatform, str, str, str]:
    platform = LocalPlatform(tmp_path / "p.sqlite3", poll_interval=0.05)
    org = platform.create_organization("acme")
    key = platform.create_api_key(org)
    agent_id = platform.put_agent(org, AGENT).id
    return platform, org, key, agent_id


async def read_events(
    client: httpx.AsyncClient, url: str, count: int, timeout: float = 5.0
) -> list[SseEvent]:
    events: list[SseEvent] = []
    decoder = SseDecoder()

    async def consume() -> None:
        async with client.stream("GET", url, params={"environment": "local"}) as response:
            assert response.status_code == 200
            async for chunk in response.aiter_bytes():
                events.extend(decoder.feed(chunk))
                if len(events) >= count:
                    return

    await asyncio.wait_for(consume(), timeout)
    return events


def test_the_stream_opens_with_the_workers_registration(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:

        async def main() -> list[SseEvent]:
            async with httpx.AsyncClient(headers={"x-api-key": key}) as client:
                return await read_events(client, f"{url}/{org}/events/{agent_id}", 1)

        [event] = asyncio.run(main())
    record = msgspec.json.decode(event.data)
    assert event.event == "worker-registration"
    assert (record["organization_id"], record["dedicated_agent_id"]) == (org, agent_id)


def test_a_pending_task_is_delivered_as_an_agent_execution_event(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    task = platform.create_task(org, agent_id, "hello")
    with platform, serve(platform) as url:

        async def main() -> list[SseEvent]:
            async with httpx.AsyncClient(headers={"x-api-key": key}) as client:
                return await read_events(client, f"{url}/{org}/events/{agent_id}", 2)

        events = asyncio.run(main())
    assert events[1].event == "agent-execution"
    assert msgspec.json.decode(events[1].data)["id"] == task.id


async def collect(client: httpx.AsyncClient, url: str, events: list[SseEvent]) -> None:
    """Append every event received to ``events`` until cancelled."""
    decoder = SseDecoder()
    async with client.stream("GET", url, params={"environment": "local"}) as response:
        async for chunk in response.aiter_bytes():
            events.extend(decoder.feed(chunk))


def test_a_task_goes_to_one_of_two_connected_workers_only(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        stream = platform.stream

        async def main() -> list[SseEvent]:
            async with httpx.AsyncClient(headers={"x-api-key": key}) as client:
                stream_url = f"{url}/{org}/events/{agent_id}"
                received: list[SseEvent] = []
                readers = [
                    asyncio.create_task(collect(client, stream_url, received)) for _ in range(2)
                ]
                await wait_until(lambda: len(stream.workers()) == 2, "two connected workers")
                task = await asyncio.to_thread(platform.create_task, org, agent_id, "once")
                await wait_until(
                    lambda: stream.claimed_by(org, task.id) is not None, "the task's claim"
                )
                await wait_until(
                    lambda: any(e.event == "agent-execution" for e in received),
                    "the claimed delivery",
                )
                # Absence cannot be awaited: two more claim rounds of each stream
                # would have sent a second (wrong) delivery before the readers stop.
                after = {w.id: stream.poll_rounds(w.id) + 2 for w in stream.workers()}
                await wait_until(
                    lambda: all(stream.poll_rounds(w) >= n for w, n in after.items()),
                    "two more claim rounds of both streams",
                )
                for reader in readers:
                    reader.cancel()
                await asyncio.gather(*readers, return_exceptions=True)
                return received

        received = asyncio.run(main())
    executions = [e for e in received if e.event == "agent-execution"]
    assert len(executions) == 1


def test_an_unknown_environment_gets_a_conflict_event(tmp_path: Path) -> None:
    platform, _org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:

        async def main() -> list[SseEvent]:
            async with (
                httpx.AsyncClient(headers={"x-api-key": key}) as client,
                client.stream(
                    "GET", f"{url}/events/{agent_id}", params={"environment": "mars"}
                ) as response,
            ):
                return SseDecoder().feed(await response.aread())

        events = asyncio.run(main())
    assert [e.event for e in events] == ["worker-environment-conflict"]
    assert "environment must be one of" in msgspec.json.decode(events[0].data)["error"]


def test_the_stream_of_an_unknown_agent_is_404(tmp_path: Path) -> None:
    platform, org, key, _agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        response = httpx.get(f"{url}/{org}/events/nobody", headers={"x-api-key": key})
    assert response.status_code == 404


def test_the_stream_needs_a_key(tmp_path: Path) -> None:
    platform, org, _key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        response = httpx.get(f"{url}/{org}/events/{agent_id}")
    assert response.status_code == 401


def test_a_message_from_an_unknown_worker_is_404(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        response = httpx.post(
            f"{url}/{org}/events/ghost",
            params={"type": "worker", "agent_id": agent_id},
            json={"id": "m1", "event": "worker-heartbeat", "data": None},
            headers={"x-api-key": key},
        )
    assert response.status_code == 404


def test_a_capacity_update_marks_the_connected_worker_busy(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        stream = platform.stream

        async def main() -> bool:
            async with httpx.AsyncClient(headers={"x-api-key": key}) as client:
                reader = asyncio.create_task(
                    read_events(client, f"{url}/{org}/events/{agent_id}", 99, timeout=2)
                )
                await wait_until(lambda: bool(stream.workers()), "a connected worker")
                worker_id = stream.workers()[0].id
                response = await client.post(
                    f"{url}/{org}/events/{worker_id}",
                    params={"type": "worker", "agent_id": agent_id},
                    json={"id": "m1", "event": "worker-capacity-update", "data": {"is_busy": True}},
                )
                assert response.status_code == 200
                busy = stream.workers()[0].is_busy
                reader.cancel()
                return busy

        assert asyncio.run(main()) is True


def test_a_malformed_worker_message_is_422_naming_the_field(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        stream = platform.stream

        async def main() -> httpx.Response:
            async with httpx.AsyncClient(headers={"x-api-key": key}) as client:
                reader = asyncio.create_task(
                    read_events(client, f"{url}/{org}/events/{agent_id}", 99, timeout=2)
                )
                await wait_until(lambda: bool(stream.workers()), "a connected worker")
                response = await client.post(
                    f"{url}/{org}/events/{stream.workers()[0].id}",
                    json={"id": "m1", "event": 7},
                )
                reader.cancel()
                return response

        response = asyncio.run(main())
    assert response.status_code == 422
    assert response.json()["field"] == "$.event"


def test_the_stream_answers_the_official_clients_trailing_slash_url(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:

        async def main() -> list[SseEvent]:
            async with httpx.AsyncClient(headers={"x-api-key": key}) as client:
                return await read_events(client, f"{url}/{org}/events/{agent_id}/", 1)

        [event] = asyncio.run(main())
    assert event.event == "worker-registration"


def open_stream_in_thread(url: str, key: str) -> tuple[threading.Thread, list[str]]:
    """Read a stream to its end in a thread; ``seen`` gets each event name, then "end"."""
    seen: list[str] = []
    registered = threading.Event()

    def read() -> None:
        decoder = SseDecoder()
        with httpx.stream("GET", url, headers={"x-api-key": key}, timeout=30) as response:
            for chunk in response.iter_bytes():
                for event in decoder.feed(chunk):
                    seen.append(event.event)
                    registered.set()
        seen.append("end")

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    assert registered.wait(10)
    return thread, seen


def test_leaving_serve_ends_a_connected_stream_and_stops_the_server(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform:
        with serve(platform) as url:
            reader, seen = open_stream_in_thread(f"{url}/{org}/events/{agent_id}", key)
        reader.join(10)
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/health")
    assert seen == ["worker-registration", "end"]


def test_end_streams_ends_the_open_stream_and_later_ones_still_open(tmp_path: Path) -> None:
    platform, org, key, agent_id = setup(tmp_path)
    with platform, serve(platform) as url:
        stream_url = f"{url}/{org}/events/{agent_id}"
        reader, seen = open_stream_in_thread(stream_url, key)
        ended = platform.stream.end_streams()
        reader.join(10)
        later, later_seen = open_stream_in_thread(stream_url, key)
    later.join(10)
    assert (ended, seen, later_seen) == (
        1,
        ["worker-registration", "end"],
        ["worker-registration", "end"],
    )
