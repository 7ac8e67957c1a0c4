"""Body excerpts for error messages never carry credentials."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xpander_pure._redact import body_excerpt, redact_text


def test_credential_fields_are_masked_at_any_depth() -> None:
    body = b'{"detail": "no", "request": {"headers": {"x-api-key": "k-1"}}}'
    assert "k-1" not in body_excerpt(body, secrets=())


def test_known_secrets_are_masked_in_plain_text() -> None:
    assert body_excerpt(b"key k-secret-1 refused", secrets=("k-secret-1",)) == "key *** refused"


def test_bearer_tokens_are_masked() -> None:
    assert "tok123" not in redact_text("Authorization: Bearer tok123", ())


def test_excerpt_is_truncated_to_the_limit() -> None:
    assert len(body_excerpt(b"x" * 1000, secrets=())) == 200


@given(st.text(alphabet="abcdef0123456789", min_size=6, max_size=30), st.integers(0, 400))
def test_a_known_secret_never_survives_whatever_surrounds_it(secret: str, pad: int) -> None:
    body = ("p" * pad + secret + "q" * pad).encode()
    assert secret not in body_excerpt(body, secrets=(secret,))
