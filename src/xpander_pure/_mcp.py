"""MCP server details and the MCP OAuth token service's answers."""

from __future__ import annotations

import msgspec
from typing_extensions import override

from ._enums import McpAuthResultType, McpAuthType, McpServerType, McpSsoToken, McpTransport
from ._secret import Secret


class McpServer(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=False):
    """An MCP server attached to an agent or a task (the official ``MCPServerDetails``).

    ``api_key`` and ``client_secret`` are ``Secret``; header values may carry
    credentials too, so ``repr`` shows header names only.
    """

    id: str | None = None
    type: McpServerType = McpServerType.REMOTE
    name: str | None = None
    command: str | None = None
    url: str | None = None
    transport: McpTransport | None = None
    auth_type: McpAuthType = McpAuthType.NONE
    api_key: Secret | None = None
    use_secrets_manager: bool = False
    client_id: str | None = None
    client_secret: Secret | None = None
    headers: dict[str, str] = {}
    env_vars: dict[str, str] = {}
    allowed_tools: list[str] = []
    additional_scopes: list[str] = []
    share_user_token_across_other_agents: bool = True
    sso_token: McpSsoToken = McpSsoToken.ACCESS
    sso_audience: str | None = None

    @override
    def __repr__(self) -> str:
        return (
            f"McpServer(name={self.name!r}, type={self.type.value!r}, url={self.url!r}, "
            f"transport={self.effective_transport.value!r}, auth_type={self.auth_type.value!r}, "
            f"headers={sorted(self.headers)!r})"
        )

    def secret_values(self) -> tuple[str, ...]:
        """Every value of the server that is or may be a credential, revealed.

        The key, the client secret, header and environment values, the command
        line and each of its arguments after the program (split on any
        whitespace): what an error body echoing the server must not show.

        >>> McpServer(api_key=Secret("k1"), headers={"X-Token": "t1"}).secret_values()
        ('k1', 't1')
        >>> McpServer(command="npx fs\\t--token=t2").secret_values()
        ('npx fs\\t--token=t2', 'fs', '--token=t2')
        """
        found = [
            secret.reveal() for secret in (self.api_key, self.client_secret) if secret is not None
        ]
        found += [*self.headers.values(), *self.env_vars.values()]
        if self.command:
            # The whole line and every argument: an echo may quote one argument alone.
            found += [self.command, *self.command.split()[1:]]
        return tuple(value for value in found if value)

    @property
    def effective_transport(self) -> McpTransport:
        """The transport actually used: local forces stdio; remote never uses stdio."""
        if self.type is McpServerType.LOCAL:
            return McpTransport.STDIO
        if self.transport in (None, McpTransport.STDIO):
            return McpTransport.STREAMABLE_HTTP
        assert self.transport is not None
        return self.transport


class McpAuthData(msgspec.Struct, kw_only=True, frozen=True):
    """``data`` of an MCP token answer; which fields are set depends on ``type``."""

    server_url: str | None = None
    server_name: str | None = None
    url: str | None = None
    access_token: Secret | None = None
    message: str | None = None


class McpAuthResult(msgspec.Struct, kw_only=True, frozen=True):
    """Answer of ``POST /mcp_auth/{agent_id}/{user_id}/get_token``."""

    type: McpAuthResultType
    data: McpAuthData = McpAuthData()
