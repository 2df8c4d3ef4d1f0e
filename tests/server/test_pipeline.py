"""The spine's transactions: a slow call that only reads keeps no other writer waiting."""

from __future__ import annotations

import asyncio
import time

from leadbase.server.config import Settings
from tests.server.catalog.enrich_support import seed_catalog
from tests.server.metering import proofs
from tests.server.metering.support import configured, in_process_client

SLOW_SECONDS = 2.0


def test_a_slow_enrichment_keeps_no_other_billed_call_waiting(profile: Settings) -> None:
    """On SQLite a write transaction holds the database's one write lock: an enrichment
    that took it for its whole (slow) lookup would hold every other call's settlement."""
    settings = configured(profile, fault_delay_seconds={"people.enrich": SLOW_SECONDS})
    seed_catalog(settings.database_url)

    async def scenario() -> float:
        tenant = await proofs.funded_tenant(settings.database_url, amount=100_000)
        async with in_process_client(settings) as client:
            slow = asyncio.create_task(
                client.post(
                    "/v1/people/enrich",
                    json={"email": "jane.doe@acme.com"},
                    headers=tenant.headers,
                )
            )
            await asyncio.sleep(SLOW_SECONDS / 4)
            assert not slow.done()
            started = time.monotonic()
            quick = await client.post(
                "/v1/phones/validate", json={"phone": "+1 650 253 0000"}, headers=tenant.headers
            )
            waited = time.monotonic() - started
            assert quick.status_code == 200, quick.text
            enriched = await slow
            assert enriched.status_code == 200, enriched.text
            assert enriched.json()["meta"]["credits_charged"] == 1.0
            return waited

    waited = asyncio.run(scenario())
    assert waited < SLOW_SECONDS / 2, waited
