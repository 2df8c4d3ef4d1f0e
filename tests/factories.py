"""Data the tests set up directly through the service layer (never through HTTP)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from leadbase.server.auth import service as api_keys
from leadbase.server.auth.keys import SCOPES
from leadbase.server.db import Database
from leadbase.server.tenancy import service as organizations


@dataclass(frozen=True)
class Tenant:
    database_url: str
    org_id: str
    customer_id: str
    key_id: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}

    def customer_headers(self) -> dict[str, str]:
        return {**self.headers, "X-Customer-Id": self.customer_id}


async def make_tenant(database_url: str, *, plan: str = "standard", name: str = "Acme") -> Tenant:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            org = await organizations.create(session, name=name, plan=plan)
            customer = await organizations.create(
                session, name=f"{name} Customer", plan=plan, parent_id=org.id
            )
            created = await api_keys.create(
                session, org_id=org.id, name="all scopes", scopes=SCOPES
            )
        return Tenant(
            database_url=database_url,
            org_id=org.id,
            customer_id=customer.id,
            key_id=created.key.id,
            secret=created.secret,
        )
    finally:
        await database.dispose()


async def make_key(
    database_url: str,
    *,
    org_id: str,
    scopes: Iterable[str] = SCOPES,
    customer_id: str | None = None,
    requires_customer: bool = False,
    expires_at: dt.datetime | None = None,
) -> tuple[str, str]:
    """A key for ``org_id``; returns (key id, secret)."""
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            created = await api_keys.create(
                session,
                org_id=org_id,
                name="test key",
                scopes=scopes,
                customer_id=customer_id,
                requires_customer=requires_customer,
                expires_at=expires_at,
            )
        return created.key.id, created.secret
    finally:
        await database.dispose()
