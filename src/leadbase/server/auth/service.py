"""API keys: create, list, revoke, and the lookup that authentication is built on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.keys import SCOPES, generate_secret, hash_secret, visible_prefix
from leadbase.server.auth.models import ApiKey
from leadbase.server.db import fits_utc, utcnow
from leadbase.server.errors import InsufficientScope, InvalidParameter, NotFound
from leadbase.server.ids import new_id
from leadbase.server.tenancy.models import Organization


class KeyRecord(msgspec.Struct, frozen=True):
    """What authentication needs to know about a key, cached for ``key_cache_seconds``."""

    id: str
    org_id: str
    scopes: frozenset[str]
    customer_id: str | None
    requires_customer: bool
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    org_active: bool
    org_plan: str


class OrgRecord(msgspec.Struct, frozen=True):
    id: str
    parent_id: str | None
    active: bool
    plan: str


class CreatedKey(msgspec.Struct, frozen=True):
    key: ApiKey
    secret: str


def check_new_key(
    scopes: Iterable[str],
    *,
    expires_at: dt.datetime | None = None,
    granted: frozenset[str] | None = None,
) -> list[str]:
    """Known scopes, none beyond what the creating key holds itself, an expiry in the
    future; the scopes, or one error naming every invalid field."""
    requested = list(dict.fromkeys(scopes))
    errors: dict[str, str] = {}
    unknown = [scope for scope in requested if scope not in SCOPES]
    if unknown:
        errors["scopes"] = f"unknown: {', '.join(unknown)}; known: {', '.join(SCOPES)}"
    if expires_at is not None:
        if not fits_utc(expires_at):
            errors["expires_at"] = "out of range once converted to UTC"
        elif expires_at <= utcnow():
            errors["expires_at"] = "must be in the future"
    if errors:
        raise InvalidParameter.of_fields(errors)
    if granted is not None:
        beyond = [scope for scope in requested if scope not in granted]
        if beyond:
            raise InsufficientScope(
                f"A key cannot grant scopes it does not hold: {', '.join(beyond)}.",
                param="scopes",
                details={"scopes": f"not held by this key: {', '.join(beyond)}"},
            )
    return requested


async def create(
    session: AsyncSession,
    *,
    org_id: str,
    name: str,
    scopes: Iterable[str],
    customer_id: str | None = None,
    requires_customer: bool = False,
    expires_at: dt.datetime | None = None,
) -> CreatedKey:
    checked = check_new_key(scopes, expires_at=expires_at)
    if customer_id is not None:
        await _check_customer_of(session, org_id=org_id, customer_id=customer_id)
    secret = generate_secret()
    key = ApiKey(
        id=new_id("key"),
        org_id=org_id,
        name=name,
        prefix=visible_prefix(secret),
        secret_hash=hash_secret(secret),
        scopes=checked,
        customer_id=customer_id,
        requires_customer=requires_customer,
        expires_at=expires_at,
        created_at=utcnow(),
    )
    session.add(key)
    await session.flush()
    return CreatedKey(key=key, secret=secret)


async def _check_customer_of(session: AsyncSession, *, org_id: str, customer_id: str) -> None:
    customer = await session.get(Organization, customer_id)
    if customer is None or customer.parent_id != org_id:
        raise NotFound(
            f"No customer organization {customer_id} under this organization.",
            param="customer_id",
        )


async def list_page(
    session: AsyncSession, *, org_id: str, limit: int, after: str | None = None
) -> tuple[list[ApiKey], bool]:
    """Keys of one organization, newest first; the flag says whether more follow."""
    query = sa.select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.id.desc())
    if after is not None:
        query = query.where(ApiKey.id < after)
    rows = list(await session.scalars(query.limit(limit + 1)))
    return rows[:limit], len(rows) > limit


async def list_for_org(session: AsyncSession, *, org_id: str) -> list[ApiKey]:
    result = await session.scalars(
        sa.select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.id)
    )
    return list(result)


async def revoke(session: AsyncSession, *, key_id: str, org_id: str | None = None) -> ApiKey:
    """Revoke a key (again is a no-op). With ``org_id``, another org's key is not found."""
    key = await session.get(ApiKey, key_id)
    if key is None or (org_id is not None and key.org_id != org_id):
        raise NotFound(f"No API key {key_id}.", param="id")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key


async def find_by_secret_hash(session: AsyncSession, *, secret_hash: str) -> KeyRecord | None:
    row = (
        await session.execute(
            sa.select(ApiKey, Organization.active, Organization.plan)
            .join(Organization, Organization.id == ApiKey.org_id)
            .where(ApiKey.secret_hash == secret_hash)
        )
    ).first()
    if row is None:
        return None
    key, org_active, org_plan = row
    return KeyRecord(
        id=key.id,
        org_id=key.org_id,
        scopes=frozenset(key.scopes),
        customer_id=key.customer_id,
        requires_customer=key.requires_customer,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        last_used_at=key.last_used_at,
        org_active=org_active,
        org_plan=org_plan,
    )


async def find_org(session: AsyncSession, *, org_id: str) -> OrgRecord | None:
    organization = await session.get(Organization, org_id)
    if organization is None:
        return None
    return OrgRecord(
        id=organization.id,
        parent_id=organization.parent_id,
        active=organization.active,
        plan=organization.plan,
    )


async def touch(session: AsyncSession, *, key_id: str, at: dt.datetime) -> None:
    await session.execute(sa.update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at))
