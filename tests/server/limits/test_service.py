"""Rate windows and parallel leases on both twins: memory (embedded) and Redis (scaled)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest
import redis

from leadbase.server.config import Settings
from leadbase.server.errors import ConcurrencyLimitExceeded, RateLimitExceeded
from leadbase.server.limits.service import (
    DEFAULT_PARALLEL,
    FALLBACK_PARALLEL,
    Limiter,
    RateLimitDecision,
    build_limiter,
)

pytestmark = pytest.mark.anyio

ME = ("key_1", "-")
Build = Callable[..., Limiter]


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def twin(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings fields that pick the limiter's storage."""
    if request.param == "memory":
        return {}
    return {
        "redis_url": request.getfixturevalue("redis_server"),
        "redis_prefix": request.getfixturevalue("redis_prefix"),
    }


@pytest.fixture
async def build(twin: dict[str, Any]) -> AsyncIterator[Build]:
    built: list[Limiter] = []

    def make(**settings: Any) -> Limiter:
        limiter = build_limiter(Settings(**twin, **settings))
        built.append(limiter)
        return limiter

    yield make
    for limiter in built:
        await limiter.close()


async def hit(
    limiter: Limiter, identity: tuple[str, ...] = ME, **options: str
) -> RateLimitDecision:
    values = {"limit_class": "default", "org_id": "org_1", **options}
    return await limiter.hit(identity=identity, **values)


# Rate windows ---------------------------------------------------------------------------


async def test_each_call_counts_down_the_window(build: Build) -> None:
    limiter = build(limits={"default": ["3/minute"]})
    before = time.time()
    decisions = [await hit(limiter) for _ in range(3)]
    assert [(d.limit, d.remaining, d.window) for d in decisions] == [
        (3, 2, "3/minute"),
        (3, 1, "3/minute"),
        (3, 0, "3/minute"),
    ]
    # The window frees its oldest call a minute after it was made.
    assert before + 59 <= decisions[0].reset_at <= time.time() + 61


async def test_the_call_over_the_limit_is_429_with_retry_after_and_both_header_families(
    build: Build,
) -> None:
    limiter = build(limits={"default": ["3/minute"]})
    for _ in range(3):
        await hit(limiter)
    with pytest.raises(RateLimitExceeded) as raised:
        await hit(limiter)
    error = raised.value
    assert error.status == 429
    assert error.details is not None
    retry_after = error.details["retry_after"]
    assert error.details == {
        "limit": "3/minute",
        "limit_class": "default",
        "retry_after": retry_after,
    }
    assert 1 <= retry_after <= 60
    now = time.time()
    assert set(error.headers) == {
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "Retry-After",
    }
    assert error.headers["Retry-After"] == str(retry_after)
    assert error.headers["X-RateLimit-Limit"] == error.headers["RateLimit-Limit"] == "3"
    assert error.headers["X-RateLimit-Remaining"] == error.headers["RateLimit-Remaining"] == "0"
    assert abs(int(error.headers["RateLimit-Reset"]) - retry_after) <= 1
    assert now <= int(error.headers["X-RateLimit-Reset"]) <= now + 61
    # A refused call is not counted: the window still holds three.
    with pytest.raises(RateLimitExceeded):
        await hit(limiter)


async def test_a_call_refused_by_one_window_is_not_counted_in_the_others(build: Build) -> None:
    limiter = build(limits={"default": ["3/10 seconds", "1/second"]})
    await hit(limiter)
    for _ in range(2):
        with pytest.raises(RateLimitExceeded) as raised:
            await hit(limiter)
        assert raised.value.details is not None
        assert raised.value.details["limit"] == "1/second"
    await anyio.sleep(1.1)
    # Only one call went through in the last ten seconds: two of three are left.
    decision = await hit(limiter)
    assert (decision.window, decision.remaining) == ("1/second", 0)
    assert (await hit(limiter, ("key_2", "-"))).remaining == 0


async def test_the_most_constraining_window_is_reported(build: Build) -> None:
    limiter = build(limits={"default": ["5/minute", "2/hour"]})
    first = await hit(limiter)
    assert (first.limit, first.remaining, first.window) == (2, 1, "2/hour")
    second = await hit(limiter)
    assert (second.remaining, second.window) == (0, "2/hour")
    with pytest.raises(RateLimitExceeded) as raised:
        await hit(limiter)
    assert raised.value.details is not None
    assert raised.value.details["limit"] == "2/hour"
    assert 60 < raised.value.details["retry_after"] <= 3600


