"""Tasks, their input and token counts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from typing_extensions import override

from ._enums import OutputFormat, TaskStatus
from ._mcp import McpServer
from ._secret import Secret

NonNegative = Annotated[int, msgspec.Meta(ge=0)]


class User(msgspec.Struct, kw_only=True, frozen=True):
    """The person a task runs for (``input.user``); ``email`` is the one required field."""

    email: str
    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    additional_attributes: dict[str, Any] | None = None
    timezone: str | None = None


class TaskInput(msgspec.Struct, kw_only=True, frozen=True):
    """A task's ``input``: the text, the attached files and the user who asked."""

    text: str = ""
    files: list[str] = []
    user: User | None = None


class UserTokens(msgspec.Struct, kw_only=True, frozen=True):
    """Tokens the platform obtained for the task's user; OIDC ones by audience."""

    oidc_tokens: dict[str, Secret] = {}


class Tokens(msgspec.Struct, kw_only=True, frozen=True):
    """Token usage. ``total_tokens`` is prompt + completion when not given.

    >>> Tokens(prompt_tokens=50, completion_tokens=150).total_tokens
    200
    >>> Tokens(prompt_tokens=50, completion_tokens=150, total_tokens=200).total_tokens
    200
    """

    completion_tokens: NonNegative = 0
    prompt_tokens: NonNegative = 0
    cache_read_tokens: NonNegative = 0
    cache_write_tokens: NonNegative = 0
    total_tokens: NonNegative | None = None

    def __post_init__(self) -> None:
        if self.total_tokens is None:
            # Cache counts are never added: the official client's rule.
            total = self.prompt_tokens + self.completion_tokens
            msgspec.structs.force_setattr(self, "total_tokens", total)


class Task(msgspec.Struct, kw_only=True):
    """A task (an execution of an agent). Mutable: handlers set ``result``."""

    id: str
    agent_id: str
    organization_id: str
    input: TaskInput
    created_at: datetime
    status: TaskStatus = TaskStatus.PENDING
    # A string on the wire (the official client's Task model requires one).
    agent_version: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: str | None = None
    source: str | None = None
    output_format: OutputFormat | None = None
    output_schema: dict[str, Any] | None = None
    additional_context: str | None = None
    instructions_override: str | None = None
    expected_output: str | None = None
    mcp_servers: list[McpServer] = []
    user_oidc_token: Secret | None = None
    user_tokens: UserTokens | None = None
    title: str | None = None
    think_mode: str | None = None
    tokens: Tokens | None = None
    used_tools: list[str] = []
    duration: float = 0
    payload_extension: dict[str, Any] | None = None

    @override
    def __repr__(self) -> str:
        return f"Task(id={self.id!r}, agent_id={self.agent_id!r}, status={self.status.value!r})"

    def to_message(self) -> str:
        """The text the agent should receive: the input text, then the files listed.

        >>> from datetime import datetime, timezone
        >>> task = Task(
        ...     id="t", agent_id="a", organization_id="o",
        ...     created_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
        ...     input=TaskInput(text="Summarize", files=["https://x/a.pdf", "https://x/b.csv"]),
        ... )
        >>> print(task.to_message())
        Summarize
        Files: https://x/a.pdf, https://x/b.csv
        """
        message = self.input.text
        if self.input.files:
            # The official client's layout; it also inlines text files it
            # downloads, which is I/O and so not done here.
            files = "Files: " + ", ".join(self.input.files)
            message = f"{message}\n{files}" if message else files
        return message

    def oidc_token(self, audience: str) -> Secret | None:
        """The user's OIDC token for ``audience``, if the platform attached one."""
        if self.user_tokens is None:
            return None
        token = self.user_tokens.oidc_tokens.get(audience)
        return token if token else None


_ENDED_BADLY = frozenset({TaskStatus.ERROR, TaskStatus.FAILED, TaskStatus.STOPPED})


def invocation_succeeded(status: TaskStatus, *, waited: bool) -> bool:
    """Whether invoking a task went well, given the ``status`` the client last saw.

    ``waited``: the client followed the task until it ended, and only
    ``completed`` counts. Otherwise (``invoke --no-wait``) the task was only
    handed over, so a task still ``pending`` (or already running or
    completed) counts and only an ended-badly status (``error``, ``failed``,
    ``stopped``) does not.

    >>> invocation_succeeded(TaskStatus.COMPLETED, waited=True)
    True
    >>> invocation_succeeded(TaskStatus.PENDING, waited=True)
    False
    >>> invocation_succeeded(TaskStatus.PENDING, waited=False)
    True
    >>> invocation_succeeded(TaskStatus.FAILED, waited=False)
    False
    """
    if waited:
        return status is TaskStatus.COMPLETED
    return status not in _ENDED_BADLY
