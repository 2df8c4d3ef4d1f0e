"""A parallel cap holds across four granian workers sharing one Redis, and frees its slots.

(The rate window across four workers is proved in test_four_workers; a slot held by a
killed worker in test_crash_recovery.)"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from leadbase.server.config import Settings
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.metering.proofs import funded_tenant
from tests.server.metering.support import (
    PRICE,
    VALID_PHONE,
    VALIDATE,
    assert_ledger_consistent,
    assert_validated,
    burst,
    configured,
    read_ledger,
    statuses,
    tcp_client,
)
from tests.servers import Server, running_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.parametrize("profile", ["scaled"], indirect=True),
]

WORKERS = 4
GRANTED = 100 * PRICE


async def _burst_over_fresh_connections(
    server: Server, tenant: Tenant, count: int
) -> tuple[list[httpx.Response], dict[int, int]]:
    """``count`` calls at once, each on its own connection; and who served them."""
    async with tcp_client(server.base_url, connections=count) as client:
        responses = await burst(
            count, lambda: client.post(VALIDATE, json=VALID_PHONE, headers=tenant.headers)
        )
        return responses, server.connections_by_worker()


def _assert_several_workers_served(serving: dict[int, int]) -> None:
    assert len(serving) == WORKERS, serving
    assert sum(1 for count in serving.values() if count) > 1, serving


def test_a_parallel_cap_holds_across_four_processes_and_frees_its_slots(
    profile: Settings, tmp_path: Path
) -> None:
    settings = configured(
        profile,
        parallel={"phones.validate": 3},
        # Each admitted call runs for a second, so all ten overlap.
        fault_delay_seconds={"phones.validate": 1.0},
    )
    tenant = asyncio.run(funded_tenant(settings.database_url, amount=GRANTED))

    with running_server(settings, log_dir=tmp_path, workers=WORKERS) as server:
        responses, serving = asyncio.run(_burst_over_fresh_connections(server, tenant, 10))
        # The three slots were given back when their calls finished.
        after, _ = asyncio.run(_burst_over_fresh_connections(server, tenant, 3))
    _assert_several_workers_served(serving)

    assert statuses(responses) == {200: 3, 429: 7}
    for response in responses:
        if response.status_code == 200:
            assert_validated(response)
        else:
            assert_error(
                response,
                429,
                "concurrency_limit_exceeded",
                details={"limit": 3, "operation": "phones.validate", "retry_after": 1},
            )
            assert response.headers["retry-after"] == "1"
    assert statuses(after) == {200: 3}

    ledger = asyncio.run(read_ledger(tenant.database_url, org_id=tenant.org_id))
    assert_ledger_consistent(ledger, granted=GRANTED, captured=6 * PRICE)
    assert ledger.reservations == {"settled": 6}
