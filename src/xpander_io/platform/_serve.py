"""Serving the local platform on a port with uvicorn (the ``server`` extra)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ._local import LocalPlatform


@contextmanager
def serve(
    platform: LocalPlatform | str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log_level: str = "warning",
    access_log: bool = False,
    graceful_shutdown: int = 5,
) -> Iterator[str]:
    """Serve the platform with uvicorn in a thread; yields the base URL.

    ``port=0`` picks a free port. A path opens (and at exit closes) its own
    ``LocalPlatform``. ``access_log`` logs one line per request (at ``info``).
    On exit the open task streams are ended (a connected worker would
    otherwise keep uvicorn waiting), and other requests still running get
    ``graceful_shutdown`` seconds. Needs ``pip install 'xpander-backend[server]'``.
    """
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "serving on a port needs uvicorn: pip install 'xpander-backend[server]'"
        ) from None
    owned = not isinstance(platform, LocalPlatform)
    local = LocalPlatform(platform) if not isinstance(platform, LocalPlatform) else platform
    config = uvicorn.Config(
        local.asgi,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan="on",
        timeout_graceful_shutdown=graceful_shutdown,
    )
    server = uvicorn.Server(config)
    # uvicorn installs signal handlers only in the main thread; this runs in another.
    thread = threading.Thread(target=server.run, name="xpander-platform", daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"the platform could not be served on {host}:{port}")
            thread.join(0.01)
        yield _base_url(server, host)
    finally:
        server.should_exit = True
        # Until uvicorn has stopped listening a worker may reconnect, so streams
        # are ended again until the server thread is done.
        deadline = time.monotonic() + graceful_shutdown + 5.0
        while thread.is_alive() and time.monotonic() < deadline:
            local.stream.end_streams()
            thread.join(0.05)
        if owned:
            local.close()


def _base_url(server: Any, host: str) -> str:
    for listener in server.servers:
        for sock in listener.sockets:
            address = sock.getsockname()
            return f"http://{host}:{address[1]}"
    raise RuntimeError("uvicorn started without a socket")
