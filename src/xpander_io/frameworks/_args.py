"""The keyword arguments a materializer returns, printable without their values."""

from __future__ import annotations

from typing import Any


def type_name(value: object) -> str:
    """``module.Qualname`` of the value's type (``str`` for built-ins)."""
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")


class FrameworkArgs(dict[str, Any]):
    """A framework constructor's keyword arguments: a real ``dict``.

    ``Agent(**args)``, ``args["model"]`` and ``args == {...}`` work as for any
    dict; ``repr`` and ``str`` list only the argument names and the types of
    their values, never the values, so printing or logging the arguments
    leaks no key.

    >>> args = FrameworkArgs(name="bot", api_key="sk-canary")
    >>> args
    FrameworkArgs(api_key: str, name: str)
    >>> args == {"name": "bot", "api_key": "sk-canary"}
    True

    The objects inside (a model whose client holds the LLM key, MCP tools with
    their auth headers) still hold their secrets: their own ``repr`` is the
    framework's, so print the arguments, not the values.
    """

    __slots__ = ()

    def describe(self) -> dict[str, str]:
        """Argument name -> its value's type name, sorted by name."""
        return {name: type_name(self[name]) for name in sorted(self)}

    def __repr__(self) -> str:
        described = ", ".join(f"{name}: {kind}" for name, kind in self.describe().items())
        return f"FrameworkArgs({described})"

    __str__ = __repr__

    def copy(self) -> FrameworkArgs:
        """A shallow copy that keeps the safe ``repr``."""
        return FrameworkArgs(self)


__all__ = ["FrameworkArgs", "type_name"]