async def test_when_every_window_is_full_the_one_that_frees_last_is_reported(
    build: Build,
) -> None:
    limiter = build(limits={"default": ["1/minute", "1/hour"]})
    await hit(limiter)
    with pytest.raises(RateLimitExceeded) as raised:
        await hit(limiter)
    assert raised.value.details is not None
    assert raised.value.details["limit"] == "1/hour"
    assert 3_500 < raised.value.details["retry_after"] <= 3_600
    assert raised.value.headers["Retry-After"] == str(raised.value.details["retry_after"])


async def test_the_window_with_the_least_left_wins_even_when_it_is_the_shorter(
    build: Build,
) -> None:
    limiter = build(limits={"default": ["2/minute", "100/hour"]})
    decision = await hit(limiter)
    assert (decision.limit, decision.remaining, decision.window) == (2, 1, "2/minute")


async def test_a_window_of_several_units_is_described_with_its_multiple(build: Build) -> None:
    limiter = build(limits={"default": ["1/10 minutes"]})
    assert (await hit(limiter)).window == "1/10 minutes"
    with pytest.raises(RateLimitExceeded) as raised:
        await hit(limiter)
    assert raised.value.details is not None
    assert raised.value.details["limit"] == "1/10 minutes"
    assert 540 < raised.value.details["retry_after"] <= 600


async def test_the_built_in_windows_are_120_a_minute_1000_an_hour_and_10_bulk_a_minute(
    build: Build,
) -> None:
    limiter = build()
    assert [str(item) for item in limiter.windows_for("default", "org_1")] == [
        "120 per 1 minute",
        "1000 per 1 hour",
    ]
    assert [str(item) for item in limiter.windows_for("bulk", "org_1")] == ["10 per 1 minute"]
    decision = await hit(limiter)
    assert (decision.limit, decision.remaining) == (120, 119)


async def test_a_class_without_windows_uses_the_default_ones(build: Build) -> None:
    limiter = build(limits={"default": ["7/minute"]})
    assert [str(item) for item in limiter.windows_for("search", "org_1")] == ["7 per 1 minute"]


async def test_bulk_calls_have_a_counter_of_their_own(build: Build) -> None:
    limiter = build(limits={"default": ["2/minute"], "bulk": ["1/minute"]})
    await hit(limiter)
    await hit(limiter)
    bulk = await hit(limiter, limit_class="bulk")
    assert (bulk.limit, bulk.remaining, bulk.window) == (1, 0, "1/minute")
    with pytest.raises(RateLimitExceeded) as default_refused:
        await hit(limiter)
    with pytest.raises(RateLimitExceeded) as bulk_refused:
        await hit(limiter, limit_class="bulk")
    assert default_refused.value.details is not None and bulk_refused.value.details is not None
    assert default_refused.value.details["limit_class"] == "default"
    assert bulk_refused.value.details["limit_class"] == "bulk"


async def test_each_key_and_customer_has_its_own_windows(build: Build) -> None:
    limiter = build(limits={"default": ["1/minute"]})
    await hit(limiter, ("key_1", "-"))
    assert (await hit(limiter, ("key_2", "-"))).remaining == 0
    assert (await hit(limiter, ("key_1", "org_customer"))).remaining == 0
    with pytest.raises(RateLimitExceeded):
        await hit(limiter, ("key_1", "-"))


async def test_an_organization_override_replaces_its_windows_only(build: Build) -> None:
    limiter = build(
        limits={"default": ["5/minute"]},
        org_limits={"org_small": {"default": ["1/minute"]}, "org_big": {"bulk": ["50/minute"]}},
    )
    assert (await hit(limiter, org_id="org_small")).limit == 1
    with pytest.raises(RateLimitExceeded):
        await hit(limiter, org_id="org_small")
    assert (await hit(limiter, ("key_2", "-"), org_id="org_other")).limit == 5
    # An override of one class leaves the others at the defaults.
    assert (await hit(limiter, ("key_3", "-"), org_id="org_big")).limit == 5
    assert (await hit(limiter, ("key_3", "-"), org_id="org_big", limit_class="bulk")).limit == 50


def test_decision_headers_give_the_reset_as_an_epoch_and_as_seconds_from_now() -> None:
    decision = RateLimitDecision(limit=10, remaining=4, reset_at=1_000.2, window="10/minute")
    assert decision.headers(now=970.0) == {
        "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": "4",
        "X-RateLimit-Reset": "1001",
        "RateLimit-Limit": "10",
        "RateLimit-Remaining": "4",
        "RateLimit-Reset": "31",
    }
    assert decision.headers(now=2_000.0)["RateLimit-Reset"] == "0"


