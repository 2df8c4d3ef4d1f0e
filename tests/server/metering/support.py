"""What the metering proofs share: a priced call, the ledger as SQL sees it, bursts of calls."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec
import sqlalchemy as sa

from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.credits import service as credits
from leadbase.server.credits.models import CreditReservation
from leadbase.server.db import Database
from tests.envelopes import assert_error
from tests.factories import Tenant

VALIDATE = "/v1/phones/validate"
# A valid number: phones.validate bills one unit for it.
VALID_PHONE = {"phone": "+14155552671"}
PRICE = 100  # millicredits per valid number (0.1 credit), the built-in price
# Generous bounds for one burst on a loaded two-core machine; a hang fails, never blocks.
BURST_TIMEOUT_SECONDS = 60.0


def configured(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with some fields changed, validated again (msgspec's replace skips it)."""
    return msgspec.convert({**msgspec.structs.asdict(settings), **changes}, Settings)


async def grant(database_url: str, *, org_id: str, amount: int) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            await credits.grant(session, org_id=org_id, amount=amount, note="test grant")
    finally:
        await database.dispose()


@asynccontextmanager
async def in_process_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling the app in this event loop, inside the app's lifespan.

    Litestar's AsyncTestClient runs each request to completion on a portal thread, so it
    cannot overlap requests; httpx's ASGITransport can.
    """
    app = create_app(settings)
    # Litestar types its ASGI messages more narrowly than httpx's plain mappings.
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=transport, base_url="http://leadbase.test", timeout=BURST_TIMEOUT_SECONDS
        ) as client,
    ):
        yield client


def tcp_client(base_url: str, *, connections: int) -> httpx.AsyncClient:
    """A client that opens up to ``connections`` sockets and keeps them all open afterwards."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=BURST_TIMEOUT_SECONDS,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


async def burst(count: int, call: Callable[[], Awaitable[httpx.Response]]) -> list[httpx.Response]:
    """``count`` calls at once; bounded, so a hung server fails the test."""
    async with asyncio.timeout(BURST_TIMEOUT_SECONDS):
        return list(await asyncio.gather(*(call() for _ in range(count))))


def statuses(responses: Iterable[httpx.Response]) -> Counter[int]:
    return Counter(response.status_code for response in responses)


def assert_validated(response: httpx.Response) -> dict[str, Any]:
    """A billed validation of VALID_PHONE: its envelope; returns the body."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["data"]["valid"] is True, body
    assert body["data"]["formats"]["e164"] == VALID_PHONE["phone"], body
    assert body["meta"]["credits_charged"] == PRICE / 1000, body
    assert body["meta"]["request_id"] == response.headers["x-request-id"], body
    return body


def assert_insufficient_credits(response: httpx.Response) -> None:
    error = assert_error(
        response,
        402,
        "insufficient_credits",
        param=None,
        details={"required": PRICE / 1000, "available": 0.0},
    )
    assert error["message"] == "This call needs 0.1 credits; 0 are available.", error


async def account_credits(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, float]:
    response = await client.get("/v1/account", headers=tenant.headers)
    assert response.status_code == 200, response.text
    credits_: dict[str, float] = response.json()["data"]["credits"]
    return credits_


async def usage_lines(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    response = await client.get("/v1/account/usage", headers=tenant.headers)
    assert response.status_code == 200, response.text
    lines: list[dict[str, Any]] = response.json()["data"]
    return [
        {key: line[key] for key in ("operation", "calls", "units", "credits")} for line in lines
    ]


# The ledger as the database holds it ---------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    """One organization's credit tables, read straight from SQL."""

    balance: int
    reserved: int
    # Sum of ledger entries by kind (grant, reserve, capture, release, refund).
    entries: dict[str, int]
    # Reservations by state (open, settled, expired).
    reservations: dict[str, int]
    usage_events: int
    usage_units: int
    usage_charged: int

    def total(self, kind: str) -> int:
        return self.entries.get(kind, 0)


async def read_ledger(database_url: str, *, org_id: str) -> Ledger:
    database = Database(database_url)
    try:
        async with database.transaction(write=False) as session:
            account = (
                await session.execute(
                    sa.text("SELECT balance, reserved FROM credit_accounts WHERE org_id = :org"),
                    {"org": org_id},
                )
            ).one()
            entries = await session.execute(
                sa.text(
                    "SELECT kind, SUM(amount) FROM credit_entries WHERE org_id = :org GROUP BY kind"
                ),
                {"org": org_id},
            )
            reservations = await session.execute(
                sa.text(
                    "SELECT state, COUNT(*) FROM credit_reservations WHERE org_id = :org"
                    " GROUP BY state"
                ),
                {"org": org_id},
            )
            usage = (
                await session.execute(
                    sa.text(
                        "SELECT COUNT(*), COALESCE(SUM(units), 0), COALESCE(SUM(charged), 0)"
                        " FROM usage_events WHERE org_id = :org"
                    ),
                    {"org": org_id},
                )
            ).one()
            return Ledger(
                balance=int(account.balance),
                reserved=int(account.reserved),
                entries={kind: int(total) for kind, total in entries},
                reservations={state: int(count) for state, count in reservations},
                usage_events=int(usage[0]),
                usage_units=int(usage[1]),
                usage_charged=int(usage[2]),
            )
    finally:
        await database.dispose()


def assert_ledger_consistent(ledger: Ledger, *, granted: int, captured: int) -> None:
    """Every hold was settled or released, and the balance is what the entries say."""
    assert ledger.total("grant") == granted, ledger
    assert ledger.total("capture") == captured, ledger
    assert ledger.total("reserve") == ledger.total("capture") + ledger.total("release"), ledger
    assert ledger.reservations.get("open", 0) == 0, ledger
    assert ledger.reserved == 0, ledger
    assert ledger.balance == granted - captured + ledger.total("refund"), ledger
    assert ledger.usage_charged == captured, ledger


@dataclass(frozen=True)
class Hold:
    id: str
    state: str
    amount: int
    expires_at: dt.datetime
    settled_at: dt.datetime | None


async def holds(database_url: str, *, org_id: str) -> list[Hold]:
    """The organization's reservations, oldest first."""
    database = Database(database_url)
    try:
        return await _holds(database, org_id=org_id)
    finally:
        await database.dispose()


async def wait_for_open_hold(
    database_url: str, *, org_id: str, call: asyncio.Task[Any], deadline: float = 30.0
) -> Hold:
    """Poll until the organization has an open reservation: ``call`` is in perform."""
    database = Database(database_url)
    try:
        async with asyncio.timeout(deadline):
            while True:
                assert not call.done(), f"the call finished before it was caught: {call}"
                found = [
                    hold for hold in await _holds(database, org_id=org_id) if hold.state == "open"
                ]
                if found:
                    (hold,) = found
                    return hold
                await asyncio.sleep(0.02)
    finally:
        await database.dispose()


async def _holds(database: Database, *, org_id: str) -> list[Hold]:
    async with database.transaction(write=False) as session:
        rows = await session.scalars(
            sa.select(CreditReservation)
            .where(CreditReservation.org_id == org_id)
            .order_by(CreditReservation.created_at)
        )
        return [
            Hold(
                id=row.id,
                state=row.state,
                amount=row.amount,
                expires_at=row.expires_at,
                settled_at=row.settled_at,
            )
            for row in rows
        ]
