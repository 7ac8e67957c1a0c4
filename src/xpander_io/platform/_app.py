"""A small ASGI application: a route table, API-key authentication, size-limited bodies.

No web framework: the embedded platform must run on the core install. Routes
are ``(method, pattern) -> handler``; a pattern's ``{name}`` matches one path
segment, and every route also matches its path with one trailing slash (the
official client asks for ``.../events/{agent_id}/``). A request whose path does
not match may carry the organisation id as its first segment (agent-controller
style URLs, ``{base}/{organization_id}/{route}``); that id must be the key's
organisation, else 404.

Other modules add routes with ``app.router.add(...)`` (see ``_routes.py``).
Handlers return a ``Response``; a streaming response gives ``stream`` (an async
iterator of byte chunks) instead of ``body``. Handlers raise ``HttpError`` for
an error answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import msgspec

from xpander_pure.platform import check_organization

from . import _store
from ._keys import key_id_of, key_matches

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger("xpander_io")

MAX_BODY_BYTES = 1024 * 1024
"""Default limit of a request body; larger bodies answer 413."""

INTERNAL_ERROR_BODY = b'{"detail":"internal error"}'
"""The answer to an unexpected failure: nothing of the request or the exception."""


class HttpError(Exception):
    """An error answer: status, message, and for bad input the field path and reason.

    Messages never carry a submitted value: only field paths and reasons.
    """

    def __init__(
        self, status: int, detail: str, *, field: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.reason = reason

    def body(self) -> bytes:
        payload: dict[str, Any] = {"detail": self.detail}
        if self.field is not None:
            payload["field"] = self.field
            payload["reason"] = self.reason
        return msgspec.json.encode(payload)


@dataclass
class Request:
    """What a handler sees.

    ``organization_id`` is the authenticated key's (empty on routes without
    auth); ``origin`` is scheme, host and root path; ``base_url`` adds the
    organisation segment when the request used one.
    """

    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    organization_id: str
    origin: str
    base_url: str
    receive: Receive


@dataclass
class Response:
    """A handler's answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: AsyncIterator[bytes] | None = None


def json_response(value: object, status: int = 200) -> Response:
    """A JSON answer; ``value`` is encoded with secrets revealed (the owner's own data)."""
    from xpander_pure import to_wire

    return Response(status=status, body=to_wire(value))


Handler = Callable[[Request], Awaitable[Response]]

_PARAM = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


class Router:
    """The route table; add routes before serving."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, pattern: str, handler: Handler, *, auth: bool = True) -> None:
        """Add a route. ``auth=False`` only for pages a browser visits without a key."""
        parts = []
        for segment in pattern.strip("/").split("/"):
            param = _PARAM.fullmatch(segment)
            parts.append(f"(?P<{param.group(1)}>[^/]+)" if param else re.escape(segment))
        # One rule for every route: a single trailing slash is tolerated.
        regex = re.compile("^/" + "/".join(parts) + "/?$")
        self.routes.append(Route(method.upper(), pattern, regex, handler, auth))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | bool:
        """The route and its parameters; ``True`` if only the method is wrong; ``False`` if none."""
        path_matched = False
        for route in self.routes:
            found = route.regex.match(path)
            if found is None:
                continue
            if route.method == method:
                return route, found.groupdict()
            path_matched = True
        return path_matched


def _local_path(scope: Scope) -> str:
    """The request path below the application's ``root_path`` (where it is mounted)."""
    path = str(scope.get("path", ""))
    root_path = str(scope.get("root_path", ""))
    if root_path and path.startswith(root_path):
        path = path[len(root_path) :] or "/"
    return path


class PlatformApp:
    """The local platform's ASGI application."""

    def __init__(self, store: _store.Store, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.store = store
        self.router = Router()
        self.max_body_bytes = max_body_bytes
        self._key_cache: dict[str, tuple[str, str]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            response = await self._handle(scope, receive)
        except HttpError as exc:
            response = Response(status=exc.status, body=exc.body())
        except Exception as exc:
            # The message (and the traceback's locals) may hold request values:
            # the log line names the exception type and the route only.
            logger.error(
                "local platform: %s on %s %s",
                type(exc).__name__,
                str(scope.get("method", "?")),
                self._route_name(scope),
            )
            response = Response(status=500, body=INTERNAL_ERROR_BODY)
        await _send_response(send, response)

    def _route_name(self, scope: Scope) -> str:
        """The pattern of the route a request matched (ids in a path may be anything)."""
        method = str(scope.get("method", "")).upper()
        matched, _org = self._match(method, _local_path(scope))
        return matched[0].pattern if isinstance(matched, tuple) else "(no route)"

    def _match(
        self, method: str, path: str
    ) -> tuple[tuple[Route, dict[str, str]] | bool, str | None]:
        """``Router.match`` for ``path`` as is, else with a leading organisation
        segment taken off; with the organisation id the path named, if any."""
        matched = self.router.match(method, path)
        if matched is False:
            first, _, rest = path.lstrip("/").partition("/")
            if first and rest:
                return self.router.match(method, "/" + rest), first
        return matched, None

    async def _handle(self, scope: Scope, receive: Receive) -> Response:
        method = str(scope["method"]).upper()
        root_path = str(scope.get("root_path", ""))
        path = _local_path(scope)
        matched, path_org = self._match(method, path)
        if matched is False:
            raise HttpError(404, "not found")
        if matched is True:
            raise HttpError(405, "method not allowed")
        route, params = matched
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        organization_id = ""
        if route.auth:
            organization_id = await self._authenticate(headers.get("x-api-key"))
            found = check_organization(organization_id, path_org)
            if not isinstance(found.value_or(None), str):
                raise HttpError(404, "not found")
        body = await _read_body(receive, headers, self.max_body_bytes)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        scheme = str(scope.get("scheme", "http"))
        host = headers.get("host", "localhost")
        prefix = f"/{path_org}" if path_org else ""
        request = Request(
            method=method,
            path=path,
            params=params,
            query=query,
            headers=headers,
            body=body,
            organization_id=organization_id,
            origin=f"{scheme}://{host}{root_path}",
            base_url=f"{scheme}://{host}{root_path}{prefix}",
            receive=receive,
        )
        return await route.handler(request)

    async def _authenticate(self, key: str | None) -> str:
        unauthorized = HttpError(401, "a valid x-api-key header is required")
        if not key:
            raise unauthorized
        key_id = key_id_of(key)
        if key_id is None:
            raise unauthorized
        record = self._key_cache.get(key_id)
        if record is None:
            record = await run_in_thread(
                lambda: self.store.run_read(lambda conn: _store.key_record(conn, key_id))
            )
            if record is None:
                raise unauthorized
            # Keys never change once created: the hash and organisation can be kept.
            self._key_cache[key_id] = record
        stored_hash, organization_id = record
        if not key_matches(key, stored_hash):
            raise unauthorized
        return organization_id


async def run_in_thread(work: Callable[[], Any]) -> Any:
    """Run blocking SQLite work off the event loop."""
    import asyncio

    return await asyncio.to_thread(work)


async def _read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes:
    too_large = HttpError(413, f"request body larger than {limit} bytes")
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HttpError(400, "client disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send_response(send: Send, response: Response) -> None:
    headers = [(b"content-type", response.content_type.encode("latin-1"))]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
    if response.stream is None:
        headers.append((b"content-length", str(len(response.body)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})
        return
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    async for chunk in response.stream:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
