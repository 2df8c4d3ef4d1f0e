"""Idempotency-Key: claim a key before performing, store the response with the ledger.

Scope is (org, customer, method, path, key) for 24 hours. The same key with the same body
replays the stored response; with another body it is 409 idempotency_key_reused; while the
first request still runs it is 409 idempotency_key_in_use.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import msgspec
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.db import utcnow
from leadbase.server.errors import IdempotencyKeyInUse, IdempotencyKeyReused, InvalidParameter
from leadbase.server.idempotency.models import IdempotencyRecord
from leadbase.server.ids import new_id

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
RETENTION = dt.timedelta(hours=24)


class Scope(msgspec.Struct, frozen=True):
    org_id: str
    acting_org_id: str
    method: str
    path: str
    key: str


class Claim(msgspec.Struct, frozen=True):
    """This request owns the key and must complete or abandon it."""

    record_id: str


class Replay(msgspec.Struct, frozen=True):
    status: int
    content_type: str
    body: bytes


def check_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not 1 <= len(raw) <= MAX_KEY_LENGTH or not raw.isprintable():
        raise InvalidParameter(
            "Idempotency-Key must be 1-255 printable characters.",
            param="Idempotency-Key",
            details={"Idempotency-Key": "1-255 printable characters"},
        )
    return raw


def request_hash(body: bytes) -> str:
    """Bodies that mean the same JSON hash the same, whatever their key order or spacing."""
    try:
        canonical = msgspec.json.encode(msgspec.json.decode(body), order="sorted")
    except msgspec.DecodeError:
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


async def claim(
    session: AsyncSession,
    *,
    scope: Scope,
    body_hash: str,
    request_id: str,
    lock_for: dt.timedelta,
) -> Claim | Replay:
    now = utcnow()
    for _ in range(3):
        record = await _find(session, scope)
        if record is not None and record.expires_at <= now:
            await session.delete(record)
            await session.flush()
            record = None
        if record is None:
            claimed = await _insert(session, scope, body_hash, request_id, now, lock_for)
            if claimed is not None:
                return claimed
            continue  # another process inserted the same key first: read it
        return await _existing(session, record, body_hash, request_id, now, lock_for)
    raise IdempotencyKeyInUse(headers={"Retry-After": "1"})


async def complete(
    session: AsyncSession, *, claim: Claim, status: int, content_type: str, body: bytes
) -> None:
    await session.execute(
        sa.update(IdempotencyRecord)
        .where(IdempotencyRecord.id == claim.record_id)
        .values(state="completed", status=status, content_type=content_type, body=body)
    )


async def abandon(session: AsyncSession, *, claim: Claim) -> None:
    """Forget the key: the request failed before doing anything worth replaying."""
    await session.execute(
        sa.delete(IdempotencyRecord).where(IdempotencyRecord.id == claim.record_id)
    )


async def purge_expired(session: AsyncSession, *, now: dt.datetime) -> int:
    result = await session.execute(
        sa.delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _find(session: AsyncSession, scope: Scope) -> IdempotencyRecord | None:
    return await session.scalar(
        sa.select(IdempotencyRecord).where(
            IdempotencyRecord.org_id == scope.org_id,
            IdempotencyRecord.acting_org_id == scope.acting_org_id,
            IdempotencyRecord.method == scope.method,
            IdempotencyRecord.path == scope.path,
            IdempotencyRecord.key == scope.key,
        )
    )


async def _insert(
    session: AsyncSession,
    scope: Scope,
    body_hash: str,
    request_id: str,
    now: dt.datetime,
    lock_for: dt.timedelta,
) -> Claim | None:
    record = IdempotencyRecord(
        id=new_id("idem"),
        org_id=scope.org_id,
        acting_org_id=scope.acting_org_id,
        method=scope.method,
        path=scope.path,
        key=scope.key,
        request_hash=body_hash,
        state="running",
        request_id=request_id,
        locked_until=now + lock_for,
        created_at=now,
        expires_at=now + RETENTION,
    )
    try:
        async with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return None
    return Claim(record_id=record.id)


async def _existing(
    session: AsyncSession,
    record: IdempotencyRecord,
    body_hash: str,
    request_id: str,
    now: dt.datetime,
    lock_for: dt.timedelta,
) -> Claim | Replay:
    if record.request_hash != body_hash:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used with a different request body; use a new key.",
            param="Idempotency-Key",
        )
    if record.state == "completed":
        assert record.status is not None and record.body is not None
        return Replay(
            status=record.status,
            content_type=record.content_type or "application/json",
            body=record.body,
        )
    if record.locked_until > now:
        # locked_until is when a crashed owner is given up on, not when a live one ends;
        # most calls finish within a second, so that is when to look again.
        raise IdempotencyKeyInUse(
            "A request with this Idempotency-Key is still running.",
            param="Idempotency-Key",
            headers={"Retry-After": "1"},
        )
    # The process that held the key died mid-request: this request takes it over.
    record.request_id = request_id
    record.locked_until = now + lock_for
    await session.flush()
    return Claim(record_id=record.id)
