from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from leadbase.server.auth.keys import SCOPES
from leadbase.server.auth.models import ApiKey

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
# A naive time has no single meaning; it must say its offset (Z or +hh:mm).
AwareDateTime = Annotated[dt.datetime, msgspec.Meta(tz=True)]
# Documented as an enum; check_new_key refuses unknown ones, naming the known ones.
Scope = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(SCOPES)})]


class CreateApiKey(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    # Defaults to every scope of the key that creates it.
    scopes: list[Scope] | None = None
    expires_at: AwareDateTime | None = None
    # Lock the new key to one customer organization.
    customer_id: str | None = None
    # The new key must send X-Customer-Id on every call.
    requires_customer: bool = False


class ApiKeyOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    customer_id: str | None
    requires_customer: bool
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.id,
            name=key.name,
            prefix=key.prefix,
            scopes=list(key.scopes),
            customer_id=key.customer_id,
            requires_customer=key.requires_customer,
            created_at=key.created_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
        )


class CreatedApiKeyOut(ApiKeyOut, kw_only=True):
    # The secret, shown this once and never again (null on an idempotent replay).
    key: str | None
