"""The credit ledger: grant, reserve, settle (capture + release), refund, sweep.

Every change to an account is one conditional UPDATE, so the available balance can't go
negative whatever runs concurrently: PostgreSQL re-checks the WHERE clause on the locked
row, and SQLite runs one writer at a time (transactions begin IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.credits.models import (
    CreditAccount,
    CreditEntry,
    CreditReservation,
    UsageEvent,
)
from leadbase.server.db import utcnow
from leadbase.server.errors import InsufficientCredits, InvalidParameter
from leadbase.server.ids import new_id

MILLICREDITS_PER_CREDIT = 1000

# Every API call reserves and settles: its statements are Core ones on the tables, which
# skip the ORM's unit of work and its in-session synchronization (a third of a single
# enrichment's CPU went there). Nothing here keeps ORM objects of these tables around.
ACCOUNTS = cast(sa.Table, CreditAccount.__table__)
RESERVATIONS = cast(sa.Table, CreditReservation.__table__)
ENTRIES = cast(sa.Table, CreditEntry.__table__)
USAGE = cast(sa.Table, UsageEvent.__table__)

# ... and built once, with bound parameters: a statement object remembers its cache key,
# where one built per call is walked again to find its compiled form.
_HOLD = (
    ACCOUNTS.update()
    .where(
        ACCOUNTS.c.org_id == sa.bindparam("org"),
        ACCOUNTS.c.balance - ACCOUNTS.c.reserved >= sa.bindparam("amount"),
    )
    .values(reserved=ACCOUNTS.c.reserved + sa.bindparam("amount"), updated_at=sa.bindparam("at"))
)
_CLOSE = (
    RESERVATIONS.update()
    .where(RESERVATIONS.c.id == sa.bindparam("reservation"), RESERVATIONS.c.state == "open")
    .values(state=sa.bindparam("closed_as"), settled_at=sa.bindparam("at"))
)
_CAPTURE = (
    ACCOUNTS.update()
    .where(ACCOUNTS.c.org_id == sa.bindparam("org"))
    .values(
        reserved=ACCOUNTS.c.reserved - sa.bindparam("held"),
        balance=ACCOUNTS.c.balance - sa.bindparam("captured"),
        updated_at=sa.bindparam("at"),
    )
)
_INSERT_RESERVATION = RESERVATIONS.insert()
_INSERT_ENTRY = ENTRIES.insert()
_INSERT_USAGE = USAGE.insert()


def to_credits(millicredits: int) -> float:
    return millicredits / MILLICREDITS_PER_CREDIT


class Balance(msgspec.Struct, frozen=True):
    balance: int
    reserved: int

    @property
    def available(self) -> int:
        return self.balance - self.reserved


class Reservation(msgspec.Struct, frozen=True):
    id: str
    org_id: str
    operation: str
    amount: int
    request_id: str | None
    job_id: str | None


class Settlement(msgspec.Struct, frozen=True):
    captured: int
    released: int


async def balance_of(session: AsyncSession, *, org_id: str) -> Balance:
    row = (
        await session.execute(
            sa.select(ACCOUNTS.c.balance, ACCOUNTS.c.reserved).where(ACCOUNTS.c.org_id == org_id)
        )
    ).one_or_none()
    if row is None:
        return Balance(balance=0, reserved=0)
    return Balance(balance=row.balance, reserved=row.reserved)


async def grant(
    session: AsyncSession,
    *,
    org_id: str,
    amount: int,
    note: str | None = None,
    request_id: str | None = None,
) -> Balance:
    return await _add_to_balance(
        session, org_id=org_id, kind="grant", amount=amount, note=note, request_id=request_id
    )


def _insufficient(amount: int, available: int, units: int) -> InsufficientCredits:
    message = (
        f"This call needs {to_credits(amount):g} credits; {to_credits(available):g} are available."
    )
    details: dict[str, Any] = {"required": to_credits(amount), "available": to_credits(available)}
    if units > 1:
        # A search of limit 2500 that finds 3 still reserves 2500 results: say how to ask less.
        message += (
            f" That is the most it can cost ({units:,} x {to_credits(amount // units):g}),"
            " held until it is done; only what it delivers is charged. A lower limit or"
            " fewer rows holds less."
        )
        details["units"] = units
    return InsufficientCredits(message, details=details)


async def reserve(
    session: AsyncSession,
    *,
    org_id: str,
    operation: str,
    amount: int,
    timeout: dt.timedelta,
    request_id: str | None = None,
    job_id: str | None = None,
    units: int = 1,
) -> Reservation:
    """Hold ``amount`` (``units`` of the operation at most) or raise 402
    insufficient_credits; commit it before performing."""
    if amount <= 0:
        raise ValueError("a reservation must be positive; free calls are not reserved")
    now = utcnow()
    held = await session.execute(_HOLD, {"org": org_id, "amount": amount, "at": now})
    if held.rowcount != 1:  # type: ignore[attr-defined]
        available = (await balance_of(session, org_id=org_id)).available
        raise _insufficient(amount, available, units)
    reservation = Reservation(
        id=new_id("res"),
        org_id=org_id,
        operation=operation,
        amount=amount,
        request_id=request_id,
        job_id=job_id,
    )
    await session.execute(
        _INSERT_RESERVATION,
        {
            "id": reservation.id,
            "org_id": org_id,
            "operation": operation,
            "amount": amount,
            "request_id": request_id,
            "job_id": job_id,
            "state": "open",
            "created_at": now,
            "expires_at": now + timeout,
            "settled_at": None,
        },
    )
    await _entry(
        session,
        org_id=org_id,
        kind="reserve",
        amount=amount,
        operation=operation,
        reservation_id=reservation.id,
        request_id=request_id,
        job_id=job_id,
    )
    return reservation


async def settle(
    session: AsyncSession, *, reservation: Reservation, captured: int, state: str = "settled"
) -> Settlement:
    """Capture what was delivered and release the rest, exactly once per reservation."""
    if not 0 <= captured <= reservation.amount:
        raise ValueError(f"cannot capture {captured} of a {reservation.amount} reservation")
    now = utcnow()
    closed = await session.execute(
        _CLOSE, {"reservation": reservation.id, "closed_as": state, "at": now}
    )
    if closed.rowcount != 1:  # type: ignore[attr-defined]
        # The sweeper released it first: the hold is gone, so nothing can be charged.
        return Settlement(captured=0, released=0)
    released = reservation.amount - captured
    await session.execute(
        _CAPTURE,
        {"org": reservation.org_id, "held": reservation.amount, "captured": captured, "at": now},
    )
    for kind, amount in (("capture", captured), ("release", released)):
        if amount:
            await _entry(
                session,
                org_id=reservation.org_id,
                kind=kind,
                amount=amount,
                operation=reservation.operation,
                reservation_id=reservation.id,
                request_id=reservation.request_id,
                job_id=reservation.job_id,
            )
    return Settlement(captured=captured, released=released)


async def release(session: AsyncSession, *, reservation: Reservation) -> Settlement:
    return await settle(session, reservation=reservation, captured=0)


async def refund(
    session: AsyncSession,
    *,
    org_id: str,
    amount: int,
    operation: str | None = None,
    note: str | None = None,
    request_id: str | None = None,
) -> Balance:
    """Give back credits that were captured (an operator's correction)."""
    return await _add_to_balance(
        session,
        org_id=org_id,
        kind="refund",
        amount=amount,
        operation=operation,
        note=note,
        request_id=request_id,
    )


async def _add_to_balance(
    session: AsyncSession,
    *,
    org_id: str,
    kind: str,
    amount: int,
    operation: str | None = None,
    note: str | None = None,
    request_id: str | None = None,
) -> Balance:
    if amount <= 0:
        # A negative grant or refund would be a debit that no reservation ever covered.
        raise InvalidParameter(
            f"A {kind} must be a positive amount.",
            param="credits",
            details={"credits": "must be positive"},
        )
    await _ensure_account(session, org_id=org_id)
    await session.execute(
        ACCOUNTS.update()
        .where(ACCOUNTS.c.org_id == org_id)
        .values(balance=ACCOUNTS.c.balance + amount, updated_at=utcnow())
    )
    await _entry(
        session,
        org_id=org_id,
        kind=kind,
        amount=amount,
        operation=operation,
        note=note,
        request_id=request_id,
    )
    return await _fresh_balance(session, org_id=org_id)


async def expired_reservations(
    session: AsyncSession, *, now: dt.datetime, limit: int = 100
) -> list[Reservation]:
    rows = await session.scalars(
        sa.select(CreditReservation)
        .where(CreditReservation.state == "open", CreditReservation.expires_at <= now)
        .order_by(CreditReservation.expires_at)
        .limit(limit)
    )
    return [
        Reservation(
            id=row.id,
            org_id=row.org_id,
            operation=row.operation,
            amount=row.amount,
            request_id=row.request_id,
            job_id=row.job_id,
        )
        for row in rows
    ]


async def record_usage(
    session: AsyncSession,
    *,
    org_id: str,
    operation: str,
    units: int,
    charged: int,
    request_id: str | None,
) -> None:
    await session.execute(
        _INSERT_USAGE,
        {
            "id": new_id("use"),
            "org_id": org_id,
            "operation": operation,
            "units": units,
            "charged": charged,
            "request_id": request_id,
            "created_at": utcnow(),
        },
    )


async def entries_page(
    session: AsyncSession, *, org_id: str, limit: int, after: str | None = None
) -> tuple[list[CreditEntry], bool]:
    query = (
        sa.select(CreditEntry).where(CreditEntry.org_id == org_id).order_by(CreditEntry.id.desc())
    )
    if after is not None:
        query = query.where(CreditEntry.id < after)
    rows = list(await session.scalars(query.limit(limit + 1)))
    return rows[:limit], len(rows) > limit


class UsageRow(msgspec.Struct, frozen=True):
    day: dt.date
    operation: str
    calls: int
    units: int
    charged: int


async def usage(
    session: AsyncSession, *, org_id: str, since: dt.datetime, until: dt.datetime
) -> list[UsageRow]:
    day = _utc_day(session)
    rows = await session.execute(
        sa.select(
            day.label("day"),
            UsageEvent.operation,
            sa.func.count(),
            sa.func.sum(UsageEvent.units),
            sa.func.sum(UsageEvent.charged),
        )
        .where(
            UsageEvent.org_id == org_id,
            UsageEvent.created_at >= since,
            UsageEvent.created_at < until,
        )
        .group_by(day, UsageEvent.operation)
        .order_by(day, UsageEvent.operation)
    )
    return [
        UsageRow(
            day=value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)),
            operation=operation,
            calls=int(calls),
            units=int(units or 0),
            charged=int(charged or 0),
        )
        for value, operation, calls, units, charged in rows
    ]


