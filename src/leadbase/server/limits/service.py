"""Rate windows and parallel-request caps, per (key, customer, operation class).

Windows are ``limits`` moving windows, on its memory storage (embedded profile) or its
Redis storage (scaled profile). A call is counted only when every window of its class
admits it (test, then hit), so a call refused by the hourly window does not use up the
minute's. The headers report the window as read right after counting: under concurrency
that already includes calls counted at the same moment by other processes.

Parallel caps are leases that expire on their own, so a process that dies mid-request
frees its slots after ``lease_seconds``: a dict in one process, a sorted set per identity
in Redis (one Lua script, atomic across processes, on Redis's clock).
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Protocol

import msgspec
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import ConnectionPool, Redis

from leadbase.server.config import Settings
from leadbase.server.errors import ConcurrencyLimitExceeded, RateLimitExceeded

DEFAULT_WINDOWS: dict[str, list[str]] = {
    "default": ["120/minute", "1000/hour"],
    "bulk": ["10/minute"],
}
# Parallel-request caps per operation (Generect's defaults); others get DEFAULT_PARALLEL.
DEFAULT_PARALLEL: dict[str, int] = {
    "search.companies": 20,
    "companies.enrich": 50,
    "search.people": 50,
    "people.enrich": 500,
}
FALLBACK_PARALLEL = 50


class RateLimitDecision(msgspec.Struct, frozen=True):
    """The most constraining window after this call was counted."""

    limit: int
    remaining: int
    reset_at: float
    window: str

    def headers(self, now: float | None = None) -> dict[str, str]:
        reset_in = max(0, math.ceil(self.reset_at - (now if now is not None else time.time())))
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(reset_in),
        }


class Lease(msgspec.Struct, frozen=True):
    key: str
    token: str


class LeaseStore(Protocol):
    async def acquire(self, key: str, token: str, *, cap: int, ttl: float) -> int | None:
        """Take a slot; the number now held, or None when ``cap`` are already held."""

    async def release(self, key: str, token: str) -> None: ...

    async def close(self) -> None: ...


class MemoryLeases:
    def __init__(self) -> None:
        self._leases: dict[str, dict[str, float]] = {}

    async def acquire(self, key: str, token: str, *, cap: int, ttl: float) -> int | None:
        now = time.monotonic()
        held = {t: expiry for t, expiry in self._leases.get(key, {}).items() if expiry > now}
        if len(held) >= cap:
            self._leases[key] = held
            return None
        held[token] = now + ttl
        self._leases[key] = held
        return len(held)

    async def release(self, key: str, token: str) -> None:
        held = self._leases.get(key)
        if held is not None:
            held.pop(token, None)
            if not held:
                del self._leases[key]

    async def close(self) -> None:
        self._leases.clear()


# KEYS[1] = the lease set; ARGV = token, cap, ttl seconds. Server time, so clocks agree.
_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[2]) then
  return -1
end
local ttl_ms = math.floor(tonumber(ARGV[3]) * 1000)
redis.call('ZADD', KEYS[1], now_ms + ttl_ms, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl_ms)
return held + 1
"""


