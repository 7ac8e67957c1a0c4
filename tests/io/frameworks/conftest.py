"""Materialized kwargs of the sample cases, and a real MCP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import pytest

from xpander_io.frameworks import materialize
from xpander_pure.frameworks import plan_args


@pytest.fixture(scope="session")
def kwargs_for(cases: ModuleType) -> Callable[[str, str], dict[str, Any]]:
    """``(framework, case) -> materialized kwargs`` for a sample case."""

    def build(framework: str, case: str) -> dict[str, Any]:
        return materialize(plan_args(framework, cases.load_case(case)).unwrap())

    return build


class RecordingMcp:
    """A real MCP server (streamable HTTP, or SSE) that records each request's headers."""

    def __init__(self, *, sse: bool = False) -> None:
        from mcp.server.mcpserver import MCPServer

        server = MCPServer("sample")

        @server.tool()
        def lookup(query: str) -> str:
            """Look something up."""
            return f"found {query}"

        self.headers: list[dict[str, str]] = []
        inner = server.sse_app() if sse else server.streamable_http_app()

        async def app(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                self.headers.append({k.decode().lower(): v.decode() for k, v in scope["headers"]})
            await inner(scope, receive, send)

        self.app = app


@contextmanager
def _serving(recorder: RecordingMcp, path: str) -> Iterator[tuple[str, RecordingMcp]]:
    import uvicorn

    config = uvicorn.Config(recorder.app, host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    # Generous: CI runs on two loaded cores; this waits for the condition, not a fixed time.
    deadline = time.monotonic() + 60
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the MCP server did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}{path}", recorder
    server.should_exit = True
    thread.join(5)


@pytest.fixture(scope="session")
def mcp_server() -> Iterator[tuple[str, RecordingMcp]]:
    """``(url, recorder)`` of a real MCP server served by uvicorn on an ephemeral port."""
    with _serving(RecordingMcp(), "/mcp") as served:
        yield served


@pytest.fixture(scope="session")
def mcp_sse_server() -> Iterator[tuple[str, RecordingMcp]]:
    """``(url, recorder)`` of a real MCP server speaking the SSE transport."""
    with _serving(RecordingMcp(sse=True), "/sse") as served:
        yield served
