"""Any number of rows through the 500-row bulk endpoints: chunks, bounded concurrency,
results put back in input order."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol, TypeVar

from leadbase._base import APIRequest
from leadbase._models import BulkResult, BulkSummary, Meta, R
from leadbase._resource import AsyncRequester, SyncRequester

A = TypeVar("A")
T = TypeVar("T")
R_co = TypeVar("R_co", covariant=True)

MAX_BULK_ROWS = 500


@dataclass(frozen=True, slots=True)
class Chunk:
    """One bulk call's rows, with the Idempotency-Key it is sent with (None: generated)."""

    index: int
    rows: list[Mapping[str, object]]
    idempotency_key: str | None


def chunks(
    rows: Iterable[Mapping[str, object]], *, size: int, idempotency_key: str | None
) -> Iterator[Chunk]:
    """Rows in chunks of ``size``; a row without ``row_ref`` gets its input position.

    With ``idempotency_key`` each chunk gets ``"<key>:<chunk index>"``, so that running the
    same rows again with the same key replays the answers instead of billing again.
    """
    check_concurrency_and_size(1, size)
    batch: list[Mapping[str, object]] = []
    index = 0
    for position, row in enumerate(rows):
        batch.append(row if "row_ref" in row else {**row, "row_ref": str(position)})
        if len(batch) == size:
            yield Chunk(index, batch, _chunk_key(idempotency_key, index))
            batch, index = [], index + 1
    if batch:
        yield Chunk(index, batch, _chunk_key(idempotency_key, index))


def check_concurrency_and_size(concurrency: int, size: int) -> None:
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if not 1 <= size <= MAX_BULK_ROWS:
        raise ValueError(f"chunk_size must be between 1 and {MAX_BULK_ROWS}")


def _chunk_key(prefix: str | None, index: int) -> str | None:
    return f"{prefix}:{index}" if prefix else None


class BulkAnswer(Protocol[R_co]):
    """One bulk call's answer (BulkPeopleEnrichment or BulkCompaniesEnrichment)."""

    @property
    def summary(self) -> BulkSummary: ...
    @property
    def results(self) -> tuple[R_co, ...]: ...
    @property
    def meta(self) -> Meta | None: ...


# One chunk's bulk call.
BulkRequest = Callable[[Chunk], APIRequest[BulkAnswer[R]]]


def run(
    client: SyncRequester,
    request: BulkRequest[R],
    rows: Iterable[Mapping[str, object]],
    *,
    concurrency: int,
    chunk_size: int,
    idempotency_key: str | None,
) -> BulkResult[R]:
    """Every chunk of ``rows`` through ``request``, on up to ``concurrency`` threads."""
    check_concurrency_and_size(concurrency, chunk_size)
    planned = chunks(rows, size=chunk_size, idempotency_key=idempotency_key)

    def call(chunk: Chunk) -> BulkAnswer[R]:
        return client._request(request(chunk))

    return combine(map_ordered(call, planned, concurrency=concurrency))


async def run_async(
    client: AsyncRequester,
    request: BulkRequest[R],
    rows: Iterable[Mapping[str, object]],
    *,
    concurrency: int,
    chunk_size: int,
    idempotency_key: str | None,
) -> BulkResult[R]:
    """Every chunk of ``rows`` through ``request``, as up to ``concurrency`` tasks."""
    check_concurrency_and_size(concurrency, chunk_size)
    planned = chunks(rows, size=chunk_size, idempotency_key=idempotency_key)

    async def call(chunk: Chunk) -> BulkAnswer[R]:
        return await client._request(request(chunk))

    return combine(
        [answer async for answer in amap_ordered(call, planned, concurrency=concurrency)]
    )


def combine(answers: Iterable[BulkAnswer[R]]) -> BulkResult[R]:
    """The answers of every chunk, in chunk order, as one result with added-up totals."""
    results: list[R] = []
    totals = {"total": 0, "matched": 0, "no_match": 0, "failed": 0}
    # Each call bills the records it matched once: one matched in two chunks counts twice.
    # A replayed chunk billed nothing now, as credits_charged says.
    billed: int | None = 0
    credits = 0.0
    request_ids: list[str] = []
    for answer in answers:
        results.extend(answer.results)
        for name in totals:
            totals[name] += getattr(answer.summary, name)
        meta = answer.meta or Meta()
        chunk_billed = 0 if meta.replayed else answer.summary.billed
        billed = None if billed is None or chunk_billed is None else billed + chunk_billed
        if not meta.replayed:  # a replay shows what its first call charged, once
            credits += meta.credits_charged or 0.0
        if meta.request_id:
            request_ids.append(meta.request_id)
    return BulkResult(
        summary=BulkSummary(
            total=totals["total"],
            matched=totals["matched"],
            no_match=totals["no_match"],
            failed=totals["failed"],
            billed=billed,
        ),
        results=tuple(results),
        credits_charged=round(credits, 3),
        request_ids=tuple(request_ids),
    )


def map_ordered(
    fn: Callable[[A], T], items: Iterable[A], *, concurrency: int
) -> Generator[T, None, None]:
    """``fn`` over ``items`` on up to ``concurrency`` threads; results lazily, in input order.

    When the consumer stops early (an error, Ctrl-C), calls not started are cancelled and
    the ones running are not waited for.
    """
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="leadbase")
    pending: deque[Future[T]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= concurrency:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False)


async def amap_ordered(
    fn: Callable[[A], Awaitable[T]], items: Iterable[A], *, concurrency: int
) -> AsyncIterator[T]:
    """``fn`` over ``items`` as up to ``concurrency`` tasks; results in input order."""
    pending: deque[asyncio.Future[T]] = deque()
    try:
        for item in items:
            pending.append(asyncio.ensure_future(fn(item)))
            if len(pending) >= concurrency:
                yield await pending.popleft()
        while pending:
            yield await pending.popleft()
    finally:
        for task in pending:
            task.cancel()
