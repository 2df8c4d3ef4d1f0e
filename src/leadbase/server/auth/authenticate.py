"""Step one of the request spine: who is calling, for which organization, with what rights.

Unknown, revoked and expired keys all cost one hash and one cached-or-indexed lookup,
so rejecting them takes the same time whichever it is.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass

from leadbase.server.auth import service as keys
from leadbase.server.auth.keys import hash_secret
from leadbase.server.cache import TTLCache
from leadbase.server.config import Settings
from leadbase.server.db import Database, utcnow
from leadbase.server.errors import (
    ApiKeyExpired,
    ApiKeyRevoked,
    CustomerMismatch,
    InsufficientScope,
    InvalidApiKey,
    MissingApiKey,
    MissingCustomerId,
    NoActiveOrganization,
    NotEntitled,
    NotFound,
)

CUSTOMER_HEADER = "x-customer-id"
# last_used_at is written at most this often per key and process: a write per request
# would put every authenticated call on the database's write path.
_TOUCH_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a key of ``org_id``, acting for ``acting_org_id`` (itself or a customer)."""

    key_id: str
    org_id: str
    acting_org_id: str
    customer_id: str | None
    scopes: frozenset[str]
    plan: str
    entitlements: frozenset[str]


class Authenticator:
    def __init__(self, *, database: Database, settings: Settings) -> None:
        self._database = database
        self._plans = {plan: frozenset(names) for plan, names in settings.plans.items()}
        self._keys: TTLCache[str, keys.KeyRecord | None] = TTLCache(
            ttl_seconds=settings.key_cache_seconds, max_size=settings.key_cache_size
        )
        self._orgs: TTLCache[str, keys.OrgRecord | None] = TTLCache(
            ttl_seconds=settings.key_cache_seconds, max_size=settings.key_cache_size
        )
        self._touched: dict[str, float] = {}

    async def authenticate(
        self,
        headers: Mapping[str, str],
        *,
        scope: str | None,
        entitlement: str | None = None,
    ) -> Principal:
        secret = extract_secret(headers)
        record = await self._key(hash_secret(secret))
        now = utcnow()
        _check_key_usable(record, now)
        assert record is not None
        if not record.org_active:
            raise NoActiveOrganization("The organization that owns this key is not active.")
        if scope is not None and scope not in record.scopes:
            raise InsufficientScope(
                f"This endpoint needs the {scope} scope.",
                details={"required": scope, "granted": sorted(record.scopes)},
            )
        customer_id = await self._customer(record, headers.get(CUSTOMER_HEADER))
        plan = record.org_plan
        if customer_id is not None:
            customer = await self._org(customer_id)
            assert customer is not None
            plan = customer.plan
        entitlements = self._plans.get(plan, frozenset())
        if entitlement is not None and entitlement not in entitlements:
            raise NotEntitled(
                f"The {plan} plan does not include {entitlement}.",
                details={"entitlement": entitlement, "plan": plan},
            )
        await self._touch(record, now)
        return Principal(
            key_id=record.id,
            org_id=record.org_id,
            acting_org_id=customer_id or record.org_id,
            customer_id=customer_id,
            scopes=record.scopes,
            plan=plan,
            entitlements=entitlements,
        )

    def forget_key(self, secret_hash: str | None = None) -> None:
        """Drop cached lookups (all of them without a hash) after a revocation here."""
        if secret_hash is None:
            self._keys.clear()
        else:
            self._keys.discard(secret_hash)

    async def _key(self, secret_hash: str) -> keys.KeyRecord | None:
        found, record = self._keys.get(secret_hash)
        if not found:
            async with self._database.transaction(write=False) as session:
                record = await keys.find_by_secret_hash(session, secret_hash=secret_hash)
            self._keys.put(secret_hash, record)
        return record

    async def _org(self, org_id: str) -> keys.OrgRecord | None:
        found, record = self._orgs.get(org_id)
        if not found:
            async with self._database.transaction(write=False) as session:
                record = await keys.find_org(session, org_id=org_id)
            self._orgs.put(org_id, record)
        return record

    async def _customer(self, record: keys.KeyRecord, requested: str | None) -> str | None:
        """The customer organization this call acts for, or None for the key's own."""
        # A blank header is no header, as an empty one is.
        requested = (requested or "").strip() or None
        if record.customer_id is not None:
            if requested is not None and requested != record.customer_id:
                raise CustomerMismatch(
                    "This key is locked to another customer.",
                    param="X-Customer-Id",
                    details={"X-Customer-Id": f"this key may only act for {record.customer_id}"},
                )
            requested = record.customer_id
        elif requested is None:
            if record.requires_customer:
                raise MissingCustomerId(param="X-Customer-Id")
            return None
        # A key locked to a customer acts for it too, so it needs the entitlement as well.
        if "customers" not in self._plans.get(record.org_plan, frozenset()):
            raise NotEntitled(
                f"The {record.org_plan} plan cannot act for customers.",
                param="X-Customer-Id",
                details={"entitlement": "customers", "plan": record.org_plan},
            )
        customer = await self._org(requested)
        # Someone else's organization is indistinguishable from none at all.
        if customer is None or customer.parent_id != record.org_id:
            raise NotFound(
                f"No customer organization {requested} under this organization.",
                param="X-Customer-Id",
            )
        if not customer.active:
            raise NoActiveOrganization(
                f"The customer organization {requested} is not active.", param="X-Customer-Id"
            )
        return customer.id

    async def _touch(self, record: keys.KeyRecord, now: dt.datetime) -> None:
        last = self._touched.get(record.id)
        clock = time.monotonic()
        if last is not None and clock - last < _TOUCH_INTERVAL_SECONDS:
            return
        stored = record.last_used_at
        if (
            last is None
            and stored is not None
            and (now - stored).total_seconds() < _TOUCH_INTERVAL_SECONDS
        ):
            self._touched[record.id] = clock
            return
        self._touched[record.id] = clock
        async with self._database.transaction() as session:
            await keys.touch(session, key_id=record.id, at=now)


def extract_secret(headers: Mapping[str, str]) -> str:
    """The key from ``Authorization: Bearer|Token <key>`` or ``X-API-Key``."""
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() not in {"bearer", "token"}:
            raise InvalidApiKey(
                "Authorization must use the Bearer or Token scheme.", param="Authorization"
            )
        credentials = credentials.strip()
        if not credentials:
            raise MissingApiKey(param="Authorization")
        return credentials
    api_key = headers.get("x-api-key", "").strip()
    if not api_key:
        raise MissingApiKey()
    return api_key


def _check_key_usable(record: keys.KeyRecord | None, now: dt.datetime) -> None:
    if record is None:
        raise InvalidApiKey()
    if record.revoked_at is not None:
        raise ApiKeyRevoked()
    if record.expires_at is not None and record.expires_at <= now:
        raise ApiKeyExpired()
