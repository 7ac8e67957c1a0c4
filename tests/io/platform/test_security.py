import sqlite3
from pathlib import Path

import httpx
import pytest
from platform_helpers import AGENT_DEFINITION, report_body

from xpander_io.platform import LocalPlatform

pytestmark = pytest.mark.anyio
CANARY = "sk-canary-5d1e"


async def test_missing_key_answers_401(anonymous: httpx.AsyncClient, agent_id: str) -> None:
    assert (await anonymous.get(f"/agents/{agent_id}")).status_code == 401


async def test_wrong_key_answers_401(anonymous: httpx.AsyncClient, key: str, agent_id: str) -> None:
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    response = await anonymous.get(f"/agents/{agent_id}", headers={"x-api-key": forged})
    assert response.status_code == 401


async def test_another_organisations_agent_answers_404(
    client: httpx.AsyncClient, platform: LocalPlatform
) -> None:
    other = platform.create_organization("other")
    foreign = platform.put_agent(other, AGENT_DEFINITION)
    assert (await client.get(f"/agents/{foreign.id}")).status_code == 404


async def test_another_organisations_task_answers_404(
    client: httpx.AsyncClient, platform: LocalPlatform
) -> None:
    other = platform.create_organization("other")
    foreign = platform.create_task(other, platform.put_agent(other, AGENT_DEFINITION).id)
    assert (await client.get(f"/agent-execution/{foreign.id}/status")).status_code == 404


async def test_organisation_in_the_path_is_honoured(
    client: httpx.AsyncClient, org: str, agent_id: str
) -> None:
    assert (await client.get(f"/{org}/agents/{agent_id}")).status_code == 200


async def test_another_organisation_in_the_path_answers_404(
    client: httpx.AsyncClient, platform: LocalPlatform, agent_id: str
) -> None:
    other = platform.create_organization("other")
    assert (await client.get(f"/{other}/agents/{agent_id}")).status_code == 404


async def test_oversized_body_answers_413(client: httpx.AsyncClient, agent_id: str) -> None:
    body = report_body("big", result="x" * (2 * 1024 * 1024))
    response = await client.post(f"/agent-execution/{agent_id}/report_task", json=body)
    assert response.status_code == 413


async def test_custom_llm_key_is_served_back_to_its_owner(
    client: httpx.AsyncClient, platform: LocalPlatform, org: str
) -> None:
    agent = platform.put_agent(org, {**AGENT_DEFINITION, "llm_credentials": {"value": CANARY}})
    served = (await client.get(f"/agents/{agent.id}")).json()
    assert served["llm_credentials"]["value"] == CANARY


async def test_error_answer_does_not_echo_a_secret(client: httpx.AsyncClient) -> None:
    definition = {**AGENT_DEFINITION, "llm_credentials": {"value": CANARY}, "graph": 1}
    response = await client.post("/agents", json=definition)
    assert response.status_code == 422
    assert CANARY not in response.text


def test_api_keys_are_not_stored_in_clear(platform: LocalPlatform, key: str) -> None:
    conn = sqlite3.connect(platform.store.path)
    stored = [row[0] for row in conn.execute("SELECT key_hash FROM api_keys")]
    conn.close()
    assert key not in stored and key not in Path(platform.store.path).read_bytes().decode("latin-1")


def test_agent_repr_hides_the_custom_key(platform: LocalPlatform, org: str) -> None:
    agent = platform.put_agent(org, {**AGENT_DEFINITION, "llm_credentials": {"value": CANARY}})
    assert CANARY not in repr(agent)
