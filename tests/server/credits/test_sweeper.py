"""The sweeper releases holds left by dead processes, and only those."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from functools import partial

import anyio
import pytest

from leadbase.server.credits import service as credits
from leadbase.server.credits.sweeper import run_sweeper, sweep_once
from leadbase.server.db import Database, utcnow
from leadbase.server.idempotency import service as idempotency
from tests.factories import Tenant, make_tenant
from tests.server.credits.support import (
    account,
    assert_ledger_consistent,
    entries,
    execute,
    idempotency_records,
    reservations,
    sql_time,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def org(database_url: str) -> Tenant:
    return asyncio.run(make_tenant(database_url))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def hold(database: Database, org_id: str, amount: int, *, seconds: float) -> str:
    async with database.transaction() as session:
        reservation = await credits.reserve(
            session,
            org_id=org_id,
            operation="phones.validate",
            amount=amount,
            timeout=dt.timedelta(seconds=seconds),
            request_id=f"req_{amount}",
        )
    return reservation.id


def expire(database_url: str, reservation_id: str) -> None:
    execute(
        database_url,
        "UPDATE credit_reservations SET expires_at = :past WHERE id = :id",
        past=sql_time(database_url, utcnow() - dt.timedelta(seconds=1)),
        id=reservation_id,
    )


async def test_sweep_once_releases_only_expired_open_reservations(
    database: Database, org: Tenant
) -> None:
    async with database.transaction() as session:
        await credits.grant(session, org_id=org.org_id, amount=1_000)
    dead = await hold(database, org.org_id, 100, seconds=60)
    alive = await hold(database, org.org_id, 200, seconds=60)
    done = await hold(database, org.org_id, 300, seconds=60)
    async with database.transaction() as session:
        [settled] = [
            r
            for r in await credits.expired_reservations(
                session, now=utcnow() + dt.timedelta(minutes=5)
            )
            if r.id == done
        ]
        await credits.settle(session, reservation=settled, captured=300)
    expire(org.database_url, dead)
    expire(org.database_url, done)

    assert await sweep_once(database) == 1

    states = {r["id"]: r["state"] for r in reservations(org.database_url, org.org_id)}
    assert states == {dead: "expired", alive: "open", done: "settled"}
    released = [e for e in entries(org.database_url, org.org_id) if e["kind"] == "release"]
    assert [(e["reservation_id"], e["amount"], e["request_id"]) for e in released] == [
        (dead, 100, "req_100")
    ]
    assert assert_ledger_consistent(org.database_url, org.org_id) == (700, 200)
    assert await sweep_once(database) == 0
    assert account(org.database_url, org.org_id) == (700, 200)


async def test_a_call_that_settles_after_the_sweeper_released_its_hold_is_not_charged(
    database: Database, org: Tenant
) -> None:
    async with database.transaction() as session:
        await credits.grant(session, org_id=org.org_id, amount=1_000)
        held = await credits.reserve(
            session,
            org_id=org.org_id,
            operation="phones.validate",
            amount=300,
            timeout=dt.timedelta(seconds=60),
        )
    expire(org.database_url, held.id)
    assert await sweep_once(database) == 1
    async with database.transaction() as session:
        late = await credits.settle(session, reservation=held, captured=300)
    assert late == credits.Settlement(captured=0, released=0)
    assert assert_ledger_consistent(org.database_url, org.org_id) == (1_000, 0)
    assert [e["kind"] for e in entries(org.database_url, org.org_id)].count("capture") == 0


async def test_sweep_once_works_through_more_expired_holds_than_one_batch(
    database: Database, org: Tenant
) -> None:
    async with database.transaction() as session:
        await credits.grant(session, org_id=org.org_id, amount=1_000)
    held = [await hold(database, org.org_id, 10 + n, seconds=60) for n in range(5)]
    for reservation_id in held:
        expire(org.database_url, reservation_id)
    assert await sweep_once(database, batch=2) == 5
    assert assert_ledger_consistent(org.database_url, org.org_id) == (1_000, 0)


async def test_sweep_once_forgets_expired_idempotency_keys(database: Database, org: Tenant) -> None:
    for key in ("old", "new"):
        async with database.transaction() as session:
            claimed = await idempotency.claim(
                session,
                scope=idempotency.Scope(
                    org_id=org.org_id,
                    acting_org_id=org.org_id,
                    method="POST",
                    path="/v1/phones/validate",
                    key=key,
                ),
                body_hash="h",
                request_id=f"req_{key}",
                lock_for=dt.timedelta(seconds=30),
            )
            assert isinstance(claimed, idempotency.Claim)
    execute(
        org.database_url,
        "UPDATE idempotency_records SET expires_at = :past WHERE key = 'old'",
        past=sql_time(org.database_url, utcnow() - dt.timedelta(seconds=1)),
    )
    assert await sweep_once(database) == 0
    assert [record["key"] for record in idempotency_records(org.database_url)] == ["new"]


async def test_the_background_sweeper_releases_a_dead_hold_within_its_interval(
    database: Database, org: Tenant
) -> None:
    async with database.transaction() as session:
        await credits.grant(session, org_id=org.org_id, amount=1_000)
    await hold(database, org.org_id, 400, seconds=0.2)
    assert account(org.database_url, org.org_id) == (1_000, 400)
    with anyio.fail_after(10):
        async with anyio.create_task_group() as background:
            background.start_soon(partial(run_sweeper, database, interval=0.05))
            while account(org.database_url, org.org_id) != (1_000, 0):
                await anyio.sleep(0.05)
            background.cancel_scope.cancel()
    assert [r["state"] for r in reservations(org.database_url, org.org_id)] == ["expired"]
