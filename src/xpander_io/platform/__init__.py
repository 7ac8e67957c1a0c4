"""The local platform: the hosted xpander API over SQLite, in-process or served.

>>> from xpander_io.platform import LocalPlatform
>>> # client = httpx.AsyncClient(transport=httpx.ASGITransport(app=LocalPlatform(path).asgi))
"""

from ._app import MAX_BODY_BYTES, ASGIApp, HttpError, PlatformApp, Request, Response, Router
from ._cli import add_platform_commands
from ._local import LocalPlatform
from ._routes import TaskListener, create_task, put_agent, register_routes
from ._serve import serve
from ._stream import TaskStream

__all__ = [
    "ASGIApp",
    "HttpError",
    "LocalPlatform",
    "MAX_BODY_BYTES",
    "PlatformApp",
    "Request",
    "Response",
    "Router",
    "TaskListener",
    "TaskStream",
    "add_platform_commands",
    "create_task",
    "put_agent",
    "register_routes",
    "serve",
]
