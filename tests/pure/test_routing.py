"""Routing task-update events to handlers: a list of invocations, nothing called."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpander_pure import EventType, TaskUpdateEvent, route_event

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def event(kind: EventType) -> TaskUpdateEvent:
    return TaskUpdateEvent(task_id="t1", organization_id="o1", time=NOW, type=kind)


AUTH = event(EventType.AUTH_EVENT)


def test_explicit_callback_comes_before_registered_handlers() -> None:
    assert route_event(AUTH, "explicit", ["h1", "h2"]).unwrap() == ("explicit", "h1", "h2")


def test_registered_handlers_keep_registration_order() -> None:
    assert route_event(AUTH, None, ["h3", "h1", "h2"]).unwrap() == ("h3", "h1", "h2")


def test_no_handlers_routes_to_nobody() -> None:
    assert route_event(AUTH, None, []).unwrap() == ()


@pytest.mark.parametrize("kind", [k for k in EventType if k is not EventType.AUTH_EVENT])
def test_other_event_types_reach_no_auth_handler(kind: EventType) -> None:
    assert route_event(event(kind), "explicit", ["h1"]).unwrap() == ()


def test_routing_calls_nothing() -> None:
    calls: list[str] = []

    def handler() -> None:
        calls.append("called")

    route_event(AUTH, handler, [handler])
    assert calls == []


@settings(max_examples=200)
@given(
    kind=st.sampled_from(list(EventType)),
    explicit=st.none() | st.integers(),
    registered=st.lists(st.integers(), max_size=6),
)
def test_auth_routes_are_explicit_then_registered_and_others_empty(
    kind: EventType, explicit: int | None, registered: list[int]
) -> None:
    routed = route_event(event(kind), explicit, registered).unwrap()
    if kind is EventType.AUTH_EVENT:
        assert routed == tuple(([] if explicit is None else [explicit]) + registered)
    else:
        assert routed == ()
