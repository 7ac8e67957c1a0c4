"""An unexpected failure in a handler: a generic 500, and a log line with the
exception type and the route only (the message may hold request values)."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from xpander_io.platform import LocalPlatform, Request, Response

CANARY = "request-value-canary-6c2d"


async def failing(request: Request) -> Response:
    raise ValueError(f"cannot use {request.body.decode()}")


def call_failing_route(platform: LocalPlatform, root_path: str = "") -> httpx.Response:
    platform.app.router.add("POST", "/explode/{item}", failing, auth=False)
    transport = httpx.ASGITransport(app=platform.asgi, root_path=root_path)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://local") as client:
            return await client.post(f"{root_path}/explode/1", content=CANARY.encode())

    return asyncio.run(call())


def test_an_unexpected_error_answers_500_with_a_generic_body(platform: LocalPlatform) -> None:
    answer = call_failing_route(platform)
    assert (answer.status_code, answer.json()) == (500, {"detail": "internal error"})


def test_an_unexpected_error_is_logged_with_its_type_and_route(
    platform: LocalPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="xpander_io"):
        call_failing_route(platform)
    assert "ValueError on POST /explode/{item}" in caplog.text


def test_an_unexpected_error_under_a_root_path_is_logged_with_its_route(
    platform: LocalPlatform, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="xpander_io"):
        call_failing_route(platform, root_path="/mounted/here")
    assert "ValueError on POST /explode/{item}" in caplog.text


def test_the_log_line_holds_no_request_value(
    platform: LocalPlatform, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG):
        call_failing_route(platform)
    captured = capsys.readouterr()
    assert CANARY not in caplog.text + captured.out + captured.err
