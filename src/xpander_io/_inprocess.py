"""An httpx transport (sync and async) into an ASGI app running in this process.

The app runs on one private event loop in a daemon thread, whoever calls:
the sync client (which has no loop), the async client on the caller's loop,
several threads at once. One loop for the app means its SQLite connection and
any loop-bound state are only ever touched from one thread, and a sync call
made inside a running event loop does not need that loop.

httpx's ``ASGITransport`` buffers whole responses, so this transport does too;
it suits request/response calls, not event streams.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import Future
from typing import Any

import httpx

ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[MutableMapping[str, Any]]],
        Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ],
    Awaitable[None],
]

_Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class InProcessTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves ``httpx.Client`` and ``httpx.AsyncClient`` requests from ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    def _app_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="xpander-inprocess", daemon=True
                )
                thread.start()
                self._loop = loop
            return self._loop

    async def _answer(self, request: httpx.Request) -> _Answer:
        body = await request.aread()
        # A fresh request: the original's stream belongs to the caller's side.
        inner = httpx.Request(request.method, request.url, headers=request.headers, content=body)
        response = await self._asgi.handle_async_request(inner)
        content = await response.aread()
        return response.status_code, list(response.headers.raw), content

    def _submit(self, request: httpx.Request) -> Future[_Answer]:
        return asyncio.run_coroutine_threadsafe(self._answer(request), self._app_loop())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        status, headers, content = self._submit(request).result()
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        status, headers, content = await asyncio.wrap_future(self._submit(request))
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        """Nothing to release per client; the app loop lives as long as the transport."""

    async def aclose(self) -> None:
        """Nothing to release per client; the app loop lives as long as the transport."""


__all__ = ["InProcessTransport"]
