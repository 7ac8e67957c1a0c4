"""A served local platform with its task stream, a fault-injecting TCP proxy, helpers."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from xpander_io._config import Configuration
from xpander_io.platform import LocalPlatform, TaskStream, serve
from xpander_pure._worker import ReconnectPolicy

AGENT_DEFINITION = {
    "name": "Worker Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
}
FAST_RECONNECT = ReconnectPolicy(initial_delay=0.05, multiplier=2, max_delay=0.2)
FINAL = {"completed", "failed", "error", "stopped"}


@dataclass
class Served:
    platform: LocalPlatform
    stream: TaskStream
    url: str
    org: str
    key: str
    agent_id: str

    def configuration(self, url: str | None = None) -> Configuration:
        return Configuration(
            api_key=self.key,
            organization_id=self.org,
            base_url=url or self.url,
            agent_id=self.agent_id,
            is_cloud=False,
        )

    def headers(self) -> dict[str, str]:
        return {"x-api-key": self.key}

    async def invoke(self, text: str) -> str:
        async with httpx.AsyncClient(base_url=self.url, headers=self.headers()) as client:
            response = await client.post(
                f"/agent-execution/{self.agent_id}", json={"input": {"text": text}}
            )
            response.raise_for_status()
            task_id: str = response.json()["id"]
            return task_id

    async def status(self, task_id: str) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url, headers=self.headers()) as client:
            response = await client.get(f"/agent-execution/{task_id}/status")
            response.raise_for_status()
            body: dict[str, Any] = response.json()
            return body

    async def wait_status(
        self, task_id: str, statuses: set[str] = FINAL, timeout: float = 60.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body = await self.status(task_id)
            if body["status"] in statuses or time.monotonic() > deadline:
                return body
            await asyncio.sleep(0.02)


async def wait_until(
    condition: Callable[[], object], what: str, timeout: float = 30.0, step: float = 0.01
) -> None:
    """Poll ``condition`` until it is true; fail the test naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(step)


@contextlib.contextmanager
def served_platform(tmp_path: Path) -> Iterator[Served]:
    platform = LocalPlatform(
        tmp_path / "platform.sqlite3", keepalive_interval=0.5, poll_interval=0.1
    )
    org = platform.create_organization("acme")
    key = platform.create_api_key(org)
    agent_id = platform.put_agent(org, AGENT_DEFINITION).id
    try:
        with serve(platform) as url:
            yield Served(platform, platform.stream, url, org, key, agent_id)
    finally:
        platform.close()


class FaultProxy:
    """A TCP proxy on 127.0.0.1 that can cut every connection, refuse new ones, or
    swallow what the server sends (the client then sees nothing until the cut)."""

    def __init__(self, upstream_url: str) -> None:
        host, port = upstream_url.rsplit("//", 1)[1].split(":")
        self.upstream = (host, int(port))
        self.mode = "pass"
        self.connections = 0
        self.refused = 0
        """Connections cut at once in ``refuse`` mode (reconnect attempts seen)."""
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        self.drop_all()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def drop_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "refuse":
            writer.transport.abort()
            self.refused += 1
            return
        self.connections += 1
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        self._writers.update({writer, up_writer})

        async def pipe(
            source: asyncio.StreamReader, sink: asyncio.StreamWriter, downstream: bool
        ) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while chunk := await source.read(65536):
                    if downstream and self.mode == "swallow":
                        continue
                    sink.write(chunk)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, up_writer, False), pipe(up_reader, writer, True))
        self._writers.difference_update({writer, up_writer})
