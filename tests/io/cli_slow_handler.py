"""A handler module for the CLI worker tests: slow enough to be in flight at a signal.

With ``SLOW_HANDLER_GATE`` set to a path, the handler waits until that file
exists (the test creates it when it is ready for the task to end) instead of
a fixed time, so a loaded machine cannot let the task finish too early.
"""

import asyncio
import os
from pathlib import Path

from xpander_io import on_task


@on_task
async def slow_echo(task):  # type: ignore[no-untyped-def]
    gate = os.environ.get("SLOW_HANDLER_GATE")
    if gate:
        while not Path(gate).exists():
            await asyncio.sleep(0.02)
    else:
        await asyncio.sleep(1.5)
    task.result = f"slow echo: {task.to_message()}"
    return task
