"""langchain tools for remote MCP servers, built with the ``mcp`` client.

langchain-mcp-adapters would do this, but its releases require ``mcp<2``
while strands, agno and google-adk here run on ``mcp`` 2.x (and the adapter
does not import against it). The behaviour is the adapter's: listing a
server's tools connects once; each returned tool opens its own session per
call, so nothing stays connected between calls.

A server whose tools cannot be listed raises ``McpConnectionError`` naming
the server and the failure's type: the ``mcp`` client's own exceptions (often
an ``ExceptionGroup`` from its task group) may carry the URL, whose query can
hold a credential, or echo request headers.

``mcp_tools`` is synchronous and may run inside a running event loop (sync
``get_args`` called from async code) or in a worker thread (``aget_args``):
the coroutine runs on a short-lived thread of its own with ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

from xpander_pure import Framework
from xpander_pure.frameworks import McpToolSpec

from .._exceptions import McpConnectionError
from ._lazy import attr, reveal_all

FW = Framework.LANGCHAIN
LIST_TIMEOUT_SECONDS = 30.0
"""How long listing a server's tools may wait for each answer."""

T = TypeVar("T")


def run_blocking(factory: Callable[[], Awaitable[T]]) -> T:
    """``factory()``'s result, awaited on a fresh event loop in a thread of its own."""
    box: dict[str, Any] = {}

    def target() -> None:
        async def main() -> T:
            return await factory()

        try:
            box["value"] = asyncio.run(main())
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="xpander-langchain-mcp", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


@asynccontextmanager
async def _session(spec: McpToolSpec, read_timeout: float | None = None) -> AsyncIterator[Any]:
    headers = reveal_all(spec.headers) or None
    async with AsyncExitStack() as stack:
        if spec.transport == "sse":
            sse_client = attr(FW, "mcp.client.sse.sse_client")
            read, write = await stack.enter_async_context(sse_client(spec.url, headers=headers))
        else:
            http_client = attr(FW, "mcp.shared._httpx_utils.create_mcp_http_client")
            transport = attr(FW, "mcp.client.streamable_http.streamable_http_client")
            client = await stack.enter_async_context(http_client(headers=headers))
            read, write = await stack.enter_async_context(transport(spec.url, http_client=client))
        session_cls = attr(FW, "mcp.ClientSession")
        session = await stack.enter_async_context(
            session_cls(read, write, read_timeout_seconds=read_timeout)
        )
        await session.initialize()
        yield session


async def _list(spec: McpToolSpec) -> list[Any]:
    tools: list[Any] = []
    params_cls = attr(FW, "mcp.types.PaginatedRequestParams")
    async with _session(spec, LIST_TIMEOUT_SECONDS) as session:
        cursor: str | None = None
        while True:
            params = params_cls(cursor=cursor) if cursor else None
            page = await session.list_tools(params=params)
            tools.extend(page.tools)
            cursor = page.next_cursor
            if not cursor:
                return tools


def _leaf(exc: BaseException) -> BaseException:
    """The first non-group exception inside ``exc`` (anyio wraps failures in groups)."""
    # Duck-typed: on Python 3.10 the groups come from the ``exceptiongroup`` backport.
    inner = getattr(exc, "exceptions", None)
    while isinstance(inner, tuple) and inner and isinstance(inner[0], BaseException):
        exc = inner[0]
        inner = getattr(exc, "exceptions", None)
    return exc


async def _listed(spec: McpToolSpec) -> list[Any]:
    try:
        return await _list(spec)
    except Exception as exc:  # every listing failure becomes one typed error
        leaf = type(_leaf(exc))
        # ``from None``: a printed traceback would show the cause's message
        # (which may hold the URL or headers); ``__context__`` still keeps it
        # for a debugger.
        raise McpConnectionError(spec.name, f"{leaf.__module__}.{leaf.__qualname__}") from None


def _text(result: Any) -> str:
    parts = [
        item.text if getattr(item, "type", None) == "text" else item.model_dump_json()
        for item in result.content
    ]
    return "\n".join(parts)


def _tool(spec: McpToolSpec, listed: Any) -> Any:
    name = listed.name

    async def call(**arguments: Any) -> str:
        async with _session(spec) as session:
            result = await session.call_tool(name, arguments)
        text = _text(result)
        if getattr(result, "is_error", False):
            raise attr(FW, "langchain_core.tools.ToolException")(text)
        return text

    def call_sync(**arguments: Any) -> str:
        return run_blocking(lambda: call(**arguments))

    return attr(FW, "langchain_core.tools.StructuredTool")(
        name=name,
        description=listed.description or "",
        args_schema=dict(listed.input_schema),
        func=call_sync,
        coroutine=call,
        # A failed call becomes the tool's answer, as for the adapter's tools.
        handle_tool_error=True,
    )


def mcp_tools(specs: Sequence[McpToolSpec]) -> list[Any]:
    """Each server's tools as langchain tools; connects once per server to list them."""
    if not specs:
        return []

    async def gather() -> list[list[Any]]:
        return list(await asyncio.gather(*(_listed(spec) for spec in specs)))

    listed = run_blocking(gather)
    return [
        _tool(spec, tool)
        for spec, tools in zip(specs, listed, strict=True)
        for tool in tools
        if not spec.allowed_tools or tool.name in spec.allowed_tools
    ]
