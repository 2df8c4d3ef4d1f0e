"""The credit ledger on both databases: grant, reserve, settle, refund, and its invariants."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.exc import IntegrityError

from leadbase.server import db
from leadbase.server.credits import service as credits
from leadbase.server.credits.models import UsageEvent
from leadbase.server.db import Database
from leadbase.server.errors import InsufficientCredits, InvalidParameter
from leadbase.server.ids import new_id
from tests.factories import Tenant, make_tenant
from tests.server.credits.support import (
    account,
    assert_ledger_consistent,
    entries,
    execute,
    kinds,
    reservations,
    sql_time,
)

pytestmark = pytest.mark.anyio

HOLD = dt.timedelta(minutes=2)


@pytest.fixture
def org(database_url: str) -> Tenant:
    return asyncio.run(make_tenant(database_url))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def funded(database: Database, org_id: str, amount: int) -> None:
    async with database.transaction() as session:
        await credits.grant(session, org_id=org_id, amount=amount)


async def reserve(
    database: Database, org_id: str, amount: int, *, request_id: str = "req_1"
) -> credits.Reservation:
    async with database.transaction() as session:
        return await credits.reserve(
            session,
            org_id=org_id,
            operation="phones.validate",
            amount=amount,
            timeout=HOLD,
            request_id=request_id,
        )


# grant ------------------------------------------------------------------------------------


async def test_grant_opens_the_account_and_adds_to_the_balance(
    database: Database, org: Tenant
) -> None:
    async with database.transaction() as session:
        assert await credits.balance_of(session, org_id=org.org_id) == credits.Balance(0, 0)
        first = await credits.grant(session, org_id=org.org_id, amount=1_500, note="welcome")
        second = await credits.grant(session, org_id=org.org_id, amount=500)
    assert first == credits.Balance(balance=1_500, reserved=0)
    assert second == credits.Balance(balance=2_000, reserved=0)
    assert [(e["kind"], e["amount"], e["note"]) for e in entries(org.database_url, org.org_id)] == [
        ("grant", 1_500, "welcome"),
        ("grant", 500, None),
    ]
    assert assert_ledger_consistent(org.database_url, org.org_id) == (2_000, 0)


@pytest.mark.parametrize("amount", [0, -1, -1_000])
async def test_grant_refuses_an_amount_that_is_not_positive(
    database: Database, org: Tenant, amount: int
) -> None:
    with pytest.raises(InvalidParameter) as raised:
        async with database.transaction() as session:
            await credits.grant(session, org_id=org.org_id, amount=amount)
    assert raised.value.details == {"credits": "must be positive"}
    assert account(org.database_url, org.org_id) == (0, 0)
    assert entries(org.database_url, org.org_id) == []


# reserve ----------------------------------------------------------------------------------


async def test_reserve_holds_up_to_the_available_balance(database: Database, org: Tenant) -> None:
    await funded(database, org.org_id, 300)
    first = await reserve(database, org.org_id, 100, request_id="req_a")
    second = await reserve(database, org.org_id, 200, request_id="req_b")
    assert (first.amount, second.amount) == (100, 200)
    assert first.org_id == org.org_id and first.operation == "phones.validate"
    assert account(org.database_url, org.org_id) == (300, 300)
    reserve_lines = [e for e in entries(org.database_url, org.org_id) if e["kind"] == "reserve"]
    assert {(e["reservation_id"], e["request_id"], e["amount"]) for e in reserve_lines} == {
        (first.id, "req_a", 100),
        (second.id, "req_b", 200),
    }
    assert {(r["id"], r["state"]) for r in reservations(org.database_url, org.org_id)} == {
        (first.id, "open"),
        (second.id, "open"),
    }
    assert_ledger_consistent(org.database_url, org.org_id)


async def test_reserve_beyond_the_available_balance_is_402_and_changes_nothing(
    database: Database, org: Tenant
) -> None:
    await funded(database, org.org_id, 300)
    await reserve(database, org.org_id, 250)
    before = entries(org.database_url, org.org_id)
    with pytest.raises(InsufficientCredits) as raised:
        await reserve(database, org.org_id, 100)
    assert raised.value.status == 402
    assert raised.value.details == {"required": 0.1, "available": 0.05}
    assert account(org.database_url, org.org_id) == (300, 250)
    assert entries(org.database_url, org.org_id) == before
    assert len(reservations(org.database_url, org.org_id)) == 1


async def test_reserve_without_an_account_is_402_with_nothing_available(
    database: Database, org: Tenant
) -> None:
    with pytest.raises(InsufficientCredits) as raised:
        await reserve(database, org.org_id, 1)
    assert raised.value.details == {"required": 0.001, "available": 0.0}
    assert entries(org.database_url, org.org_id) == []


async def test_reserve_refuses_an_amount_that_is_not_positive(
    database: Database, org: Tenant
) -> None:
    await funded(database, org.org_id, 100)
    with pytest.raises(ValueError, match="positive"):
        await reserve(database, org.org_id, 0)


# settle -----------------------------------------------------------------------------------


async def test_settle_captures_what_was_delivered_and_releases_the_rest(
    database: Database, org: Tenant
) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 500, request_id="req_settle")
    async with database.transaction() as session:
        settlement = await credits.settle(session, reservation=held, captured=200)
    assert settlement == credits.Settlement(captured=200, released=300)
    assert account(org.database_url, org.org_id) == (800, 0)
    settled = [e for e in entries(org.database_url, org.org_id) if e["kind"] != "grant"]
    assert sorted((e["kind"], e["amount"]) for e in settled) == [
        ("capture", 200),
        ("release", 300),
        ("reserve", 500),
    ]
    for entry in settled:
        assert entry["reservation_id"] == held.id
        assert entry["request_id"] == "req_settle"
        assert entry["operation"] == "phones.validate"
    assert reservations(org.database_url, org.org_id)[0]["state"] == "settled"
    assert_ledger_consistent(org.database_url, org.org_id)


async def test_settling_in_full_writes_no_empty_release(database: Database, org: Tenant) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 400)
    async with database.transaction() as session:
        assert await credits.settle(session, reservation=held, captured=400) == (
            credits.Settlement(captured=400, released=0)
        )
    assert kinds(org.database_url, org.org_id) == [
        ("grant", 1_000),
        ("reserve", 400),
        ("capture", 400),
    ]


async def test_release_charges_nothing(database: Database, org: Tenant) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 400)
    async with database.transaction() as session:
        assert await credits.release(session, reservation=held) == credits.Settlement(0, 400)
    assert account(org.database_url, org.org_id) == (1_000, 0)
    assert kinds(org.database_url, org.org_id) == [
        ("grant", 1_000),
        ("reserve", 400),
        ("release", 400),
    ]


async def test_settling_twice_is_a_no_op(database: Database, org: Tenant) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 400)
    async with database.transaction() as session:
        await credits.settle(session, reservation=held, captured=100)
    after_first = entries(org.database_url, org.org_id)
    async with database.transaction() as session:
        again = await credits.settle(session, reservation=held, captured=400)
    assert again == credits.Settlement(captured=0, released=0)
    assert entries(org.database_url, org.org_id) == after_first
    assert assert_ledger_consistent(org.database_url, org.org_id) == (900, 0)


@pytest.mark.parametrize("captured", [-1, 401])
async def test_settle_refuses_a_capture_outside_the_reservation(
    database: Database, org: Tenant, captured: int
) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 400)
    with pytest.raises(ValueError, match="cannot capture"):
        async with database.transaction() as session:
            await credits.settle(session, reservation=held, captured=captured)
    assert account(org.database_url, org.org_id) == (1_000, 400)


async def test_a_reservation_the_sweeper_expired_charges_nothing_when_settled_late(
    database: Database, org: Tenant
) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 400)
    async with database.transaction() as session:
        swept = await credits.settle(session, reservation=held, captured=0, state="expired")
    assert swept == credits.Settlement(captured=0, released=400)
    async with database.transaction() as session:
        late = await credits.settle(session, reservation=held, captured=400)
    assert late == credits.Settlement(captured=0, released=0)
    assert reservations(org.database_url, org.org_id)[0]["state"] == "expired"
    assert assert_ledger_consistent(org.database_url, org.org_id) == (1_000, 0)
    assert not [e for e in entries(org.database_url, org.org_id) if e["kind"] == "capture"]


# refund -----------------------------------------------------------------------------------


async def test_refund_gives_captured_credits_back(database: Database, org: Tenant) -> None:
    await funded(database, org.org_id, 1_000)
    held = await reserve(database, org.org_id, 300)
    async with database.transaction() as session:
        await credits.settle(session, reservation=held, captured=300)
        balance = await credits.refund(
            session,
            org_id=org.org_id,
            amount=300,
            operation="phones.validate",
            note="wrong number",
            request_id="req_1",
        )
    assert balance == credits.Balance(balance=1_000, reserved=0)
    refund = entries(org.database_url, org.org_id)[-1]
    assert (refund["kind"], refund["amount"], refund["operation"], refund["note"]) == (
        "refund",
        300,
        "phones.validate",
        "wrong number",
    )
    assert_ledger_consistent(org.database_url, org.org_id)


@pytest.mark.parametrize("amount", [0, -100])
async def test_refund_refuses_an_amount_that_is_not_positive(
    database: Database, org: Tenant, amount: int
) -> None:
    await funded(database, org.org_id, 1_000)
    with pytest.raises(InvalidParameter) as raised:
        async with database.transaction() as session:
            await credits.refund(session, org_id=org.org_id, amount=amount)
    assert raised.value.details == {"credits": "must be positive"}
    assert kinds(org.database_url, org.org_id) == [("grant", 1_000)]


# invariants -------------------------------------------------------------------------------


async def test_the_account_always_equals_its_ledger(database: Database, org: Tenant) -> None:
    await funded(database, org.org_id, 5_000)
    held = [await reserve(database, org.org_id, amount) for amount in (100, 700, 1_200, 50)]
    assert_ledger_consistent(org.database_url, org.org_id)
    async with database.transaction() as session:
        await credits.settle(session, reservation=held[0], captured=100)
        await credits.settle(session, reservation=held[1], captured=350)
        await credits.release(session, reservation=held[2])
    async with database.transaction() as session:
        await credits.refund(session, org_id=org.org_id, amount=200)
        await credits.grant(session, org_id=org.org_id, amount=1_000)
    # One reservation is still open: it is part of reserved, not of the balance.
    assert assert_ledger_consistent(org.database_url, org.org_id) == (5_750, 50)


async def test_check_constraints_refuse_a_negative_available_balance_even_in_raw_sql(
    database: Database, org: Tenant
) -> None:
    await funded(database, org.org_id, 100)
    with pytest.raises(IntegrityError):
        execute(
            org.database_url,
            "UPDATE credit_accounts SET reserved = balance + 1 WHERE org_id = :org_id",
            org_id=org.org_id,
        )
    with pytest.raises(IntegrityError):
        execute(
            org.database_url,
            "UPDATE credit_accounts SET balance = -1, reserved = -1 WHERE org_id = :org_id",
            org_id=org.org_id,
        )
    with pytest.raises(IntegrityError):
        execute(
            org.database_url,
            "UPDATE credit_accounts SET balance = balance - 101 WHERE org_id = :org_id",
            org_id=org.org_id,
        )
    assert account(org.database_url, org.org_id) == (100, 0)


async def test_expired_reservations_lists_only_open_holds_past_their_expiry(
    database: Database, org: Tenant
) -> None:
    await funded(database, org.org_id, 1_000)
    stale, settled, fresh = [await reserve(database, org.org_id, 100) for _ in range(3)]
    async with database.transaction() as session:
        await credits.settle(session, reservation=settled, captured=0)
    later = db.utcnow() + HOLD + dt.timedelta(seconds=1)
    execute(
        org.database_url,
        "UPDATE credit_reservations SET expires_at = :past WHERE id IN (:a, :b)",
        past=sql_time(org.database_url, db.utcnow() - dt.timedelta(seconds=1)),
        a=stale.id,
        b=settled.id,
    )
    async with database.transaction() as session:
        now_expired = await credits.expired_reservations(session, now=db.utcnow())
        all_expired = await credits.expired_reservations(session, now=later)
    assert [r.id for r in now_expired] == [stale.id]
    assert {r.id for r in all_expired} == {stale.id, fresh.id}


# usage ------------------------------------------------------------------------------------


async def test_usage_groups_calls_units_and_credits_by_utc_day_and_operation(
    database: Database, org: Tenant
) -> None:
    day = dt.datetime(2024, 3, 10, tzinfo=dt.UTC)
    async with database.transaction() as session:
        for at, operation, units, charged in [
            (day + dt.timedelta(hours=0, minutes=30), "phones.validate", 1, 100),
            (day + dt.timedelta(hours=23, minutes=30), "phones.validate", 0, 0),
            (day + dt.timedelta(hours=12), "emails.find", 1, 1_000),
            (day + dt.timedelta(days=1, hours=1), "phones.validate", 1, 100),
            (day - dt.timedelta(minutes=1), "phones.validate", 1, 100),
        ]:
            session.add(
                UsageEvent(
                    id=new_id("use"),
                    org_id=org.org_id,
                    operation=operation,
                    units=units,
                    charged=charged,
                    request_id=None,
                    created_at=at,
                )
            )
    async with database.transaction() as session:
        report = await credits.usage(
            session, org_id=org.org_id, since=day, until=day + dt.timedelta(days=2)
        )
    assert report == [
        credits.UsageRow(dt.date(2024, 3, 10), "emails.find", calls=1, units=1, charged=1_000),
        credits.UsageRow(dt.date(2024, 3, 10), "phones.validate", calls=2, units=1, charged=100),
        credits.UsageRow(dt.date(2024, 3, 11), "phones.validate", calls=1, units=1, charged=100),
    ]


async def test_usage_days_are_utc_days_whatever_the_database_session_time_zone(
    database_url: str, org: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libpq reads PGTZ when it connects: the session then speaks New York time.
    monkeypatch.setenv("PGTZ", "America/New_York")
    database = Database(database_url)
    try:
        late_evening = dt.datetime(2024, 3, 10, 2, 0, tzinfo=dt.UTC)  # 9 pm the day before in NY
        async with database.transaction() as session:
            session.add(
                UsageEvent(
                    id=new_id("use"),
                    org_id=org.org_id,
                    operation="phones.validate",
                    units=1,
                    charged=100,
                    request_id=None,
                    created_at=late_evening,
                )
            )
        async with database.transaction() as session:
            report = await credits.usage(
                session,
                org_id=org.org_id,
                since=dt.datetime(2024, 3, 9, tzinfo=dt.UTC),
                until=dt.datetime(2024, 3, 11, tzinfo=dt.UTC),
            )
    finally:
        await database.dispose()
    assert [(row.day, row.calls) for row in report] == [(dt.date(2024, 3, 10), 1)]
