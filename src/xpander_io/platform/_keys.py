"""API keys of the local platform: generated once, stored hashed, compared in constant time.

A key reads ``xpk_<key id>_<secret>``. The key id (not secret) finds the row;
the SHA-256 of the whole key is compared with ``hmac.compare_digest``. A plain
hash (no salt, no stretching) is enough because the secret is 256 random
bits: there is nothing to guess from a dictionary.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_PREFIX = "xpk_"


def new_key() -> tuple[str, str, str]:
    """A fresh key: (key id, the secret key shown once, its hash to store)."""
    key_id = secrets.token_hex(8)
    key = f"{_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return key_id, key, hash_key(key)


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_id_of(key: str) -> str | None:
    """The public id inside a presented key, or None when it is not shaped like one."""
    if not key.startswith(_PREFIX):
        return None
    key_id, sep, rest = key[len(_PREFIX) :].partition("_")
    if not sep or not key_id or not rest:
        return None
    return key_id


def key_matches(key: str, stored_hash: str) -> bool:
    """Constant-time check of a presented key against the stored hash."""
    return hmac.compare_digest(hash_key(key).encode(), stored_hash.encode())
