"""Helpers for the Backend shell tests (test_config, test_backend, test_faults, ...).

Everything talks to a real ``LocalPlatform``: in-process through
``Configuration.local`` or served by uvicorn on 127.0.0.1, optionally behind
``FaultServer``, a real HTTP server on 127.0.0.1 that injects faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from xpander_io import Configuration, RetryPolicy
from xpander_io.platform import LocalPlatform

CANARY_API_KEY_MARK = "xpk_"
FAST_RETRIES = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)

AGENT = {
    "name": "Support Bot",
    "framework": "agno",
    "model_provider": "openai",
    "model_name": "gpt-4o",
}


def agent_definition(agent_id: str, **changes: Any) -> dict[str, Any]:
    return {**AGENT, "id": agent_id, **changes}


@contextlib.contextmanager
def environ(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables for the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class Served:
    platform: LocalPlatform
    url: str
    organization_id: str
    api_key: str


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    action: str


@dataclass
class FaultServer:
    """A real HTTP/1.1 server on 127.0.0.1 in front of ``upstream``, injecting faults.

    ``script`` holds actions consumed one per request (then ``forward``):
    ``forward``; ``503`` and ``429`` (with ``Retry-After: 0``, not forwarded);
    ``drop`` (close the socket without answering, not forwarded);
    ``forward_drop`` (forward, then close without answering: the platform acted);
    ``delay`` (wait ``delay_seconds``, then forward); ``404`` (a JSON 404, not
    forwarded: a platform without the route); ``malformed`` (200 with a
    body that is not JSON); ``echo401`` (401 whose body echoes the request
    headers). Only requests whose path contains ``match`` use the script.
    ``seen`` records every request; ``max_in_flight`` the peak concurrency.
    """

    upstream: str
    match: str = ""
    script: deque[str] = field(default_factory=deque)
    delay_seconds: float = 1.0
    seen: list[Seen] = field(default_factory=list)
    max_in_flight: int = 0
    url: str = ""
    _in_flight: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _server: asyncio.AbstractServer | None = None
    _thread: threading.Thread | None = None

    def start(self) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop

            async def boot() -> None:
                self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
                port = self._server.sockets[0].getsockname()[1]
                self.url = f"http://127.0.0.1:{port}"
                ready.set()

            loop.run_until_complete(boot())
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True, name="fault-server")
        self._thread.start()
        ready.wait(5)

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), loop)
        if self._thread is not None:
            self._thread.join(5)

    def _next_action(self, path: str) -> str:
        if self.match in path and self.script:
            return self.script.popleft()
        return "forward"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                action = self._next_action(target)
                self.seen.append(Seen(method, target, headers, action))
                self._in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self._in_flight)
                try:
                    keep = await self._act(action, method, target, headers, body, writer)
                finally:
                    self._in_flight -= 1
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except asyncio.CancelledError:
            # stop() cancels idle keep-alive connections; on Python 3.11 a handler
            # ending cancelled makes asyncio log "Exception in callback" for it.
            pass
        finally:
            writer.close()

    @staticmethod
    def _canned(action: str, headers: dict[str, str]) -> tuple[str, str, bytes] | None:
        """(status line, extra header lines, body) of an injected answer, if ``action`` is one."""
        if action == "503":
            return "503 Service Unavailable", "retry-after: 0\r\n", b'{"detail": "injected"}'
        if action == "429":
            return "429 Too Many Requests", "retry-after: 0\r\n", b'{"detail": "injected"}'
        if action == "404":
            return "404 Not Found", "", b'{"detail": "Not Found"}'
        if action == "echo401":
            # Echoes the request, key included: the error raised must not show it.
            echo = {"detail": "unauthorized", "request_headers": headers}
            return "401 Unauthorized", "", json.dumps(echo).encode()
        if action == "malformed":
            return "200 OK", "", b'{"id": "half'
        return None

    async def _act(
        self,
        action: str,
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes,
        writer: asyncio.StreamWriter,
    ) -> bool:
        if action == "drop":
            return False
        canned = self._canned(action, headers)
        if canned is not None:
            status, extra, payload = canned
            writer.write(
                f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra}"
                f"content-length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
            return True
        if action == "delay":
            await asyncio.sleep(self.delay_seconds)
        forward = {k: v for k, v in headers.items() if k not in ("host", "content-length")}
        async with httpx.AsyncClient() as client:
            answer = await client.request(
                method, self.upstream + target, headers=forward, content=body
            )
        if action == "forward_drop":
            return False
        writer.write(
            f"HTTP/1.1 {answer.status_code} X\r\n"
            f"content-type: {answer.headers.get('content-type', 'application/json')}\r\n"
            f"content-length: {len(answer.content)}\r\n\r\n".encode()
            + answer.content
        )
        await writer.drain()
        return True


def fault_config(served: Served, faults: FaultServer, **options: Any) -> Configuration:
    options.setdefault("retry_policy", FAST_RETRIES)
    return Configuration(
        api_key=served.api_key,
        organization_id=served.organization_id,
        base_url=faults.url,
        **options,
    )


def mcp_authorization(args: dict[str, Any]) -> str:
    """The ``Authorization`` header agno's MCP tools (the only tool in ``args``) will send."""
    (tools,) = args["tools"]
    params = getattr(tools, "server_params", None)
    headers = getattr(params, "headers", None) or getattr(tools, "_mcp_headers", None) or {}
    return str(headers["Authorization"])
