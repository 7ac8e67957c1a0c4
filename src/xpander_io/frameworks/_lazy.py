"""Importing a framework on first use, with an error naming the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from xpander_pure import Secret, XpanderError

EXTRAS = {
    "agno": "agno",
    "open-ai-agents": "openai-agents",
    "langchain": "langchain",
    "google-adk": "google-adk",
    "strands-agents": "strands",
}
"""Wire framework value → the ``xpander-backend`` extra that installs it."""


class FrameworkNotInstalledError(XpanderError, ImportError):
    """The framework (or a package its model class needs) is not installed.

    >>> FrameworkNotInstalledError("agno", "agno.agent").extra
    'agno'
    >>> "pip install 'xpander-backend[agno]'" in str(FrameworkNotInstalledError("agno", "agno"))
    True
    """

    def __init__(self, framework: str, module: str) -> None:
        extra = EXTRAS.get(framework, "frameworks")
        super().__init__(
            f"framework {framework!r} needs module {module!r}, which is not installed: "
            f"pip install 'xpander-backend[{extra}]'"
        )
        self.framework = framework
        self.module = module
        self.extra = extra

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.framework, self.module))


def load(framework: str, module: str) -> ModuleType:
    """Import ``module`` for ``framework`` or raise ``FrameworkNotInstalledError``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise FrameworkNotInstalledError(framework, module) from exc


def attr(framework: str, dotted: str) -> Any:
    """The object at ``package.module.Name``, imported lazily."""
    module, _, name = dotted.rpartition(".")
    return getattr(load(framework, module), name)


def reveal(secret: Secret | None) -> str | None:
    """The secret's value, where it must reach the framework's client."""
    return secret.reveal() if secret is not None else None


def reveal_all(headers: dict[str, Secret]) -> dict[str, str]:
    """Header (or environment) values revealed for the framework's client."""
    return {name: value.reveal() for name, value in headers.items()}
