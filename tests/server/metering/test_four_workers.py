"""The metering proofs over TCP against four granian workers sharing PostgreSQL and Redis.

One server serves the whole module (starting four workers is the slow part); each test
has an organization of its own, so their balances, keys and windows never meet.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

from leadbase.server.config import Settings
from tests.factories import Tenant
from tests.server.metering import proofs
from tests.server.metering.support import PRICE, tcp_client
from tests.servers import Server, running_server

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

WORKERS = 4


@dataclass(frozen=True)
class FourWorkers:
    server: Server
    database_url: str
    # Its organization's calls get a 30/minute window (org_limits); everyone else's are
    # uncapped, which must be settled before the workers start.
    windowed: Tenant


@pytest.fixture(scope="module")
def four_workers(
    postgres_database: str, redis_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FourWorkers]:
    # Not the per-test prefix (that fixture is per test): this one lives with the module.
    prefix = f"leadbase-test:{uuid.uuid4().hex[:12]}:"
    windowed = asyncio.run(
        proofs.funded_tenant(postgres_database, amount=proofs.WINDOW_CALLS * PRICE)
    )
    settings = Settings(
        database_url=postgres_database,
        redis_url=redis_server,
        redis_prefix=prefix,
        auto_migrate=False,
        log_level="WARNING",
        org_limits={windowed.org_id: {"default": [f"{proofs.WINDOW}/minute"]}},
        **proofs.UNCAPPED,
        **proofs.OVERLAP,
    )
    try:
        with running_server(
            settings, log_dir=tmp_path_factory.mktemp("four-workers"), workers=WORKERS
        ) as server:
            yield FourWorkers(server=server, database_url=postgres_database, windowed=windowed)
    finally:
        client = redis.Redis.from_url(redis_server)
        try:
            keys = list(client.scan_iter(match=prefix + "*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


def test_four_workers_bill_exactly_the_fifty_calls_the_balance_covers(
    four_workers: FourWorkers,
) -> None:
    server = four_workers.server

    async def scenario() -> dict[int, int]:
        tenant = await proofs.funded_tenant(
            four_workers.database_url, amount=proofs.COVERED * PRICE
        )
        async with tcp_client(server.base_url, connections=proofs.BILLING_CALLS) as client:
            await proofs.bill_more_calls_than_covered(client, tenant)
            # Read while the client still holds the connections its calls went over.
            return server.connections_by_worker()

    serving = asyncio.run(scenario())
    # Every worker holds connections it accepted and answered on: all four served.
    assert len(serving) == WORKERS, serving
    assert all(count > 0 for count in serving.values()), serving


def test_four_workers_execute_and_charge_one_key_once(four_workers: FourWorkers) -> None:
    async def scenario() -> None:
        tenant = await proofs.funded_tenant(four_workers.database_url, amount=proofs.KEY_GRANT)
        async with tcp_client(four_workers.server.base_url, connections=proofs.KEY_CALLS) as client:
            await proofs.repeat_one_key_at_once(client, tenant)

    asyncio.run(scenario())


def test_a_rate_window_holds_across_four_workers_and_its_headers_count_down(
    four_workers: FourWorkers,
) -> None:
    server = four_workers.server

    async def scenario() -> dict[int, int]:
        async with tcp_client(server.base_url, connections=proofs.WINDOW_CALLS) as client:
            await proofs.exhaust_a_window_at_once(client, four_workers.windowed)
            return server.connections_by_worker()

    serving = asyncio.run(scenario())
    assert sum(1 for count in serving.values() if count) > 1, serving


def test_headers_count_down_exactly_across_four_workers(four_workers: FourWorkers) -> None:
    async def scenario() -> None:
        async with tcp_client(four_workers.server.base_url, connections=1) as client:
            await proofs.count_down_one_call_at_a_time(client, four_workers.windowed)

    asyncio.run(scenario())
