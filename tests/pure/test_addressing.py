"""URL rules and the choice of agent id (wire contract, section 1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from returns.result import Failure

from xpander_pure import InvalidInputError
from xpander_pure._addressing import (
    MAX_VERSION_DIGITS,
    agent_version_number,
    base_url_from,
    choose_agent_id,
    full_url,
    is_true,
    requested_agent_version,
    sub_agents_to_follow,
)


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


# --- agent_version ---


def test_agent_version_none_means_the_latest() -> None:
    assert agent_version_number(None).unwrap() is None


def test_agent_version_digits_of_a_task_string_are_the_number() -> None:
    assert agent_version_number(" 12 ").unwrap() == 12


@given(st.integers(min_value=1, max_value=10**MAX_VERSION_DIGITS - 1))
def test_every_positive_integer_of_at_most_18_digits_is_its_own_agent_version(version: int) -> None:
    assert agent_version_number(version).unwrap() == version


@given(st.integers(max_value=0))
def test_an_agent_version_below_one_is_refused(version: int) -> None:
    assert agent_version_number(version).failure().field == "agent_version"


def test_a_bool_agent_version_is_refused() -> None:
    assert agent_version_number(True).failure().field == "agent_version"


def test_non_ascii_digits_are_not_an_agent_version() -> None:
    assert agent_version_number("\u0663").failure().field == "agent_version"


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.floats()))
def test_every_agent_version_is_a_number_or_a_typed_failure(value: object) -> None:
    result = agent_version_number(value)  # type: ignore[arg-type]
    if isinstance(result, Failure):
        assert isinstance(result.failure(), InvalidInputError)
        assert result.failure().field == "agent_version"
    else:
        number = result.unwrap()
        assert number is None or (type(number) is int and number >= 1)


@given(st.integers(min_value=MAX_VERSION_DIGITS + 1, max_value=6000))
def test_an_agent_version_string_of_more_than_18_digits_is_refused(length: int) -> None:
    error = agent_version_number("9" * length).failure()
    assert isinstance(error, InvalidInputError)
    assert error.field == "agent_version"


@given(st.integers(min_value=MAX_VERSION_DIGITS + 1, max_value=6000))
def test_an_agent_version_int_of_more_than_18_digits_is_refused(digits: int) -> None:
    assert agent_version_number(10 ** (digits - 1)).failure().field == "agent_version"


def test_a_refused_agent_version_string_is_not_echoed() -> None:
    assert "4242" not in str(agent_version_number("4242" * 10).failure())


def test_an_18_digit_agent_version_string_is_accepted() -> None:
    assert agent_version_number("9" * 18).unwrap() == 10**18 - 1


@given(st.integers(min_value=MAX_VERSION_DIGITS + 1, max_value=6000))
def test_a_requested_version_of_more_than_18_digits_is_refused_naming_the_source(
    length: int,
) -> None:
    assert requested_agent_version(None, "7" * length).failure().field == "version"


def test_an_18_digit_requested_version_is_accepted() -> None:
    assert requested_agent_version("9" * 18, None).unwrap() == 10**18 - 1


def test_the_version_header_wins_over_the_query() -> None:
    assert requested_agent_version("2", "5").unwrap() == 2


def test_an_empty_version_header_falls_back_to_the_query() -> None:
    assert requested_agent_version("", "5").unwrap() == 5


def test_a_non_ascii_digit_requested_version_is_refused_naming_the_source() -> None:
    assert requested_agent_version(None, "\u00b2").failure().field == "version"


def test_a_refused_requested_version_does_not_echo_it() -> None:
    assert "canary" not in str(requested_agent_version("canary", None).failure())


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_every_requested_version_is_a_number_or_a_typed_failure(
    header: str | None, query: str | None
) -> None:
    result = requested_agent_version(header, query)
    if isinstance(result, Failure):
        assert result.failure().field in ("x-agent-version", "version")
    else:
        number = result.unwrap()
        assert number is None or (type(number) is int and number >= 1)


# --- sub-agents ---


def test_sub_agents_already_on_the_path_are_not_followed() -> None:
    assert sub_agents_to_follow(["a", "b"], depth=1, seen={"a"}, max_depth=3) == ["b"]


@given(st.lists(st.text()), st.integers(min_value=0, max_value=10))
def test_no_sub_agent_is_followed_at_the_depth_limit(ids: list[str], extra: int) -> None:
    assert sub_agents_to_follow(ids, depth=3 + extra, seen=set(), max_depth=3) == []
