"""Configuration from arguments and the environment; the local in-process target."""

from __future__ import annotations

from pathlib import Path

from backend_support import environ

from xpander_io import Backend, Configuration
from xpander_pure import Deployment

CLEAN = {
    "XPANDER_API_KEY": None,
    "XPANDER_ORGANIZATION_ID": None,
    "XPANDER_BASE_URL": None,
    "XPANDER_AGENT_ID": None,
    "IS_XPANDER_CLOUD": None,
    "IS_STG": None,
}


def test_values_come_from_the_environment() -> None:
    with environ(
        **{
            **CLEAN,
            "XPANDER_API_KEY": "k-env",
            "XPANDER_ORGANIZATION_ID": "org-env",
            "XPANDER_BASE_URL": "https://api.example.test",
            "XPANDER_AGENT_ID": "agent-env",
        }
    ):
        config = Configuration()
    assert config.api_key is not None and config.api_key.reveal() == "k-env"
    assert (config.organization_id, config.base_url, config.agent_id) == (
        "org-env",
        "https://api.example.test",
        "agent-env",
    )


def test_arguments_win_over_the_environment() -> None:
    with environ(**{**CLEAN, "XPANDER_ORGANIZATION_ID": "org-env"}):
        config = Configuration(organization_id="org-arg")
    assert config.organization_id == "org-arg"


def test_default_base_url_is_the_hosted_inbound() -> None:
    with environ(**CLEAN):
        assert Configuration().base_url == "https://inbound.xpander.ai"


def test_is_stg_selects_the_staging_base_url() -> None:
    with environ(**{**CLEAN, "IS_STG": "true"}):
        assert Configuration().base_url == "https://inbound.stg.xpander.ai"


def test_base_url_without_scheme_gets_https() -> None:
    with environ(**CLEAN):
        assert Configuration(base_url="api.example.test/").base_url == "https://api.example.test"


def test_agent_controller_urls_carry_the_organization_id() -> None:
    with environ(**CLEAN):
        config = Configuration(organization_id="org-1", base_url="http://agent-controller:9016")
    assert config.full_url("/agents/a") == "http://agent-controller:9016/org-1/agents/a"


def test_other_urls_do_not_carry_the_organization_id() -> None:
    with environ(**CLEAN):
        config = Configuration(organization_id="org-1")
    assert config.full_url("/agents/a") == "https://inbound.xpander.ai/agents/a"


def test_deployment_is_cloud_only_when_is_xpander_cloud_is_true() -> None:
    with environ(**{**CLEAN, "IS_XPANDER_CLOUD": "true"}):
        cloud = Configuration()
    with environ(**{**CLEAN, "IS_XPANDER_CLOUD": "yes"}):
        local = Configuration()
    assert (cloud.deployment, local.deployment) == (Deployment.CLOUD, Deployment.LOCAL)


def test_repr_never_shows_the_key() -> None:
    config = Configuration(api_key="sk-canary-config-777", organization_id="o")
    assert "sk-canary-config-777" not in repr(config)
    assert "sk-canary-config-777" not in repr(Backend(config))
    assert "api_key=set" in repr(config)


def test_local_configuration_reaches_an_in_process_platform(tmp_path: Path) -> None:
    config = Configuration.local(tmp_path)
    assert config.platform is not None and config.organization_id is not None
    config.platform.put_agent(
        config.organization_id,
        {
            "id": "a-local",
            "name": "Local",
            "framework": "agno",
            "model_provider": "openai",
            "model_name": "gpt-4o",
        },
    )
    with Backend(config) as backend:
        assert backend.get_args(agent_id="a-local")["name"] == "Local"


def test_local_configuration_uses_xpander_data_dir(tmp_path: Path) -> None:
    with environ(XPANDER_DATA_DIR=str(tmp_path / "data")):
        Configuration.local()
    assert (tmp_path / "data" / "platform.sqlite3").exists()
