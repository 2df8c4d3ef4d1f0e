"""The admin commands' units of work: one transaction each, straight on the database.

Imported only when an admin command runs, because it needs the server's dependencies.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server import db
from leadbase.server.auth import service as api_keys
from leadbase.server.auth.keys import TENANT_SCOPES
from leadbase.server.auth.schemas import ApiKeyOut, CreatedApiKeyOut
from leadbase.server.config import Settings
from leadbase.server.credits import service as credits
from leadbase.server.errors import InvalidParameter
from leadbase.server.tenancy import service as organizations
from leadbase.server.tenancy.models import Organization

T = TypeVar("T")


class OrganizationOut(msgspec.Struct, kw_only=True):
    id: str
    name: str
    plan: str
    parent_id: str | None
    active: bool
    demo: bool
    created_at: dt.datetime

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        return cls(
            id=organization.id,
            name=organization.name,
            plan=organization.plan,
            parent_id=organization.parent_id,
            active=organization.active,
            demo=organization.demo,
            created_at=organization.created_at,
        )


def run(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Migrate when allowed, then do ``work`` in one transaction that commits if it returns."""
    if settings.auto_migrate:
        db.upgrade(settings.database_url)
    return asyncio.run(_in_transaction(settings.database_url, work))


async def _in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    database = db.Database(url)
    try:
        async with database.transaction() as session:
            return await work(session)
    finally:
        await database.dispose()


def to_json(value: object) -> str:
    return msgspec.json.encode(value).decode()


def create_organization(
    settings: Settings, *, name: str, parent_id: str | None, plan: str | None
) -> OrganizationOut:
    chosen = plan or settings.default_plan
    if chosen not in settings.plans:
        raise InvalidParameter(
            f"Unknown plan {chosen!r}.",
            param="plan",
            details={"plan": f"known plans: {', '.join(sorted(settings.plans))}"},
        )

    async def work(session: AsyncSession) -> OrganizationOut:
        organization = await organizations.create(
            session, name=name, plan=chosen, parent_id=parent_id
        )
        return OrganizationOut.of(organization)

    return run(settings, work)


def list_organizations(settings: Settings) -> list[OrganizationOut]:
    async def work(session: AsyncSession) -> list[OrganizationOut]:
        return [OrganizationOut.of(org) for org in await organizations.list_all(session)]

    return run(settings, work)


def create_key(
    settings: Settings,
    *,
    org_id: str,
    name: str,
    scopes: Sequence[str] | None,
    customer_id: str | None,
    requires_customer: bool,
    expires_in_days: int | None,
) -> CreatedApiKeyOut:
    expires_at = (
        db.utcnow() + dt.timedelta(days=expires_in_days) if expires_in_days is not None else None
    )

    async def work(session: AsyncSession) -> CreatedApiKeyOut:
        await organizations.get(session, org_id=org_id)
        created = await api_keys.create(
            session,
            org_id=org_id,
            name=name,
            scopes=TENANT_SCOPES if not scopes else scopes,
            customer_id=customer_id,
            requires_customer=requires_customer,
            expires_at=expires_at,
        )
        out = ApiKeyOut.of(created.key)
        fields = {field: getattr(out, field) for field in out.__struct_fields__}
        return CreatedApiKeyOut(**fields, key=created.secret)

    return run(settings, work)


def list_keys(settings: Settings, *, org_id: str) -> list[ApiKeyOut]:
    async def work(session: AsyncSession) -> list[ApiKeyOut]:
        await organizations.get(session, org_id=org_id)
        return [ApiKeyOut.of(key) for key in await api_keys.list_for_org(session, org_id=org_id)]

    return run(settings, work)


class CreditsOut(msgspec.Struct, kw_only=True):
    org_id: str
    granted: float
    balance: float
    reserved: float
    available: float


def grant_credits(
    settings: Settings, *, org_id: str, amount: float, note: str | None
) -> CreditsOut:
    millicredits = round(amount * credits.MILLICREDITS_PER_CREDIT)
    if millicredits <= 0 or abs(millicredits - amount * credits.MILLICREDITS_PER_CREDIT) > 1e-6:
        raise InvalidParameter(
            "credits must be positive, in steps of 0.001.",
            param="credits",
            details={"credits": "a positive number with at most 3 decimals"},
        )

    async def work(session: AsyncSession) -> CreditsOut:
        await organizations.get(session, org_id=org_id)
        balance = await credits.grant(
            session, org_id=org_id, amount=millicredits, note=note or "granted by an operator"
        )
        return CreditsOut(
            org_id=org_id,
            granted=credits.to_credits(millicredits),
            balance=credits.to_credits(balance.balance),
            reserved=credits.to_credits(balance.reserved),
            available=credits.to_credits(balance.available),
        )

    return run(settings, work)


def revoke_key(settings: Settings, *, key_id: str) -> ApiKeyOut:
    async def work(session: AsyncSession) -> ApiKeyOut:
        return ApiKeyOut.of(await api_keys.revoke(session, key_id=key_id))

    return run(settings, work)
