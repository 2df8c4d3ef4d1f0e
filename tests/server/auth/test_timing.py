"""Rejecting an unknown key and a revoked key must not differ measurably in time.

Two checks: structurally, both rejections run the very same database statements (one
lookup on a cache miss, none on a hit); statistically, their latencies through the ASGI
app have the same median, measured interleaved so machine noise hits both alike.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import event

from leadbase.server.app import create_app
from leadbase.server.auth.keys import generate_secret
from leadbase.server.config import Settings
from leadbase.server.db import utcnow
from leadbase.server.pipeline import services_of
from tests.factories import Tenant
from tests.server.auth.support import bearer, new_key, update_key

ROUNDS = 300
WARM_UP_ROUNDS = 30
# The medians may differ by at most this share of the larger one, or by this much outright.
RELATIVE_TOLERANCE = 0.15
ABSOLUTE_TOLERANCE_SECONDS = 0.0003


def _revoked_secret(tenant: Tenant) -> str:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    update_key(tenant.database_url, key_id, revoked_at=utcnow())
    return secret


@contextmanager
def _statements(app: Litestar) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    engine = services_of(app.state).database.engine.sync_engine
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _rejection_statements(
    client: TestClient[Litestar], app: Litestar, secret: str, *, cold: bool
) -> list[str]:
    if cold:
        services_of(app.state).authenticator.forget_key()
    with _statements(app) as seen:
        response = client.get("/v1/account", headers=bearer(secret))
    assert response.status_code == 401, response.text
    return seen


def test_unknown_and_revoked_keys_run_the_same_lookup(
    client: TestClient[Litestar], app: Litestar, tenant: Tenant
) -> None:
    unknown, revoked = generate_secret(), _revoked_secret(tenant)

    cold_unknown = _rejection_statements(client, app, unknown, cold=True)
    cold_revoked = _rejection_statements(client, app, revoked, cold=True)
    assert cold_unknown == cold_revoked
    lookups = [sql for sql in cold_unknown if "api_keys" in sql]
    assert len(lookups) == 1, cold_unknown
    assert lookups[0].lstrip().upper().startswith("SELECT"), lookups

    # Once both lookups are cached, neither rejection touches the database.
    _rejection_statements(client, app, unknown, cold=False)
    assert _rejection_statements(client, app, unknown, cold=False) == []
    assert _rejection_statements(client, app, revoked, cold=False) == []


async def _median_rejection_seconds(
    app: Litestar, unknown: str, revoked: str
) -> tuple[float, float]:
    """Medians for (unknown, revoked), alternating which goes first in each round.

    The requests go straight into the ASGI app from this event loop: no server thread and
    no background task of the app's lifespan add their noise to the measurement.
    """
    samples: dict[str, list[float]] = {unknown: [], revoked: []}
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar types its ASGI args precisely
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for round_number in range(WARM_UP_ROUNDS + ROUNDS):
            order = (unknown, revoked) if round_number % 2 == 0 else (revoked, unknown)
            for secret in order:
                started = time.perf_counter()
                response = await client.get("/v1/account", headers=bearer(secret))
                elapsed = time.perf_counter() - started
                assert response.status_code == 401, response.text
                if round_number >= WARM_UP_ROUNDS:
                    samples[secret].append(elapsed)
    return statistics.median(samples[unknown]), statistics.median(samples[revoked])


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _assert_indistinguishable(unknown_median: float, revoked_median: float) -> None:
    larger = max(unknown_median, revoked_median)
    tolerance = max(RELATIVE_TOLERANCE * larger, ABSOLUTE_TOLERANCE_SECONDS)
    difference = abs(unknown_median - revoked_median)
    assert difference < tolerance, (
        f"median rejection: unknown {unknown_median * 1000:.3f} ms, "
        f"revoked {revoked_median * 1000:.3f} ms; tolerance {tolerance * 1000:.3f} ms"
    )


@pytest.mark.parametrize("cache", ["cached", "after cache expiry"])
def test_an_unknown_key_and_a_revoked_key_are_rejected_in_the_same_time(
    settings: Settings, tenant: Tenant, cache: str
) -> None:
    # A zero lifetime makes every lookup find its cache entry expired, as after a second;
    # an hour keeps every lookup cached for the whole measurement.
    cache_seconds = 3600.0 if cache == "cached" else 0.0
    app = create_app(msgspec.structs.replace(settings, key_cache_seconds=cache_seconds))
    unknown, revoked = generate_secret(), _revoked_secret(tenant)

    async def measure() -> tuple[float, float]:
        try:
            return await _median_rejection_seconds(app, unknown, revoked)
        finally:
            await services_of(app.state).database.dispose()

    with _no_garbage_collection():
        unknown_median, revoked_median = asyncio.run(measure())
    _assert_indistinguishable(unknown_median, revoked_median)
