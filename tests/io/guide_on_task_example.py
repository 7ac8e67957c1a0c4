"""The guide's "Integration with @on_task Decorator" example, as written.

Only the import line differs from the guide (``xpander_sdk`` -> ``xpander_io``);
the formatter is told to leave the guide's layout alone.
"""

# ruff: noqa: F841 - the guide assigns agno_args and leaves it for the reader to use
# fmt: off

from xpander_io import Backend, on_task


@on_task
async def handle_agent_task(task):
    backend = Backend(task.configuration)
    agno_args = await backend.aget_args(
        agent_id=task.agent_id,
        agent_version=task.agent_version,
        task=task
    )
    # Use agno_args to instantiate framework agent
    # agno_agent = Agent(**agno_args)
    # result = await agno_agent.arun(message=task.to_message())
    task.result = "Task processed with Backend arguments"
    return task
