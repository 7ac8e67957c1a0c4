"""A handler module for the CLI worker tests: slow enough to be in flight at a signal."""

import asyncio

from xpander_io import on_task


@on_task
async def slow_echo(task):  # type: ignore[no-untyped-def]
    await asyncio.sleep(1.5)
    task.result = f"slow echo: {task.to_message()}"
    return task
