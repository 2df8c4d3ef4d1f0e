"""Organizations and their customers (child organizations)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.errors import InvalidParameter, NotFound
from leadbase.server.ids import new_id
from leadbase.server.tenancy.models import Organization

_MAX_NAME = 200  # the column's length


async def create(
    session: AsyncSession,
    *,
    name: str,
    plan: str,
    parent_id: str | None = None,
    demo: bool = False,
) -> Organization:
    name = name.strip()
    if not 1 <= len(name) <= _MAX_NAME:
        raise InvalidParameter(
            f"An organization's name needs 1 to {_MAX_NAME} characters besides spaces.",
            param="name",
            details={"name": f"must hold 1 to {_MAX_NAME} characters besides spaces"},
        )
    if parent_id is not None:
        parent = await session.get(Organization, parent_id)
        if parent is None:
            raise NotFound(f"No organization {parent_id}.", param="parent_id")
        if parent.parent_id is not None:
            raise InvalidParameter(
                "A customer organization cannot have customers of its own.",
                param="parent_id",
                details={"parent_id": "must be a top-level organization"},
            )
    organization = Organization(
        id=new_id("org"), name=name, plan=plan, parent_id=parent_id, demo=demo, active=True
    )
    session.add(organization)
    await session.flush()
    return organization


async def get(session: AsyncSession, *, org_id: str) -> Organization:
    organization = await session.get(Organization, org_id)
    if organization is None:
        raise NotFound(f"No organization {org_id}.")
    return organization


async def list_all(session: AsyncSession) -> list[Organization]:
    result = await session.scalars(sa.select(Organization).order_by(Organization.id))
    return list(result)


async def list_customers(session: AsyncSession, *, org_id: str) -> list[Organization]:
    result = await session.scalars(
        sa.select(Organization).where(Organization.parent_id == org_id).order_by(Organization.id)
    )
    return list(result)


async def find_demo(session: AsyncSession) -> Organization | None:
    return await session.scalar(
        sa.select(Organization)
        .where(Organization.demo.is_(True), Organization.parent_id.is_(None))
        .order_by(Organization.id)
        .limit(1)
    )


async def set_active(session: AsyncSession, *, org_id: str, active: bool) -> Organization:
    organization = await get(session, org_id=org_id)
    organization.active = active
    await session.flush()
    return organization
