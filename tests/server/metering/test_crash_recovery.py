"""A worker SIGKILLed in the middle of a billed call: its hold stays until the sweeper
releases it, nothing is charged, and (with Redis) its parallel lease frees itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import httpx
import pytest

from leadbase.server.config import Settings
from leadbase.server.credits.sweeper import sweep_once
from leadbase.server.db import Database, utcnow
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.metering.proofs import funded_tenant
from tests.server.metering.support import (
    PRICE,
    VALID_PHONE,
    VALIDATE,
    Hold,
    assert_ledger_consistent,
    assert_validated,
    configured,
    holds,
    read_ledger,
    tcp_client,
    wait_for_open_hold,
)
from tests.servers import Server, running_server

GRANTED = 10 * PRICE
# Long enough that the call is still in perform whenever the test kills its worker.
STUCK = {"phones.validate": 30.0}


async def _kill_mid_call(server: Server, tenant: Tenant) -> Hold:
    """Send one call and SIGKILL the worker performing it once its hold is committed."""
    async with tcp_client(server.base_url, connections=1) as client:
        call = asyncio.create_task(client.post(VALIDATE, json=VALID_PHONE, headers=tenant.headers))
        hold = await wait_for_open_hold(tenant.database_url, org_id=tenant.org_id, call=call)
        worker = server.worker_serving_one_connection()
        await asyncio.to_thread(server.kill_worker, worker)
        # The worker that held the call died: the client gets no answer at all.
        with pytest.raises(httpx.TransportError):
            await call
    return hold


async def _assert_hold_survives_the_crash(tenant: Tenant, hold: Hold) -> None:
    assert hold.amount == PRICE
    ledger = await read_ledger(tenant.database_url, org_id=tenant.org_id)
    assert ledger.reservations == {"open": 1}, ledger
    assert (ledger.balance, ledger.reserved) == (GRANTED, PRICE), ledger
    assert ledger.entries == {"grant": GRANTED, "reserve": PRICE}, ledger


async def _assert_released_uncharged(tenant: Tenant, *, captured: int = 0) -> None:
    ledger = await read_ledger(tenant.database_url, org_id=tenant.org_id)
    assert_ledger_consistent(ledger, granted=GRANTED, captured=captured)
    assert ledger.reservations.get("expired") == 1, ledger
    assert ledger.total("release") == PRICE, ledger
    assert ledger.balance == GRANTED - captured, ledger


def test_a_killed_worker_leaves_its_hold_open_until_the_sweeper_releases_it_uncharged(
    profile: Settings, tmp_path: Path
) -> None:
    settings = configured(profile, fault_delay_seconds=STUCK)
    tenant = asyncio.run(funded_tenant(settings.database_url, amount=GRANTED))

    async def sweep(*, at: dt.datetime) -> int:
        database = Database(settings.database_url)
        try:
            return await sweep_once(database, now=at)
        finally:
            await database.dispose()

    with running_server(settings, log_dir=tmp_path) as server:
        hold = asyncio.run(_kill_mid_call(server, tenant))
    asyncio.run(_assert_hold_survives_the_crash(tenant, hold))
    # Before its timeout the hold may belong to a call still running: it is kept.
    assert asyncio.run(sweep(at=utcnow())) == 0
    asyncio.run(_assert_hold_survives_the_crash(tenant, hold))
    # Once the timeout has passed it can only belong to a dead call: released.
    later = utcnow() + dt.timedelta(seconds=settings.reservation_timeout_seconds)
    assert asyncio.run(sweep(at=later)) == 1
    asyncio.run(_assert_released_uncharged(tenant))


def test_the_servers_own_sweeper_releases_the_hold_of_a_killed_worker(
    profile: Settings, tmp_path: Path
) -> None:
    settings = configured(
        profile,
        fault_delay_seconds=STUCK,
        operation_timeout_seconds=2.0,
        reservation_timeout_seconds=3.0,
        sweep_interval_seconds=0.2,
    )
    tenant = asyncio.run(funded_tenant(settings.database_url, amount=GRANTED))

    async def wait_until_released(hold_id: str) -> Hold:
        async with asyncio.timeout(20):
            while True:
                (hold,) = await holds(settings.database_url, org_id=tenant.org_id)
                assert hold.id == hold_id
                if hold.state != "open":
                    return hold
                await asyncio.sleep(0.1)

    # The killed worker is replaced: the sweeper that releases the hold runs in a process
    # that never saw the call.
    with running_server(settings, log_dir=tmp_path, respawn=True) as server:
        (first_worker,) = server.worker_pids()
        caught = asyncio.run(_kill_mid_call(server, tenant))
        asyncio.run(_assert_hold_survives_the_crash(tenant, caught))
        released = asyncio.run(wait_until_released(caught.id))
        (replacement,) = server.worker_pids()
        assert replacement != first_worker
    assert released.state == "expired"
    assert released.settled_at is not None and released.settled_at >= caught.expires_at
    asyncio.run(_assert_released_uncharged(tenant))


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.parametrize("profile", ["scaled"], indirect=True)
def test_a_parallel_slot_held_by_a_killed_worker_frees_itself_after_its_ttl(
    profile: Settings, tmp_path: Path
) -> None:
    ttl = 4.0  # reservation_timeout_seconds is also the lease's time to live
    settings = configured(
        profile,
        parallel={"phones.validate": 1},
        # Long enough to kill the caught call's worker first, short enough for the probe.
        fault_delay_seconds={"phones.validate": 2.0},
        operation_timeout_seconds=3.0,
        reservation_timeout_seconds=ttl,
        sweep_interval_seconds=0.2,
    )
    tenant = asyncio.run(funded_tenant(settings.database_url, amount=GRANTED))

    async def probe_until_admitted(sent: float) -> list[tuple[float, httpx.Response]]:
        """One call at a time on a fresh connection (any worker) until one is admitted."""
        probes: list[tuple[float, httpx.Response]] = []
        limits = httpx.Limits(max_keepalive_connections=0)
        async with (
            asyncio.timeout(ttl + 15),
            httpx.AsyncClient(base_url=server.base_url, limits=limits, timeout=30) as client,
        ):
            while not probes or probes[-1][1].status_code == 429:
                started = time.monotonic() - sent
                response = await client.post(VALIDATE, json=VALID_PHONE, headers=tenant.headers)
                probes.append((started, response))
                await asyncio.sleep(0.2)
        return probes

    # Two workers are enough to see one's lease outlive it in the other (and in its heir).
    with running_server(settings, log_dir=tmp_path, workers=2, respawn=True) as server:
        sent = time.monotonic()
        caught = asyncio.run(_kill_mid_call(server, tenant))
        probes = asyncio.run(probe_until_admitted(sent))

        *refused, (admitted_at, admitted) = probes
        # The dead worker's lease outlived it: the next call found the one slot taken ...
        assert refused, probes
        for _, response in refused:
            assert_error(
                response,
                429,
                "concurrency_limit_exceeded",
                details={"limit": 1, "operation": "phones.validate", "retry_after": 1},
            )
        # ... until its time to live ran out, and not much sooner: a probe was still refused
        # within 1.5 s (a few round trips on a loaded machine) of the earliest end, ``ttl``
        # after ``sent``; nor much later.
        last_refused_at = refused[-1][0]
        assert last_refused_at >= ttl - 1.5, probes
        assert admitted_at <= ttl + 3.0, probes
        assert_validated(admitted)

        async def wait_until_released() -> None:
            async with asyncio.timeout(10):
                while (await holds(settings.database_url, org_id=tenant.org_id))[0].state == "open":
                    await asyncio.sleep(0.1)

        asyncio.run(wait_until_released())
    (released, settled) = asyncio.run(holds(settings.database_url, org_id=tenant.org_id))
    assert (released.id, released.state, settled.state) == (caught.id, "expired", "settled")
    asyncio.run(_assert_released_uncharged(tenant, captured=PRICE))
