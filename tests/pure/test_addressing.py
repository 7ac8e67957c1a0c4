"""URL rules and the choice of agent id (wire contract, section 1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xpander_pure._addressing import base_url_from, choose_agent_id, full_url, is_true


def test_blank_base_url_means_the_default() -> None:
    assert base_url_from("  ", is_stg=False) == "https://inbound.xpander.ai"


def test_staging_default_only_when_no_base_url_is_given() -> None:
    assert base_url_from("http://x.test", is_stg=True) == "http://x.test"


def test_scheme_is_kept_when_present() -> None:
    assert base_url_from("http://127.0.0.1:8000/", is_stg=False) == "http://127.0.0.1:8000"


def test_port_9016_base_gets_the_organization_segment() -> None:
    assert (
        full_url("http://10.0.0.1:9016", "org", "agents/a") == "http://10.0.0.1:9016/org/agents/a"
    )


def test_agent_controller_without_organization_has_no_segment() -> None:
    assert (
        full_url("https://agent-controller.x", None, "/agents")
        == "https://agent-controller.x/agents"
    )


@given(st.text(min_size=1).filter(lambda s: s.strip() != ""))
def test_explicit_agent_id_always_wins(explicit: str) -> None:
    assert choose_agent_id(explicit, "b", "c", "d") == explicit.strip()


def test_agent_object_id_comes_before_configuration_and_environment() -> None:
    assert choose_agent_id(None, "from-agent", "from-config", "from-env") == "from-agent"


def test_configuration_comes_before_environment() -> None:
    assert choose_agent_id("", None, "from-config", "from-env") == "from-config"


def test_only_the_string_true_is_true() -> None:
    assert [is_true(v) for v in ("true", "TRUE ", "1", "yes", None)] == [
        True,
        True,
        False,
        False,
        False,
    ]
