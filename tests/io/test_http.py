"""``ApiRequest`` and ``Send`` never show a request's body, headers or secrets, and an
error excerpt masks the secrets the request names (against the real local platform)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpander_io import Configuration, HTTPStatusError
from xpander_io._http import ApiRequest, SyncDriver
from xpander_io._steps import Send
from xpander_io.platform import Request, Response

BODY_CANARY = "client-secret-canary-3f9a"
HEADER_CANARY = "header-canary-4a0b"


def canary_request() -> ApiRequest:
    return ApiRequest(
        method="POST",
        route="/echo",
        body=b'{"client_secret": "' + BODY_CANARY.encode() + b'"}',
        headers={"x-extra": HEADER_CANARY},
        secrets=(BODY_CANARY,),
    )


def test_an_api_request_repr_shows_no_body_header_or_secret() -> None:
    text = repr(canary_request())
    assert (BODY_CANARY in text, HEADER_CANARY in text) == (False, False)


def test_a_send_effect_repr_shows_no_body_header_or_secret() -> None:
    text = repr(Send((canary_request(),)))
    assert (BODY_CANARY in text, HEADER_CANARY in text) == (False, False)


def test_an_api_request_repr_still_names_the_call() -> None:
    assert "route='/echo'" in repr(canary_request())


async def echo_as_plain_text(request: Request) -> Response:
    # Echoed outside any JSON key that looks like a credential: only the
    # request's own secrets can mask it.
    return Response(status=400, body=b"rejected: " + request.body, content_type="text/plain")


def echo_error(tmp_path: Path) -> HTTPStatusError:
    configuration = Configuration.local(tmp_path)
    assert configuration.platform is not None
    configuration.platform.app.router.add("POST", "/echo", echo_as_plain_text)
    driver = SyncDriver(configuration)
    try:
        with pytest.raises(HTTPStatusError) as raised:
            driver.send(canary_request())
    finally:
        driver.close()
        configuration.platform.close()
    return raised.value


def test_an_error_excerpt_masks_the_secrets_the_request_names(tmp_path: Path) -> None:
    error = echo_error(tmp_path)
    assert BODY_CANARY not in str(error)


def test_an_error_excerpt_still_shows_the_rest_of_the_body(tmp_path: Path) -> None:
    assert "rejected" in str(echo_error(tmp_path))
