"""Key secrets: their format, their hash and the part of them that stays visible."""

from __future__ import annotations

import hashlib
import re

from leadbase.server.auth.keys import (
    KEY_PREFIX,
    SCOPES,
    generate_secret,
    hash_secret,
    visible_prefix,
)

KEY_FORMAT = re.compile(r"^lb_live_[A-Za-z0-9]{32,}$")


def test_secrets_are_lb_live_and_at_least_32_base62_characters() -> None:
    for _ in range(200):
        assert KEY_FORMAT.match(generate_secret())


def test_secrets_do_not_repeat() -> None:
    secrets = {generate_secret() for _ in range(2000)}
    assert len(secrets) == 2000


def test_secrets_use_the_whole_base62_alphabet() -> None:
    seen = set("".join(generate_secret()[len(KEY_PREFIX) :] for _ in range(200)))
    assert len(seen) == 62


def test_the_stored_hash_is_the_sha256_of_the_secret() -> None:
    secret = generate_secret()
    assert hash_secret(secret) == hashlib.sha256(secret.encode()).hexdigest()
    assert hash_secret(secret) != hash_secret(generate_secret())


def test_hashing_a_secret_with_lone_surrogates_does_not_fail() -> None:
    # Header values can carry anything; hashing must not raise before the lookup says no.
    assert len(hash_secret("lb_live_\udc80")) == 64


def test_the_visible_prefix_is_the_first_16_characters() -> None:
    secret = generate_secret()
    assert visible_prefix(secret) == secret[:16]
    assert visible_prefix(secret).startswith(KEY_PREFIX)


def test_the_scope_list_is_the_one_of_api_md_plus_the_operator_scope() -> None:
    assert set(SCOPES) == {
        "people:read",
        "companies:read",
        "search:read",
        "emails:find",
        "emails:verify",
        "phones:find",
        "lists:read",
        "lists:write",
        "jobs:read",
        "jobs:write",
        "webhooks:manage",
        "account:read",
        "keys:manage",
        "catalog:write",
    }
    assert len(SCOPES) == 14
