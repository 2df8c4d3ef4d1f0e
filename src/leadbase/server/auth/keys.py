"""API key secrets: ``lb_live_`` plus 40 random base62 characters; only a SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import string

KEY_PREFIX = "lb_live_"
_RANDOM_LENGTH = 40
_ALPHABET = string.ascii_letters + string.digits
# How much of the key stays visible in listings: the fixed prefix and 8 random characters.
VISIBLE_LENGTH = len(KEY_PREFIX) + 8

SCOPES = (
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
    # Operators only: write the shared catalog (POST /v1/admin/catalog/...).
    "catalog:write",
)
# Scopes that act on what every tenant shares: never in a key unless asked for by name.
OPERATOR_SCOPES = frozenset({"catalog:write"})
# What "every scope" means for a tenant's key (the demo key, `admin key create`'s default).
TENANT_SCOPES = tuple(scope for scope in SCOPES if scope not in OPERATOR_SCOPES)


def generate_secret() -> str:
    return KEY_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))


def hash_secret(secret: str) -> str:
    # Keys carry 238 bits of entropy, so a fast unsalted hash is enough to make a
    # leaked table useless; it also keeps authentication to one indexed lookup.
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def visible_prefix(secret: str) -> str:
    return secret[:VISIBLE_LENGTH]
