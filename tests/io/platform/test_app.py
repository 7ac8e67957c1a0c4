"""The route table's matching rules."""

from __future__ import annotations

from xpander_io.platform import Request, Response, Router


async def handler(request: Request) -> Response:
    return Response()


def test_a_route_matches_its_path_with_one_trailing_slash() -> None:
    router = Router()
    router.add("GET", "/events/{agent_id}", handler)
    matched = router.match("GET", "/events/a1/")
    assert not isinstance(matched, bool) and matched[1] == {"agent_id": "a1"}


def test_a_route_does_not_match_its_path_with_two_trailing_slashes() -> None:
    router = Router()
    router.add("GET", "/events/{agent_id}", handler)
    assert router.match("GET", "/events/a1//") is False


def test_a_parameter_does_not_match_an_empty_segment_before_the_slash() -> None:
    router = Router()
    router.add("GET", "/agents/{agent_id}", handler)
    assert router.match("GET", "/agents/") is False
