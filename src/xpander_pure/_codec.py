"""Decoding wire payloads into Structs and encoding them back.

Decoders are built once per type and reused. ``decode`` never raises: it
returns ``Success(value)`` or ``Failure(DecodeError)`` whose ``field`` is
msgspec's ``$.path`` and whose ``reason`` is msgspec's explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec
from returns.result import Failure, Result, Success

from ._errors import DecodeError
from ._secret import Secret

T = TypeVar("T")

REDACTED = "***"

_json_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def _dec_hook(type_: type[Any], obj: Any) -> Any:
    if type_ is Secret:
        if isinstance(obj, Secret):
            return obj
        if isinstance(obj, str):
            return Secret(obj)
        raise msgspec.ValidationError(f"Expected `str`, got `{type(obj).__name__}`")
    raise NotImplementedError(f"cannot decode {type_!r}")


def _wire_enc_hook(obj: Any) -> Any:
    if isinstance(obj, Secret):
        return obj.reveal()
    raise NotImplementedError(f"Encoding objects of type {type(obj).__name__} is unsupported")


def _redacting_enc_hook(obj: Any) -> Any:
    if isinstance(obj, Secret):
        return REDACTED
    raise NotImplementedError(f"Encoding objects of type {type(obj).__name__} is unsupported")


def _decoder(type_: Any) -> msgspec.json.Decoder[Any]:
    decoder = _json_decoders.get(type_)
    if decoder is None:
        decoder = msgspec.json.Decoder(type_, dec_hook=_dec_hook)
        _json_decoders[type_] = decoder
    return decoder


def _to_decode_error(exc: Exception) -> DecodeError:
    message = str(exc)
    reason, sep, path = message.rpartition(" - at `")
    if sep:
        return DecodeError(path.rstrip("`"), reason)
    return DecodeError("$", message or type(exc).__name__)


def decode(type_: type[T], payload: object) -> Result[T, DecodeError]:
    """Decode JSON (``bytes``/``str``) or built-in values (a ``dict`` from TOML) into ``type_``.

    >>> from xpander_pure import Tokens
    >>> decode(Tokens, b'{"prompt_tokens": 2, "completion_tokens": 3}').unwrap().total_tokens
    5
    >>> decode(Tokens, {"prompt_tokens": "2"}).failure().field
    '$.prompt_tokens'
    """
    try:
        if isinstance(payload, (bytes, bytearray, memoryview, str)):
            return Success(_decoder(type_).decode(payload))
        if isinstance(payload, Mapping) and not isinstance(payload, dict):
            payload = dict(payload)
        return Success(msgspec.convert(payload, type_, dec_hook=_dec_hook))
    except (msgspec.ValidationError, msgspec.DecodeError, TypeError, ValueError) as exc:
        return Failure(_to_decode_error(exc))
    except RecursionError:
        return Failure(DecodeError("$", "nested too deeply"))


def to_wire(value: object) -> bytes:
    """Encode as the JSON the platform expects, secrets revealed.

    Use only for a request or response body that must carry the secret.

    Precondition, not a ``Result``: ``value`` is built from this package's
    Structs, ``Secret`` and JSON values (anything ``decode`` or a core function
    returned qualifies). Any other type raises ``TypeError``, a programming
    error rather than bad input; untrusted values go through a validating
    function first (``build_report``, ``decode``).
    """
    return msgspec.json.encode(value, enc_hook=_wire_enc_hook)


def to_wire_builtins(value: object) -> Any:
    """Like ``to_wire`` but into built-in Python values (dicts, lists, strings)."""
    return msgspec.to_builtins(value, enc_hook=_wire_enc_hook)


def to_redacted_builtins(value: object) -> Any:
    """Built-in Python values with every ``Secret`` replaced by ``"***"``: safe to log or print.

    Same precondition as ``to_wire``: other types raise ``TypeError``.
    """
    return msgspec.to_builtins(value, enc_hook=_redacting_enc_hook)
