"""A LocalPlatform on a fresh SQLite file, an organisation, a key, an agent, and clients
over both transports: in-process (httpx.ASGITransport) and uvicorn on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from platform_helpers import AGENT_DEFINITION

from xpander_io.platform import LocalPlatform, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[LocalPlatform]:
    local = LocalPlatform(tmp_path / "platform.sqlite3")
    yield local
    local.close()


@pytest.fixture
def org(platform: LocalPlatform) -> str:
    return platform.create_organization("acme")


@pytest.fixture
def key(platform: LocalPlatform, org: str) -> str:
    return platform.create_api_key(org)


@pytest.fixture
def agent_id(platform: LocalPlatform, org: str) -> str:
    return platform.put_agent(org, AGENT_DEFINITION).id


@pytest.fixture(params=["asgi", "uvicorn"])
def base_url(request: pytest.FixtureRequest, platform: LocalPlatform) -> Iterator[str]:
    """``http://local`` for the in-process transport, else the served URL."""
    if request.param == "asgi":
        yield "http://local"
        return
    with serve(platform) as url:
        yield url


@pytest.fixture
async def client(
    platform: LocalPlatform, base_url: str, key: str
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=platform.asgi) if base_url == "http://local" else None
    async with httpx.AsyncClient(
        transport=transport, base_url=base_url, headers={"x-api-key": key}
    ) as http:
        yield http


@pytest.fixture
async def anonymous(platform: LocalPlatform, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client without a key, on the same transport."""
    transport = httpx.ASGITransport(app=platform.asgi) if base_url == "http://local" else None
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
        yield http
