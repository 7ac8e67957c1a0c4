"""Rules for the organisation metadata the client reads."""

from __future__ import annotations

import pytest

from xpander_pure._metadata import default_headers_absent


def test_a_404_for_default_headers_means_none_are_set() -> None:
    assert default_headers_absent(404)


@pytest.mark.parametrize("status", [400, 401, 403, 409, 422, 429, 500, 503])
def test_any_other_error_for_default_headers_is_still_an_error(status: int) -> None:
    assert not default_headers_absent(status)
