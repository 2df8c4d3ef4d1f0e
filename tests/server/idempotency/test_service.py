"""Idempotency keys on both databases: claim, replay, conflicts, take-over, expiry."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from leadbase.server.db import Database, utcnow
from leadbase.server.errors import IdempotencyKeyInUse, IdempotencyKeyReused, InvalidParameter
from leadbase.server.idempotency import service as idempotency
from leadbase.server.idempotency.models import IdempotencyRecord
from tests.factories import Tenant, make_tenant
from tests.server.credits.support import execute, idempotency_records, sql_time

pytestmark = pytest.mark.anyio

LOCK = dt.timedelta(seconds=30)
BODY = b'{"phone": "+447400123456"}'


@pytest.fixture
def org(database_url: str) -> Tenant:
    return asyncio.run(make_tenant(database_url))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


def scope(org: Tenant, key: str = "key-1", **changes: str) -> idempotency.Scope:
    values = {
        "org_id": org.org_id,
        "acting_org_id": org.org_id,
        "method": "POST",
        "path": "/v1/phones/validate",
        "key": key,
        **changes,
    }
    return idempotency.Scope(**values)


async def claim(
    database: Database,
    where: idempotency.Scope,
    *,
    body: bytes = BODY,
    request_id: str = "req_1",
    lock_for: dt.timedelta = LOCK,
) -> idempotency.Claim | idempotency.Replay:
    async with database.transaction() as session:
        return await idempotency.claim(
            session,
            scope=where,
            body_hash=idempotency.request_hash(body),
            request_id=request_id,
            lock_for=lock_for,
        )


async def complete(database: Database, claimed: idempotency.Claim | idempotency.Replay) -> None:
    assert isinstance(claimed, idempotency.Claim)
    async with database.transaction() as session:
        await idempotency.complete(
            session, claim=claimed, status=200, content_type="application/json", body=b'{"ok":1}'
        )


# The header ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["a", "k" * 255, "order-42:retry", "ключ"])
def test_check_key_accepts_1_to_255_printable_characters(key: str) -> None:
    assert idempotency.check_key(key) == key


def test_no_header_means_no_key() -> None:
    assert idempotency.check_key(None) is None


@pytest.mark.parametrize("key", ["", "k" * 256, "tab\there", "new\nline"])
def test_check_key_refuses_the_rest(key: str) -> None:
    with pytest.raises(InvalidParameter) as raised:
        idempotency.check_key(key)
    assert raised.value.param == "Idempotency-Key"
    assert raised.value.details == {"Idempotency-Key": "1-255 printable characters"}


# The body hash ------------------------------------------------------------------------


def test_the_same_json_hashes_the_same_whatever_key_order_or_spacing() -> None:
    assert idempotency.request_hash(b'{"a": 1, "b": [1, 2]}') == idempotency.request_hash(
        b'{ "b":[1,2],\n  "a":1 }'
    )


def test_different_json_hashes_differently() -> None:
    assert idempotency.request_hash(b'{"a": 1}') != idempotency.request_hash(b'{"a": 2}')
    assert idempotency.request_hash(b'{"a": 1}') != idempotency.request_hash(b'{"a": "1"}')


def test_a_body_that_is_not_json_is_hashed_as_bytes() -> None:
    assert idempotency.request_hash(b"not json") == idempotency.request_hash(b"not json")
    assert idempotency.request_hash(b"not json") != idempotency.request_hash(b"not json ")


# Claims -------------------------------------------------------------------------------


async def test_the_first_claim_owns_the_key_until_it_completes(
    database: Database, org: Tenant
) -> None:
    first = await claim(database, scope(org))
    assert isinstance(first, idempotency.Claim)
    [record] = idempotency_records(org.database_url)
    assert (record["state"], record["request_id"], record["status"]) == ("running", "req_1", None)
    with pytest.raises(IdempotencyKeyInUse) as raised:
        await claim(database, scope(org), request_id="req_2")
    assert raised.value.param == "Idempotency-Key"
    # The lock only marks when a crashed owner is given up on: look again in a second.
    assert raised.value.headers == {"Retry-After": "1"}


async def test_a_completed_key_replays_the_stored_response(database: Database, org: Tenant) -> None:
    await complete(database, await claim(database, scope(org)))
    again = await claim(database, scope(org), body=b'{"phone":"+447400123456"}', request_id="r2")
    assert again == idempotency.Replay(
        status=200, content_type="application/json", body=b'{"ok":1}'
    )
    [record] = idempotency_records(org.database_url)
    assert (record["state"], record["request_id"], record["status"]) == ("completed", "req_1", 200)


async def test_a_different_body_under_the_same_key_is_refused(
    database: Database, org: Tenant
) -> None:
    await complete(database, await claim(database, scope(org)))
    with pytest.raises(IdempotencyKeyReused) as raised:
        await claim(database, scope(org), body=b'{"phone": "+33612345678"}')
    assert raised.value.param == "Idempotency-Key"


async def test_a_different_body_is_refused_while_the_first_still_runs(
    database: Database, org: Tenant
) -> None:
    await claim(database, scope(org))
    with pytest.raises(IdempotencyKeyReused):
        await claim(database, scope(org), body=b'{"phone": "+33612345678"}')


@pytest.mark.parametrize(
    "other",
    [
        {"key": "key-2"},
        {"acting_org_id": "org_customer"},
        {"org_id": "org_someone_else", "acting_org_id": "org_someone_else"},
        {"path": "/v1/emails/find"},
        {"method": "PUT"},
    ],
    ids=["key", "customer", "organization", "path", "method"],
)
async def test_keys_are_scoped_by_org_customer_method_path_and_key(
    database: Database, org: Tenant, other: dict[str, str]
) -> None:
    await claim(database, scope(org))
    elsewhere = scope(org, **other)
    assert isinstance(await claim(database, elsewhere), idempotency.Claim)
    assert len(idempotency_records(org.database_url)) == 2


async def test_an_abandoned_key_can_be_claimed_again(database: Database, org: Tenant) -> None:
    first = await claim(database, scope(org))
    assert isinstance(first, idempotency.Claim)
    async with database.transaction() as session:
        await idempotency.abandon(session, claim=first)
    assert idempotency_records(org.database_url) == []
    second = await claim(database, scope(org), body=b'{"phone": "+33612345678"}')
    assert isinstance(second, idempotency.Claim)


async def test_a_running_key_whose_lock_expired_is_taken_over(
    database: Database, org: Tenant
) -> None:
    dead = await claim(database, scope(org), request_id="req_dead")
    execute(
        org.database_url,
        "UPDATE idempotency_records SET locked_until = :past",
        past=sql_time(org.database_url, utcnow() - dt.timedelta(seconds=1)),
    )
    taker = await claim(database, scope(org), request_id="req_new")
    assert taker == dead  # the same record, now owned by this request
    [record] = idempotency_records(org.database_url)
    assert (record["state"], record["request_id"]) == ("running", "req_new")
    with pytest.raises(IdempotencyKeyInUse):
        await claim(database, scope(org), request_id="req_third")


async def test_an_expired_record_is_forgotten_and_the_key_runs_again(
    database: Database, org: Tenant
) -> None:
    await complete(database, await claim(database, scope(org)))
    async with database.transaction() as session:
        stored = await session.scalar(sa.select(IdempotencyRecord))
    assert stored is not None
    assert stored.expires_at - stored.created_at == dt.timedelta(hours=24)
    execute(
        org.database_url,
        "UPDATE idempotency_records SET expires_at = :past",
        past=sql_time(org.database_url, utcnow() - dt.timedelta(seconds=1)),
    )
    fresh = await claim(database, scope(org), body=b'{"phone": "+33612345678"}', request_id="r2")
    assert isinstance(fresh, idempotency.Claim)
    [record] = idempotency_records(org.database_url)
    assert (record["state"], record["request_id"]) == ("running", "r2")


async def test_purge_expired_deletes_only_expired_records(database: Database, org: Tenant) -> None:
    for key in ("old-1", "old-2", "new"):
        await claim(database, scope(org, key))
    execute(
        org.database_url,
        "UPDATE idempotency_records SET expires_at = :past WHERE key LIKE 'old-%'",
        past=sql_time(org.database_url, utcnow() - dt.timedelta(seconds=1)),
    )
    async with database.transaction() as session:
        assert await idempotency.purge_expired(session, now=utcnow()) == 2
    assert [r["key"] for r in idempotency_records(org.database_url)] == ["new"]


async def test_two_claims_racing_for_one_key_yield_one_owner(
    database_url: str, org: Tenant
) -> None:
    databases = [Database(database_url) for _ in range(2)]
    try:
        outcomes = await asyncio.gather(
            *(claim(database, scope(org)) for database in databases), return_exceptions=True
        )
    finally:
        for database in databases:
            await database.dispose()
    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Claim",
        "IdempotencyKeyInUse",
    ]
    assert len(idempotency_records(org.database_url)) == 1
