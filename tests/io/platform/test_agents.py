import httpx
import pytest
from platform_helpers import AGENT_DEFINITION

from xpander_io.platform import LocalPlatform

pytestmark = pytest.mark.anyio


async def test_get_agent_answers_the_stored_definition(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    response = await client.get(f"/agents/{agent_id}")
    assert response.status_code == 200
    assert response.json()["unique_name"] == "support-bot"


async def test_update_over_http_stores_a_new_version(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    response = await client.put(
        f"/agents/{agent_id}", json={**AGENT_DEFINITION, "model_name": "gpt-4.1"}
    )
    assert response.json()["version"] == 2


async def test_latest_version_is_served_without_a_version(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    await client.put(f"/agents/{agent_id}", json={**AGENT_DEFINITION, "model_name": "gpt-4.1"})
    assert (await client.get(f"/agents/{agent_id}")).json()["model_name"] == "gpt-4.1"


async def test_previous_version_is_kept_and_served_by_header(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    await client.put(f"/agents/{agent_id}", json={**AGENT_DEFINITION, "model_name": "gpt-4.1"})
    response = await client.get(f"/agents/{agent_id}", headers={"x-agent-version": "1"})
    assert response.json()["model_name"] == "gpt-4o"


async def test_previous_version_is_served_by_query(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    await client.put(f"/agents/{agent_id}", json={**AGENT_DEFINITION, "model_name": "gpt-4.1"})
    response = await client.get(f"/agents/{agent_id}", params={"version": 1})
    assert response.json()["version"] == 1


async def test_unknown_version_answers_404(client: httpx.AsyncClient, agent_id: str) -> None:
    assert (await client.get(f"/agents/{agent_id}", params={"version": 7})).status_code == 404


async def test_a_non_ascii_digit_version_answers_422_naming_the_query(
    client: httpx.AsyncClient, agent_id: str
) -> None:
    response = await client.get(f"/agents/{agent_id}", params={"version": "\u00b2"})
    assert (response.status_code, response.json()["field"]) == (422, "version")


async def test_a_bad_version_header_is_not_echoed(client: httpx.AsyncClient, agent_id: str) -> None:
    response = await client.get(f"/agents/{agent_id}", headers={"x-agent-version": "9x-canary"})
    assert (response.status_code, "canary" in response.text) == (422, False)


async def test_create_from_toml_definition(client: httpx.AsyncClient) -> None:
    toml = (
        b'name = "Toml Bot"\nframework = "agno"\nmodel_provider = "openai"\nmodel_name = "gpt-4o"\n'
    )
    response = await client.post(
        "/agents", content=toml, headers={"content-type": "application/toml"}
    )
    assert (response.status_code, response.json()["unique_name"]) == (201, "toml-bot")


async def test_definition_with_a_wrong_type_answers_422_with_the_path(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/agents", json={**AGENT_DEFINITION, "instructions": {"role": 3}})
    assert (response.status_code, response.json()["field"]) == (422, "$.instructions.role")


async def test_definition_missing_a_required_field_answers_422(client: httpx.AsyncClient) -> None:
    definition = {k: v for k, v in AGENT_DEFINITION.items() if k != "model_name"}
    response = await client.post("/agents", json=definition)
    assert response.status_code == 422
    assert "model_name" in response.json()["reason"]


async def test_list_agents_shows_latest_versions(client: httpx.AsyncClient, agent_id: str) -> None:
    await client.put(f"/agents/{agent_id}", json=AGENT_DEFINITION)
    listed = (await client.get("/agents")).json()
    assert [(a["id"], a["version"]) for a in listed] == [(agent_id, 2)]


async def test_default_llm_headers_are_per_organisation(
    client: httpx.AsyncClient, platform: LocalPlatform, org: str
) -> None:
    platform.set_default_llm_headers(org, {"x-team": "blue"})
    other = platform.create_organization("other")
    platform.set_default_llm_headers(other, {"x-team": "red"})
    response = await client.get("/metadata/default_llm_extra_headers")
    assert response.json() == {"x-team": "blue"}


def test_put_agent_with_an_id_keeps_old_versions(
    platform: LocalPlatform, org: str, agent_id: str
) -> None:
    platform.put_agent(org, {**AGENT_DEFINITION, "id": agent_id, "model_name": "o3"})
    assert platform.get_agent(org, agent_id, version=1).model_name == "gpt-4o"


def test_put_agent_rejects_a_bad_definition_naming_the_field(
    platform: LocalPlatform, org: str
) -> None:
    with pytest.raises(ValueError, match=r"\$\.output_format"):
        platform.put_agent(org, {**AGENT_DEFINITION, "output_format": "pdf"})