# Parallel leases -----------------------------------------------------------------------


def test_parallel_caps_default_to_generects_and_50_for_the_rest() -> None:
    limiter = build_limiter(Settings(parallel={"phones.validate": 3}))
    assert DEFAULT_PARALLEL == {
        "search.companies": 20,
        "companies.enrich": 50,
        "search.people": 50,
        "people.enrich": 500,
    }
    assert limiter.cap_for("people.enrich") == 500
    assert limiter.cap_for("search.companies") == 20
    assert limiter.cap_for("phones.validate") == 3
    assert limiter.cap_for("anything.else") == FALLBACK_PARALLEL == 50


async def test_the_parallel_cap_is_enforced_and_a_released_slot_is_reusable(
    build: Build,
) -> None:
    limiter = build(parallel={"phones.validate": 2})
    first = await limiter.acquire(identity=ME, operation="phones.validate")
    await limiter.acquire(identity=ME, operation="phones.validate")
    with pytest.raises(ConcurrencyLimitExceeded) as raised:
        await limiter.acquire(identity=ME, operation="phones.validate")
    assert raised.value.status == 429
    assert raised.value.details == {"limit": 2, "operation": "phones.validate", "retry_after": 1}
    assert raised.value.headers == {"Retry-After": "1"}
    await limiter.release(first)
    await limiter.acquire(identity=ME, operation="phones.validate")
    with pytest.raises(ConcurrencyLimitExceeded):
        await limiter.acquire(identity=ME, operation="phones.validate")


async def test_releasing_a_slot_twice_frees_only_one(build: Build) -> None:
    limiter = build(parallel={"phones.validate": 2})
    first = await limiter.acquire(identity=ME, operation="phones.validate")
    await limiter.acquire(identity=ME, operation="phones.validate")
    await limiter.release(first)
    await limiter.release(first)
    await limiter.acquire(identity=ME, operation="phones.validate")
    with pytest.raises(ConcurrencyLimitExceeded):
        await limiter.acquire(identity=ME, operation="phones.validate")


async def test_caps_are_per_identity_and_per_operation(build: Build) -> None:
    limiter = build(parallel={"phones.validate": 1, "emails.find": 1})
    await limiter.acquire(identity=ME, operation="phones.validate")
    await limiter.acquire(identity=ME, operation="emails.find")
    await limiter.acquire(identity=("key_2", "-"), operation="phones.validate")
    await limiter.acquire(identity=("key_1", "org_customer"), operation="phones.validate")
    with pytest.raises(ConcurrencyLimitExceeded):
        await limiter.acquire(identity=ME, operation="phones.validate")


async def test_a_lease_a_dead_process_never_released_expires_on_its_own(build: Build) -> None:
    # Leases live as long as a reservation: reservation_timeout_seconds.
    limiter = build(
        parallel={"phones.validate": 1},
        operation_timeout_seconds=0.1,
        reservation_timeout_seconds=0.3,
    )
    await limiter.acquire(identity=ME, operation="phones.validate")
    with pytest.raises(ConcurrencyLimitExceeded):
        await limiter.acquire(identity=ME, operation="phones.validate")
    await anyio.sleep(0.4)
    await limiter.acquire(identity=ME, operation="phones.validate")


@pytest.mark.redis
async def test_redis_keys_live_under_the_prefix_and_leases_carry_a_ttl(
    redis_server: str, redis_prefix: str
) -> None:
    limiter = build_limiter(
        Settings(
            redis_url=redis_server,
            redis_prefix=redis_prefix,
            operation_timeout_seconds=1,
            reservation_timeout_seconds=30,
        )
    )
    try:
        await hit(limiter)
        await limiter.acquire(identity=ME, operation="phones.validate")
    finally:
        await limiter.close()
    client = redis.Redis.from_url(redis_server)
    try:
        keys = sorted(key.decode() for key in client.scan_iter(match=redis_prefix + "*"))
        lease_key = f"{redis_prefix}parallel:phones.validate:key_1:-"
        assert lease_key in keys
        assert all(key.startswith(redis_prefix) for key in keys)
        assert any(key.startswith(redis_prefix + "rate") for key in keys)
        assert 0 < client.pttl(lease_key) <= 30_000
        assert client.zcard(lease_key) == 1
    finally:
        client.close()
