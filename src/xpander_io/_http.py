"""HTTP to the platform: one sync and one async driver over a shared base.

``_DriverBase`` holds everything that is not I/O: building the URL and the
headers, turning a response into a typed error, mapping httpx's exceptions to
``ErrorKind``, asking the core's ``decide_retry`` what to do after each
attempt (``_settle``). ``SyncDriver`` (over ``httpx.Client``) and
``AsyncDriver`` (over ``httpx.AsyncClient``) only send, sleep and loop. Each
driver creates its client lazily and keeps it: one pooled, keep-alive client
per Backend and flavour.

Why two clients and not one: an ``httpx.AsyncClient``'s pool belongs to the
event loop that first used it, so a sync call cannot reuse it through a new
loop; the sync driver needs no loop at all, which is also why sync calls work
inside a running loop (a notebook, an async handler calling sync code) and
from threads. The async driver notices a different running loop (a second
``asyncio.run``) and opens a new client for it rather than failing.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import httpx

from xpander_pure._redact import body_excerpt
from xpander_pure._retry import ErrorKind, Retry, RetryPolicy, decide_retry, is_answer

from ._exceptions import (
    ConnectError,
    HTTPStatusError,
    RateLimitError,
    TimeoutError,
    TransportError,
    status_error_class,
)

if TYPE_CHECKING:
    from ._config import Configuration

logger = logging.getLogger("xpander_io")

USER_AGENT = "xpander-backend/0.1"
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait: for a connection, for each read/write, for a pooled connection."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class ApiRequest:
    """One platform call, before it is sent.

    ``retryable`` is False for calls that must not be repeated blindly (a
    repeated POST without an idempotency key could act twice). ``secrets``
    are the values the request carries that an error body could echo (an MCP
    server's key, client secret, header and environment values): an error's
    body excerpt masks them, as it masks the platform key. ``repr`` shows
    neither ``body``, ``headers`` nor ``secrets``.
    """

    method: str
    route: str
    params: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    retryable: bool = True
    secrets: tuple[str, ...] = field(default=(), repr=False)


_TIMEOUT_KINDS: dict[type[httpx.TimeoutException], ErrorKind] = {
    httpx.ConnectTimeout: ErrorKind.CONNECT_TIMEOUT,
    httpx.ReadTimeout: ErrorKind.READ_TIMEOUT,
    httpx.WriteTimeout: ErrorKind.WRITE_TIMEOUT,
    httpx.PoolTimeout: ErrorKind.POOL_TIMEOUT,
}


def error_kind(exc: httpx.TransportError) -> ErrorKind:
    """The core's name for what went wrong on the wire."""
    if isinstance(exc, httpx.TimeoutException):
        return _TIMEOUT_KINDS.get(type(exc), ErrorKind.READ_TIMEOUT)
    if isinstance(exc, httpx.ConnectError):
        return ErrorKind.CONNECT
    if isinstance(exc, httpx.ReadError):
        return ErrorKind.READ_ERROR
    if isinstance(exc, httpx.RemoteProtocolError):
        return ErrorKind.REMOTE_PROTOCOL
    return ErrorKind.OTHER


class _DriverBase:
    """What the sync and async drivers share: no I/O here."""

    def __init__(self, configuration: Configuration) -> None:
        self._configuration = configuration
        self._lock = threading.Lock()
        self._random = random.Random()

    @property
    def configuration(self) -> Configuration:
        return self._configuration

    def _url(self, request: ApiRequest) -> str:
        return self._configuration.full_url(request.route)

    def _headers(self, request: ApiRequest) -> dict[str, str]:
        headers = {"user-agent": USER_AGENT, "accept": "application/json"}
        key = self._configuration.api_key
        if key:
            headers["x-api-key"] = key.reveal()
        if request.body is not None:
            headers["content-type"] = "application/json"
        headers.update(request.headers)
        return headers

    def _policy(self, request: ApiRequest) -> RetryPolicy:
        policy = self._configuration.retry_policy
        return policy if request.retryable else RetryPolicy(max_attempts=1)

    def _secrets(self, request: ApiRequest) -> tuple[str, ...]:
        key = self._configuration.api_key
        return (*((key.reveal(),) if key else ()), *request.secrets)

    def _status_error(self, request: ApiRequest, response: httpx.Response) -> HTTPStatusError:
        cls = status_error_class(response.status_code)
        excerpt = body_excerpt(response.content, self._secrets(request))
        url = self._url(request)
        if cls is RateLimitError:
            after = response.headers.get("retry-after")
            try:
                retry_after = float(after) if after is not None else None
            except ValueError:
                retry_after = None
            return RateLimitError(
                response.status_code,
                excerpt,
                method=request.method,
                url=url,
                retry_after=retry_after,
            )
        return cls(response.status_code, excerpt, method=request.method, url=url)

    def _transport_error(self, request: ApiRequest, exc: httpx.TransportError) -> TransportError:
        # httpx's messages name the host and the failure, never headers.
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        url = self._url(request)
        if isinstance(exc, httpx.TimeoutException):
            return TimeoutError(reason, method=request.method, url=url)
        if isinstance(exc, (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
            return ConnectError(reason, method=request.method, url=url)
        return TransportError(reason, method=request.method, url=url)

    def _request_kwargs(self, request: ApiRequest) -> dict[str, Any]:
        """``client.request`` arguments: the same for every attempt of ``request``."""
        return {
            "method": request.method,
            "url": self._url(request),
            "params": dict(request.params),
            "content": request.body,
            "headers": self._headers(request),
        }

    def _settle(
        self,
        request: ApiRequest,
        attempt: int,
        response: httpx.Response | None,
        failure: httpx.TransportError | None,
    ) -> httpx.Response | float:
        """After one attempt: the 2xx response, seconds to wait before the next, or raise.

        Whether to try again, and when, is the core's ``decide_retry``.
        """
        # decide_retry would say Stop here too; only this check tells an answer to
        # hand back from an error to raise (and spares a draw and a clock read).
        if response is not None and is_answer(response.status_code):
            return response
        decision = decide_retry(
            self._policy(request),
            attempt,
            response.status_code if response is not None else None,
            error_kind(failure) if failure is not None else None,
            dict(response.headers) if response is not None else {},
            self._random.random(),
            datetime.now(timezone.utc),
        )
        outcome = decision.unwrap()  # the policy is valid by construction
        if isinstance(outcome, Retry):
            logger.info(
                "retrying %s %s (attempt %d) in %.2f s",
                request.method,
                request.route,
                attempt + 1,
                outcome.after,
            )
            return outcome.after
        if failure is not None:
            raise self._transport_error(request, failure) from failure
        assert response is not None
        raise self._status_error(request, response)

    def _client_kwargs(self) -> dict[str, Any]:
        return {
            "timeout": self._configuration.timeouts.to_httpx(),
            "limits": httpx.Limits(max_connections=20, max_keepalive_connections=10),
            "follow_redirects": False,
        }


class SyncDriver(_DriverBase):
    """Sends requests with one pooled ``httpx.Client``; usable from any thread."""

    def __init__(self, configuration: Configuration) -> None:
        super().__init__(configuration)
        self._client: httpx.Client | None = None

    def _get_client(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                client = self._client
                if client is None:
                    client = httpx.Client(
                        transport=self._configuration.sync_transport(), **self._client_kwargs()
                    )
                    self._client = client
        return client

    def send(self, request: ApiRequest) -> httpx.Response:
        """Send with retries; the 2xx response (body read), or a typed error."""
        client = self._get_client()
        kwargs = self._request_kwargs(request)
        attempt = 1
        while True:
            response, failure = None, None
            try:
                response = client.request(**kwargs)
            except httpx.TransportError as exc:
                failure = exc
            outcome = self._settle(request, attempt, response, failure)
            if isinstance(outcome, httpx.Response):
                return outcome
            time.sleep(outcome)
            attempt += 1

    def close(self) -> None:
        """Close the pool; a later call opens a new one."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()


class AsyncDriver(_DriverBase):
    """Sends requests with one pooled ``httpx.AsyncClient`` per event loop."""

    def __init__(self, configuration: Configuration) -> None:
        super().__init__(configuration)
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _get_client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._client is None or self._loop is not loop:
                # A client from another (usually closed) loop cannot be used
                # nor closed here; it is dropped and its sockets are freed by GC.
                self._client = httpx.AsyncClient(
                    transport=self._configuration.async_transport(), **self._client_kwargs()
                )
                self._loop = loop
            return self._client

    async def send(self, request: ApiRequest) -> httpx.Response:
        """Send with retries; the 2xx response (body read), or a typed error."""
        client = self._get_client()
        kwargs = self._request_kwargs(request)
        attempt = 1
        while True:
            response, failure = None, None
            try:
                response = await client.request(**kwargs)
            except httpx.TransportError as exc:
                failure = exc
            outcome = self._settle(request, attempt, response, failure)
            if isinstance(outcome, httpx.Response):
                return outcome
            await asyncio.sleep(outcome)
            attempt += 1

    async def aclose(self) -> None:
        """Close the pool if it belongs to the running loop; a later call opens a new one."""
        with self._lock:
            client, loop = self._client, self._loop
            self._client, self._loop = None, None
        if client is not None and loop is asyncio.get_running_loop():
            await client.aclose()

    def close_from_sync(self) -> None:
        """Forget the async pool from sync code (its loop may be gone or busy)."""
        with self._lock:
            client, loop = self._client, self._loop
            self._client, self._loop = None, None
        if client is not None and loop is not None and not loop.is_closed():
            if loop.is_running():
                asyncio.run_coroutine_threadsafe(client.aclose(), loop)
            else:
                loop.run_until_complete(client.aclose())


__all__ = [
    "IDEMPOTENCY_HEADER",
    "ApiRequest",
    "AsyncDriver",
    "SyncDriver",
    "Timeouts",
    "error_kind",
]
