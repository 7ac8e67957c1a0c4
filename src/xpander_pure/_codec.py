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


CREDENTIAL_MAPS = frozenset(
    {
        "default_headers",
        "env",
        "env_vars",
        "extra_headers",
        "headers",
        "llm_extra_headers",
        "overrides",
    }
)
"""Struct fields whose mapping values ``to_redacted_builtins`` hides (names are kept)."""


def _program(command: str, names_only: bool) -> str:
    # Any whitespace separates arguments (a tab or a newline as well as a space).
    words = command.split(None, 1)
    if not words:
        return ""
    if len(words) == 1 or names_only:
        return words[0]
    return f"{words[0]} {REDACTED}"


def _scrub(value: object, built: Any, names_only: bool) -> Any:
    # Walks the value and its built-in form side by side, so that the rule
    # applies to our Structs' fields only, never to a key of user data (a JSON
    # schema property named "headers" stays as it is).
    if isinstance(value, msgspec.Struct) and isinstance(built, dict):
        fields = dict(zip(value.__struct_encode_fields__, value.__struct_fields__, strict=True))
        shown: dict[str, Any] = {}
        for encoded, item in built.items():
            name = fields.get(encoded)
            if name is None:
                # A tag or other key that is not a field: kept as msgspec wrote it.
                shown[encoded] = item
            elif name in CREDENTIAL_MAPS and isinstance(item, dict):
                shown[encoded] = sorted(item) if names_only else dict.fromkeys(item, REDACTED)
            elif name == "args" and isinstance(item, list):
                if names_only:
                    shown["arg_count"] = len(item)
                else:
                    shown[encoded] = [REDACTED] * len(item)
            elif name == "command" and isinstance(item, str):
                shown[encoded] = _program(item, names_only)
            else:
                shown[encoded] = _scrub(getattr(value, name), item, names_only)
        return shown
    if isinstance(value, (list, tuple)) and isinstance(built, list):
        return [
            _scrub(inner, inner_built, names_only)
            for inner, inner_built in zip(value, built, strict=True)
        ]
    if isinstance(value, Mapping) and isinstance(built, dict):
        return {
            key: _scrub(inner, inner_built, names_only)
            for (key, inner_built), inner in zip(built.items(), value.values(), strict=True)
        }
    return built


def to_redacted_builtins(value: object, *, names_only: bool = False) -> Any:
    """Built-in Python values safe to log or print: credentials replaced by ``"***"``.

    What is hidden:

    * every ``Secret``;
    * the values (not the names) of a Struct field named in ``CREDENTIAL_MAPS``:
      header maps (``headers``, ``llm_extra_headers``, ``default_headers``,
      ``extra_headers``; a header such as ``Authorization`` or
      ``x-oidc-token`` is a credential), environment maps (``env``,
      ``env_vars``) and ``overrides`` (they may hold any keyword argument, a
      key included);
    * every element of a Struct field named ``args`` (a local MCP server's
      command-line arguments) and all but the program of a field named
      ``command`` (``"npx ***"``): a token is often passed on the command line.

    The rule follows the field names of this package's Structs, at any depth
    (an ``Agent``'s ``mcp_servers``, an ``AgentPlan``'s ``sub_agents``); keys
    of plain mappings (user data, a JSON schema) are left alone.

    >>> from xpander_pure import McpServer
    >>> server = McpServer(name="fs", command="npx fs --token t0k", env_vars={"TOKEN": "t0k"})
    >>> built = to_redacted_builtins(server)
    >>> built["command"], built["env_vars"]
    ('npx ***', {'TOKEN': '***'})

    ``names_only=True`` gives the shorter view a summary prints (the CLI's
    ``args``), by the same Struct-field rule: a credential map becomes the
    sorted list of its names, ``args`` becomes ``arg_count`` (how many) and
    ``command`` keeps its program only.

    >>> summary = to_redacted_builtins(server, names_only=True)
    >>> summary["command"], summary["env_vars"]
    ('npx', ['TOKEN'])

    Same precondition as ``to_wire``: other types raise ``TypeError``.
    """
    built = msgspec.to_builtins(value, enc_hook=_redacting_enc_hook)
    return _scrub(value, built, names_only)
