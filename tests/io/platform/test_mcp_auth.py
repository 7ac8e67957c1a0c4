import httpx
import pytest
from platform_helpers import AGENT_DEFINITION

from xpander_io.platform import LocalPlatform

pytestmark = pytest.mark.anyio
SERVER = {"url": "https://mcp.example/sse", "name": "notes", "auth_type": "oauth2"}


async def ask(
    client: httpx.AsyncClient, agent_id: str, user: str, generate: bool, server: object = SERVER
) -> dict[str, object]:
    response = await client.post(
        f"/mcp_auth/{agent_id}/{user}/get_token",
        params={"generate_login_url": str(generate).lower()},
        json=server,
    )
    assert response.status_code == 200
    answer: dict[str, object] = response.json()
    return answer


async def login(
    client: httpx.AsyncClient, agent_id: str, user: str, server: object = SERVER
) -> None:
    answer = await ask(client, agent_id, user, True, server)
    url = answer["data"]["url"]  # type: ignore[index]
    assert (await client.get(url)).status_code == 200


async def test_first_ask_answers_login_required_with_a_local_url(
    client: httpx.AsyncClient, agent_id: str, base_url: str
) -> None:
    answer = await ask(client, agent_id, "u1", True)
    assert answer["type"] == "login_required"
    assert answer["data"]["url"].startswith(f"{base_url}/mcp_auth/login/")  # type: ignore[index]


async def test_token_ready_after_the_login_url_was_visited(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    await login(client, agent_id, "u1")
    answer = await ask(client, agent_id, "u1", False)
    assert answer["type"] == "token_ready" and answer["data"]["access_token"]  # type: ignore[index]


async def test_polling_before_the_visit_still_answers_login_required(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    await ask(client, agent_id, "u1", True)
    assert (await ask(client, agent_id, "u1", False))["type"] == "login_required"


async def test_tokens_are_kept_per_user(client: httpx.AsyncClient, agent_id: str) -> None:
    await login(client, agent_id, "u1")
    assert (await ask(client, agent_id, "u2", False))["type"] != "token_ready"


async def test_shared_token_serves_another_agent(
    client: httpx.AsyncClient, agent_id: str, platform: LocalPlatform, org: str
) -> None:
    second = platform.put_agent(org, AGENT_DEFINITION).id
    await login(client, agent_id, "u1")
    assert (await ask(client, second, "u1", False))["type"] == "token_ready"


async def test_unshared_token_does_not_serve_another_agent(
    client: httpx.AsyncClient, agent_id: str, platform: LocalPlatform, org: str
) -> None:
    server = {**SERVER, "share_user_token_across_other_agents": False}
    second = platform.put_agent(org, AGENT_DEFINITION).id
    await login(client, agent_id, "u1", server)
    assert (await ask(client, second, "u1", False, server))["type"] != "token_ready"


async def test_login_link_works_once(client: httpx.AsyncClient, agent_id: str) -> None:
    answer = await ask(client, agent_id, "u1", True)
    url = answer["data"]["url"]  # type: ignore[index]
    await client.get(url)
    assert (await client.get(url)).status_code == 404
