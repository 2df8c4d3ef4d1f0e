"""Releases reservations whose call died with its process, and forgets old idempotency keys."""

from __future__ import annotations

import datetime as dt

import anyio
import structlog

from leadbase.server.credits import service as credits
from leadbase.server.db import Database, utcnow
from leadbase.server.idempotency import service as idempotency

logger = structlog.get_logger("leadbase.sweeper")

# How long shutdown waits for a sweep round that is under way.
_ROUND_GRACE_SECONDS = 30.0


async def sweep_once(
    database: Database, *, batch: int = 100, now: dt.datetime | None = None
) -> int:
    """Release every reservation expired by ``now`` (default: the clock); returns how many."""
    released = 0
    while True:
        at = now or utcnow()
        async with database.transaction() as session:
            expired = await credits.expired_reservations(session, now=at, limit=batch)
            for reservation in expired:
                settlement = await credits.settle(
                    session, reservation=reservation, captured=0, state="expired"
                )
                if settlement.released:
                    released += 1
                    logger.warning(
                        "reservation_expired",
                        reservation_id=reservation.id,
                        org_id=reservation.org_id,
                        amount=reservation.amount,
                        request_id=reservation.request_id,
                    )
            await idempotency.purge_expired(session, now=at)
        if len(expired) < batch:
            return released


async def run_sweeper(database: Database, *, interval: float) -> None:
    """Forever, every ``interval`` seconds; a failed round is logged and retried."""
    while True:
        try:
            # Shutdown lets a round finish: an aiosqlite query cancelled mid-flight leaves
            # a connection close that never completes, and the event loop never exits.
            with anyio.move_on_after(_ROUND_GRACE_SECONDS, shield=True):
                await sweep_once(database)
        except Exception:
            logger.exception("sweep_failed")
        await anyio.sleep(interval)
