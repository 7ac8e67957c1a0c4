"""Fixtures for the Backend shell tests; helpers live in ``backend_support``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The helpers module sits next to this file; make it importable whatever
# pytest's import mode (prepend, importlib) or package layout.
sys.path.insert(0, str(Path(__file__).parent))

from backend_support import FAST_RETRIES, FaultServer, Served, agent_definition

from xpander_io import Backend, Configuration
from xpander_io.platform import LocalPlatform, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def config(tmp_path: Path) -> Configuration:
    """An in-process local platform with one organisation and key; agent-123 seeded."""
    configuration = Configuration.local(tmp_path, retry_policy=FAST_RETRIES)
    assert configuration.platform is not None
    assert configuration.organization_id is not None
    configuration.platform.put_agent(configuration.organization_id, agent_definition("agent-123"))
    return configuration


@pytest.fixture
def backend(config: Configuration) -> Iterator[Backend]:
    with Backend(config) as instance:
        yield instance


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A LocalPlatform served by uvicorn on 127.0.0.1, agent-123 seeded."""
    platform = LocalPlatform(tmp_path / "served.sqlite3")
    org = platform.create_organization("served")
    key = platform.create_api_key(org)
    platform.put_agent(org, agent_definition("agent-123"))
    with serve(platform) as url:
        yield Served(platform, url, org, key)
    platform.close()


@pytest.fixture
def faults(served: Served) -> Iterator[FaultServer]:
    server = FaultServer(upstream=served.url)
    server.start()
    yield server
    server.stop()
