"""A value that must never be shown: keys, tokens, passwords."""

from __future__ import annotations

from typing import final


@final
class Secret:
    """Holds a secret string; ``repr``, ``str`` and plain encoding never show it.

    >>> key = Secret("sk-live-123")
    >>> key
    Secret('***')
    >>> f"{key}"
    '***'
    >>> key.reveal()
    'sk-live-123'

    ``msgspec.json.encode(key)`` without the library's wire hook raises
    ``TypeError`` rather than writing the value; only ``xpander_pure.to_wire``
    reveals it, on purpose, for the request body that must carry it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value. Call only where the value must leave."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the value in clear; refuse it.
        raise TypeError("Secret values cannot be pickled")
