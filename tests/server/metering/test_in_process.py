"""The metering proofs in one process, on both profiles: calls overlap on one event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

from leadbase.server.config import Settings
from tests.factories import Tenant
from tests.server.metering import proofs
from tests.server.metering.support import PRICE, configured, in_process_client

Scenario = Callable[[httpx.AsyncClient, Tenant], Awaitable[None]]


def _run(settings: Settings, scenario: Scenario, *, granted: int) -> None:
    async def run() -> None:
        tenant = await proofs.funded_tenant(settings.database_url, amount=granted)
        async with in_process_client(settings) as client:
            await scenario(client, tenant)

    asyncio.run(run())


def test_two_hundred_concurrent_calls_bill_exactly_the_fifty_the_balance_covers(
    profile: Settings,
) -> None:
    _run(
        configured(profile, **proofs.UNCAPPED),
        proofs.bill_more_calls_than_covered,
        granted=proofs.COVERED * PRICE,
    )


def test_fifty_concurrent_calls_with_one_key_execute_and_charge_once(profile: Settings) -> None:
    _run(
        configured(profile, **proofs.UNCAPPED, **proofs.OVERLAP),
        proofs.repeat_one_key_at_once,
        granted=proofs.KEY_GRANT,
    )


def test_a_window_holds_under_concurrency_and_no_header_overstates_it(profile: Settings) -> None:
    _run(
        configured(profile, limits={"default": [f"{proofs.WINDOW}/minute"]}),
        proofs.exhaust_a_window_at_once,
        granted=proofs.WINDOW_CALLS * PRICE,
    )


def test_headers_count_down_exactly_call_after_call(profile: Settings) -> None:
    _run(
        configured(profile, limits={"default": [f"{proofs.WINDOW}/minute"]}),
        proofs.count_down_one_call_at_a_time,
        granted=proofs.WINDOW_CALLS * PRICE,
    )
