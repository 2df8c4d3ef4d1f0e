"""What the auth and tenancy tests do behind the API's back, as another process would."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa

from leadbase.server import db
from leadbase.server.auth.models import ApiKey
from leadbase.server.db import Database
from leadbase.server.tenancy import service as organizations
from tests.factories import make_key


def update_key(database_url: str, key_id: str, **values: Any) -> None:
    """Change a key's row and commit, on a connection of its own (another process, say)."""
    engine = sa.create_engine(db.sync_url(database_url))
    try:
        with engine.begin() as connection:
            connection.execute(sa.update(ApiKey).where(ApiKey.id == key_id).values(**values))
    finally:
        engine.dispose()


def rows(database_url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = sa.create_engine(db.sync_url(database_url))
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


async def set_active(database_url: str, *, org_id: str, active: bool) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            await organizations.set_active(session, org_id=org_id, active=active)
    finally:
        await database.dispose()


async def add_customer(database_url: str, *, parent_id: str, plan: str, name: str) -> str:
    """One more customer organization of ``parent_id``; returns its id."""
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            customer = await organizations.create(
                session, name=name, plan=plan, parent_id=parent_id
            )
        return customer.id
    finally:
        await database.dispose()


def new_key(database_url: str, *, org_id: str, **options: Any) -> tuple[str, str]:
    """A key made through the service layer (see tests.factories.make_key): (id, secret)."""
    return asyncio.run(make_key(database_url, org_id=org_id, **options))


def new_customer(database_url: str, *, parent_id: str, plan: str = "standard") -> str:
    return asyncio.run(
        add_customer(database_url, parent_id=parent_id, plan=plan, name="Another Customer")
    )


def deactivate(database_url: str, org_id: str) -> None:
    asyncio.run(set_active(database_url, org_id=org_id, active=False))


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
