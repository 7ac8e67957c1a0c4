"""langchain: an MCP server whose tools cannot be listed raises a typed, secret-free error."""

from __future__ import annotations

import socket
from typing import Any

import msgspec
import pytest

from xpander_io import McpConnectionError, TransportError
from xpander_io.frameworks import materialize
from xpander_pure import McpServer, Secret
from xpander_pure.frameworks import McpServerAuth, plan_args

HEADER_CANARY = "Bearer oauth-canary-closed-port"
URL_CANARY = "url-canary-closed-port"


@pytest.fixture(scope="module")
def refused(cases: Any) -> McpConnectionError:
    """The error of building langchain args with an MCP server on a closed 127.0.0.1 port."""
    # Bound then closed: nothing listens there, so the connection is refused.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    auth = McpServerAuth(
        server=McpServer(name="closed-door", url=f"http://127.0.0.1:{port}/mcp?token={URL_CANARY}"),
        headers={"Authorization": Secret(HEADER_CANARY)},
    )
    plan_input = msgspec.structs.replace(cases.load_case("plain"), mcp_servers=[auth])
    plan = plan_args("langchain", plan_input).unwrap()
    with pytest.raises(McpConnectionError) as caught:
        materialize(plan)
    return caught.value


def test_unreachable_mcp_server_error_names_the_server(refused: McpConnectionError) -> None:
    assert (refused.server, "'closed-door'" in str(refused)) == ("closed-door", True)


def test_unreachable_mcp_server_error_names_the_failure_type(
    refused: McpConnectionError,
) -> None:
    assert refused.error_type.endswith(".ConnectError")
    assert refused.error_type in str(refused)


def test_unreachable_mcp_server_error_is_a_transport_error(refused: McpConnectionError) -> None:
    assert isinstance(refused, TransportError)


@pytest.mark.parametrize("canary", [HEADER_CANARY, URL_CANARY, "oauth-canary"])
def test_unreachable_mcp_server_error_text_holds_no_secret(
    refused: McpConnectionError, canary: str
) -> None:
    assert canary not in str(refused) + repr(refused)


def test_unreachable_mcp_server_error_hides_the_cause_from_tracebacks(
    refused: McpConnectionError,
) -> None:
    # The mcp client's exception may carry the URL or headers in its text.
    assert (refused.__cause__, refused.__suppress_context__) == (None, True)