class RedisLeases:
    def __init__(self, client: Redis, *, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self._acquire = client.register_script(_ACQUIRE)

    async def acquire(self, key: str, token: str, *, cap: int, ttl: float) -> int | None:
        held = int(await self._acquire(keys=[self._prefix + key], args=[token, cap, ttl]))
        return None if held < 0 else held

    async def release(self, key: str, token: str) -> None:
        await self._client.zrem(self._prefix + key, token)

    async def close(self) -> None:
        await self._client.aclose()
        # The pool is shared with the limits storage and was handed in, so close it here.
        await self._client.connection_pool.disconnect()


class Limiter:
    def __init__(
        self,
        *,
        storage: Storage,
        leases: LeaseStore,
        windows: Mapping[str, Sequence[str]],
        org_windows: Mapping[str, Mapping[str, Sequence[str]]],
        parallel: Mapping[str, int],
        lease_seconds: float,
    ) -> None:
        self._strategy = MovingWindowRateLimiter(storage)
        self._leases = leases
        self._windows = {name: parse_many(";".join(spec)) for name, spec in windows.items()}
        self._org_windows = {
            org: {name: parse_many(";".join(spec)) for name, spec in classes.items()}
            for org, classes in org_windows.items()
        }
        self._parallel = dict(parallel)
        self._lease_seconds = lease_seconds

    def windows_for(self, limit_class: str, org_id: str) -> list[RateLimitItem]:
        overrides = self._org_windows.get(org_id, {})
        if limit_class in overrides:
            return overrides[limit_class]
        return self._windows.get(limit_class) or self._windows["default"]

    async def hit(
        self, *, identity: Sequence[str], limit_class: str, org_id: str
    ) -> RateLimitDecision:
        """Count one call in every window of the class, or raise 429 rate_limit_exceeded."""
        ids = (limit_class, *identity)
        items = self.windows_for(limit_class, org_id)
        full = [item for item in items if not await self._strategy.test(item, *ids)]
        if not full:
            # Another process may take a window's last slot between test and hit.
            full = [item for item in items if not await self._strategy.hit(item, *ids)]
        if full:
            refused = [await self._decision(item, ids) for item in full]
            # The window that frees up last is the one the caller must wait for.
            raise _rate_limited(max(refused, key=lambda decision: decision.reset_at), limit_class)
        decisions = [await self._decision(item, ids) for item in items]
        return min(decisions, key=lambda decision: (decision.remaining, -decision.reset_at))

    async def _decision(self, item: RateLimitItem, ids: Sequence[str]) -> RateLimitDecision:
        stats = await self._strategy.get_window_stats(item, *ids)
        return RateLimitDecision(
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset_at=stats.reset_time,
            window=_describe(item),
        )

    def cap_for(self, operation: str) -> int:
        return self._parallel.get(operation, FALLBACK_PARALLEL)

    async def acquire(self, *, identity: Sequence[str], operation: str) -> Lease:
        """A parallel-request slot, or 429 concurrency_limit_exceeded."""
        cap = self.cap_for(operation)
        key = ":".join(("parallel", operation, *identity))
        token = uuid.uuid4().hex
        held = await self._leases.acquire(key, token, cap=cap, ttl=self._lease_seconds)
        if held is None:
            raise ConcurrencyLimitExceeded(
                f"At most {cap} {operation} calls may run at once; retry when one finishes.",
                details={"limit": cap, "operation": operation, "retry_after": 1},
                headers={"Retry-After": "1"},
            )
        return Lease(key=key, token=token)

    async def release(self, lease: Lease) -> None:
        await self._leases.release(lease.key, lease.token)

    async def close(self) -> None:
        await self._leases.close()


def _rate_limited(decision: RateLimitDecision, limit_class: str) -> RateLimitExceeded:
    now = time.time()
    retry_after = max(1, math.ceil(decision.reset_at - now))
    return RateLimitExceeded(
        f"Rate limit of {decision.window} reached for {limit_class} calls; retry in {retry_after}s.",
        details={"limit": decision.window, "limit_class": limit_class, "retry_after": retry_after},
        headers={**decision.headers(now), "Retry-After": str(retry_after)},
    )


def _describe(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return (
        f"{item.amount}/{unit}"
        if item.multiples == 1
        else f"{item.amount}/{item.multiples} {unit}s"
    )


def build_limiter(settings: Settings) -> Limiter:
    """Memory storage and leases without a Redis URL (one process), Redis with one."""
    storage: Storage
    leases: LeaseStore
    if settings.redis_url:
        # One connection pool for windows and leases, closed with the leases.
        pool = ConnectionPool.from_url(settings.redis_url)
        storage = RedisStorage(
            _async_uri(settings.redis_url),
            implementation="redispy",
            key_prefix=settings.redis_prefix + "rate",
            connection_pool=pool,  # type: ignore[arg-type]  # documented; typed too narrowly
        )
        leases = RedisLeases(Redis(connection_pool=pool), prefix=settings.redis_prefix)
    else:
        storage = MemoryStorage()
        leases = MemoryLeases()
    return Limiter(
        storage=storage,
        leases=leases,
        windows={**DEFAULT_WINDOWS, **settings.limits},
        org_windows=settings.org_limits,
        parallel={**DEFAULT_PARALLEL, **settings.parallel},
        lease_seconds=settings.reservation_timeout_seconds,
    )


def _async_uri(url: str) -> str:
    return url if url.startswith("async+") else f"async+{url}"
