"""Where the platform is and how to reach it, from arguments or the environment.

==========================  ==============================================
variable                    meaning
==========================  ==============================================
``XPANDER_API_KEY``         the platform key (sent as ``x-api-key``)
``XPANDER_ORGANIZATION_ID`` the organisation
``XPANDER_BASE_URL``        API base; default ``https://inbound.xpander.ai``
                            (``https://inbound.stg.xpander.ai`` when
                            ``IS_STG=true``); no scheme gets ``https://``
``XPANDER_AGENT_ID``        default agent (also read at call time)
``IS_XPANDER_CLOUD``        ``true`` inside the hosted cloud, else local
``XPANDER_DATA_DIR``        where ``Configuration.local()`` keeps its database
==========================  ==============================================

An argument wins over its variable. The URL rules are the core's
(``xpander_pure._addressing``).
"""

from __future__ import annotations

import copy
import logging
import os
from typing import TYPE_CHECKING, Any

import httpx

from xpander_pure import Deployment, Secret
from xpander_pure._addressing import base_url_from, full_url, is_true
from xpander_pure._retry import RetryPolicy

from ._http import Timeouts
from ._inprocess import InProcessTransport
from .platform._paths import data_dir, database_path

if TYPE_CHECKING:
    from ._backend import Backend
    from .platform import LocalPlatform

logger = logging.getLogger("xpander_io")

LOCAL_BASE_URL = "http://xpander.local"
"""Base URL used for the in-process local platform (never resolved: no socket is opened)."""


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value is not None and value.strip() else None


class Configuration:
    """How to reach the platform: key, organisation, base URL, default agent, deployment.

    ``repr`` shows whether a key is set, never the key. ``timeouts``,
    ``retry_policy`` and the MCP login polling (``mcp_auth_poll_interval`` and
    ``mcp_auth_timeout``, in seconds) have production defaults and can be
    shortened, for tests for instance.
    """

    def __init__(
        self,
        api_key: str | Secret | None = None,
        organization_id: str | None = None,
        base_url: str | None = None,
        agent_id: str | None = None,
        is_cloud: bool | None = None,
        *,
        timeouts: Timeouts | None = None,
        retry_policy: RetryPolicy | None = None,
        mcp_auth_poll_interval: float = 1.0,
        mcp_auth_timeout: float = 600.0,
        transport: InProcessTransport | None = None,
    ) -> None:
        key = api_key if api_key is not None else _env("XPANDER_API_KEY")
        self.api_key: Secret | None = Secret(key) if isinstance(key, str) else key
        self.organization_id: str | None = organization_id or _env("XPANDER_ORGANIZATION_ID")
        self.base_url: str = base_url_from(
            base_url if base_url is not None else _env("XPANDER_BASE_URL"),
            is_stg=is_true(_env("IS_STG")),
        )
        self.agent_id: str | None = agent_id or _env("XPANDER_AGENT_ID")
        self.is_cloud: bool = (
            is_cloud if is_cloud is not None else is_true(_env("IS_XPANDER_CLOUD"))
        )
        self.timeouts = timeouts or Timeouts()
        self.retry_policy = retry_policy or RetryPolicy()
        self.mcp_auth_poll_interval = mcp_auth_poll_interval
        self.mcp_auth_timeout = mcp_auth_timeout
        self._transport = transport
        self.platform: LocalPlatform | None = None
        """The in-process local platform, when made by ``Configuration.local``."""
        self._task_backends: list[Backend] | None = None

    def _for_task(self) -> Configuration:
        """A copy for one task's handler; the worker closes the Backends made from it.

        The guide's handlers make ``Backend(task.configuration)`` per task and
        never close it: without this, every task would leave a connection pool
        open until garbage collection.
        """
        task_copy = copy.copy(self)
        task_copy._task_backends = []
        return task_copy

    def _opened(self, backend: Backend) -> None:
        if self._task_backends is not None:
            self._task_backends.append(backend)

    async def _close_task_backends(self) -> None:
        """Close every Backend made from this task's copy, each on its own.

        One that fails to close must not leave the others' pools open; the
        failure is logged by type only (its message could carry a URL or key).
        Cancellation still propagates.
        """
        backends, self._task_backends = self._task_backends or [], []
        for backend in backends:
            try:
                await backend.aclose()
            except Exception as exc:
                logger.warning("closing a task's Backend failed: %s", type(exc).__name__)

    @classmethod
    def local(cls, path: str | os.PathLike[str] | None = None, **options: Any) -> Configuration:
        """Target the embedded local platform in this process: no account, no socket.

        The platform's SQLite database lives in ``path`` (a directory), else in
        ``$XPANDER_DATA_DIR``, else in ``./.xpander-data``. A new organisation
        and API key are created for this configuration; nothing else is seeded
        (add agents with ``configuration.platform.put_agent``). ``options`` are
        the keyword options of ``Configuration`` (timeouts, retry policy, ...).
        """
        from .platform import LocalPlatform

        directory = data_dir(path)
        directory.mkdir(parents=True, exist_ok=True)
        platform = LocalPlatform(database_path(directory))
        organization_id = platform.create_organization("local")
        key = platform.create_api_key(organization_id)
        configuration = cls(
            api_key=key,
            organization_id=organization_id,
            base_url=LOCAL_BASE_URL,
            transport=InProcessTransport(platform.asgi),
            **options,
        )
        configuration.platform = platform
        return configuration

    @property
    def deployment(self) -> Deployment:
        """Cloud when ``IS_XPANDER_CLOUD`` is true (or ``is_cloud=True``), else local."""
        return Deployment.CLOUD if self.is_cloud else Deployment.LOCAL

    def full_url(self, route: str) -> str:
        """The URL of ``route``, with the organisation id for agent-controller bases."""
        return full_url(self.base_url, self.organization_id, route)

    def sync_transport(self) -> httpx.BaseTransport | None:
        """The transport for the sync client (``None``: the network)."""
        return self._transport

    def async_transport(self) -> httpx.AsyncBaseTransport | None:
        """The transport for the async client (``None``: the network)."""
        return self._transport

    def __repr__(self) -> str:
        return (
            f"Configuration(base_url={self.base_url!r}, "
            f"organization_id={self.organization_id!r}, agent_id={self.agent_id!r}, "
            f"deployment={self.deployment.value!r}, "
            f"api_key={'set' if self.api_key else 'unset'})"
        )


__all__ = ["LOCAL_BASE_URL", "Configuration"]
