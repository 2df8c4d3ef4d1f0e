"""What the metering tests look at behind the API's back: the ledger, usage and keys.

Shared by the credits, idempotency, limits and phones tests. Reads use a connection of
their own, as another process (an auditor) would.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import anyio.to_thread
import httpx
import msgspec
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server import db
from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.credits import service as credits
from leadbase.server.db import Database
from tests.factories import Tenant, make_tenant

# 0.1 credit, the built-in price of one valid phones.validate.
PHONE_PRICE = 100
VALID_PHONE = "+447400123456"  # a UK mobile libphonenumber knows the carrier of (Three)


def rows(database_url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = sa.create_engine(db.sync_url(database_url))
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def execute(database_url: str, sql: str, **params: Any) -> int:
    """Run one statement and commit; returns the row count."""
    engine = sa.create_engine(db.sync_url(database_url))
    try:
        with engine.begin() as connection:
            return connection.execute(sa.text(sql), params).rowcount
    finally:
        engine.dispose()


def sql_time(database_url: str, moment: dt.datetime) -> str | dt.datetime:
    """``moment`` as a raw SQL parameter for a UTCDateTime column of this backend."""
    if database_url.startswith("sqlite"):
        # SQLAlchemy's own SQLite storage format: naive UTC text.
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def account(database_url: str, org_id: str) -> tuple[int, int]:
    """(balance, reserved) in millicredits; (0, 0) for an organization without an account."""
    found = rows(
        database_url,
        "SELECT balance, reserved FROM credit_accounts WHERE org_id = :org_id",
        org_id=org_id,
    )
    return (found[0]["balance"], found[0]["reserved"]) if found else (0, 0)


def entries(database_url: str, org_id: str) -> list[dict[str, Any]]:
    """The ledger lines of ``org_id``, oldest first."""
    return rows(
        database_url,
        "SELECT id, kind, amount, operation, reservation_id, request_id, job_id, note"
        " FROM credit_entries WHERE org_id = :org_id ORDER BY id",
        org_id=org_id,
    )


def kinds(database_url: str, org_id: str) -> list[tuple[str, int]]:
    """(kind, amount) of every ledger line, grouped by kind in a stable order."""
    order = ["grant", "reserve", "capture", "release", "refund"]
    found = [(entry["kind"], entry["amount"]) for entry in entries(database_url, org_id)]
    return sorted(found, key=lambda line: (order.index(line[0]), line[1]))


def recomputed(database_url: str, org_id: str) -> tuple[int, int]:
    """(balance, reserved) rebuilt from the ledger lines alone."""
    sums: dict[str, int] = {}
    for entry in entries(database_url, org_id):
        sums[entry["kind"]] = sums.get(entry["kind"], 0) + entry["amount"]

    def total(kind: str) -> int:
        return sums.get(kind, 0)

    balance = total("grant") + total("refund") - total("capture")
    reserved = total("reserve") - total("capture") - total("release")
    return balance, reserved


def assert_ledger_consistent(database_url: str, org_id: str) -> tuple[int, int]:
    """The account row equals what its ledger adds up to; returns (balance, reserved)."""
    stored = account(database_url, org_id)
    assert stored == recomputed(database_url, org_id), entries(database_url, org_id)
    assert stored[0] - stored[1] >= 0
    return stored


def usage_events(database_url: str, org_id: str) -> list[dict[str, Any]]:
    return rows(
        database_url,
        "SELECT operation, units, charged, request_id FROM usage_events"
        " WHERE org_id = :org_id ORDER BY id",
        org_id=org_id,
    )


def reservations(database_url: str, org_id: str) -> list[dict[str, Any]]:
    return rows(
        database_url,
        "SELECT id, operation, amount, request_id, state FROM credit_reservations"
        " WHERE org_id = :org_id ORDER BY id",
        org_id=org_id,
    )


def idempotency_records(database_url: str) -> list[dict[str, Any]]:
    return rows(
        database_url,
        "SELECT org_id, acting_org_id, method, path, key, state, request_id, status"
        " FROM idempotency_records ORDER BY created_at",
    )


async def grant_credits(database_url: str, org_id: str, amount: int) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            await credits.grant(session, org_id=org_id, amount=amount, note="test grant")
    finally:
        await database.dispose()


def fund(database_url: str, org_id: str, amount: int) -> None:
    asyncio.run(grant_credits(database_url, org_id, amount))


async def make_funded_tenant(
    database_url: str, *, amount: int = 10_000, name: str = "Acme"
) -> Tenant:
    """An organization (with one customer) holding ``amount`` millicredits."""
    tenant = await make_tenant(database_url, name=name)
    if amount:
        await grant_credits(database_url, tenant.org_id, amount)
    return tenant


def funded_tenant(database_url: str, *, amount: int = 10_000, name: str = "Acme") -> Tenant:
    return asyncio.run(make_funded_tenant(database_url, amount=amount, name=name))


def configured(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with some fields changed (and checked again)."""
    return msgspec.convert({**msgspec.structs.asdict(settings), **changes}, Settings, strict=True)


@contextmanager
def serve(settings: Settings) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@asynccontextmanager
async def serve_async(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests run concurrently on this event loop.

    Litestar's AsyncTestClient runs each request to completion on a portal thread, so
    two of its requests never overlap; httpx's ASGITransport awaits the app in place.
    """
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


async def eventually(check: Callable[[], bool], *, within: float = 5.0) -> None:
    """Wait (without blocking the event loop) until ``check()`` holds."""
    deadline = time.monotonic() + within
    while not await anyio.to_thread.run_sync(check):
        if time.monotonic() > deadline:
            raise AssertionError(f"{check} did not hold within {within}s")
        await anyio.sleep(0.02)
