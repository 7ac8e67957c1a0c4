"""The exception tree drawn in ``xpander_io._exceptions`` matches the exported classes."""

from __future__ import annotations

import pickle
import re

import pytest

import xpander_io
from xpander_io import _exceptions
from xpander_pure import XpanderError

EXPORTED_ERRORS = sorted(
    name
    for name in xpander_io.__all__
    if isinstance(getattr(xpander_io, name), type)
    and issubclass(getattr(xpander_io, name), BaseException)
)
DRAWN = set(re.findall(r"(?:[├└]── |^    )(\w+)", _exceptions.__doc__ or "", re.MULTILINE))


@pytest.mark.parametrize("name", EXPORTED_ERRORS)
def test_every_exported_error_is_drawn_in_the_tree(name: str) -> None:
    assert name in DRAWN


@pytest.mark.parametrize("name", EXPORTED_ERRORS)
def test_every_exported_error_derives_from_the_root_error(name: str) -> None:
    assert issubclass(getattr(xpander_io, name), XpanderError)


def test_framework_not_installed_is_also_an_import_error() -> None:
    assert issubclass(xpander_io.FrameworkNotInstalledError, ImportError)


def test_mcp_connection_error_survives_pickling() -> None:
    error = xpander_io.McpConnectionError("sample", "httpx.ConnectError")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.server, copy.error_type, str(copy)) == (
        xpander_io.McpConnectionError,
        "sample",
        "httpx.ConnectError",
        str(error),
    )