def _utc_day(session: AsyncSession) -> sa.ColumnElement[Any]:
    # PostgreSQL's date() of a timestamptz follows the session's TimeZone (PGTZ, say).
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone("UTC", UsageEvent.created_at))
    return sa.func.date(UsageEvent.created_at)  # SQLite stores naive UTC


async def _ensure_account(session: AsyncSession, *, org_id: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(CreditAccount)
        .values(org_id=org_id, balance=0, reserved=0, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["org_id"])
    )


async def _fresh_balance(session: AsyncSession, *, org_id: str) -> Balance:
    row = (
        await session.execute(
            sa.select(CreditAccount.balance, CreditAccount.reserved).where(
                CreditAccount.org_id == org_id
            )
        )
    ).one()
    return Balance(balance=row.balance, reserved=row.reserved)


async def _entry(
    session: AsyncSession,
    *,
    org_id: str,
    kind: str,
    amount: int,
    operation: str | None = None,
    reservation_id: str | None = None,
    request_id: str | None = None,
    job_id: str | None = None,
    note: str | None = None,
) -> None:
    await session.execute(
        _INSERT_ENTRY,
        {
            "id": new_id("txn"),
            "org_id": org_id,
            "kind": kind,
            "amount": amount,
            "operation": operation,
            "reservation_id": reservation_id,
            "request_id": request_id,
            "job_id": job_id,
            "note": note,
            "created_at": utcnow(),
        },
    )
