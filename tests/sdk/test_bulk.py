"""enrich_many: any number of rows in <=500-row calls, bounded concurrency, input order."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from leadbase import AsyncLeadbase, Leadbase, PersonRow
from leadbase._bulk import chunks, map_ordered
from tests.sdk.mock import API_KEY, BASE_URL


class BulkServer:
    """Answers bulk calls: a row is matched when its email starts with "m", else no_match.

    Later chunks answer faster than earlier ones, so completion order is not input order.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most_running = 0
        self.bodies: list[dict[str, Any]] = []
        self.keys: list[str] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        with self.lock:
            self.bodies.append(body)
            self.keys.append(request.headers["Idempotency-Key"])
        results = [
            {
                "row_ref": row["row_ref"],
                "status": "matched" if row["email"][0] == "m" else "no_match",
            }
            for row in body["rows"]
        ]
        matched = sum(result["status"] == "matched" for result in results)
        summary = {
            "total": len(results),
            "matched": matched,
            "no_match": len(results) - matched,
            "failed": 0,
            "billed": matched,
        }
        meta = {
            "request_id": f"req_{body['rows'][0]['row_ref']}",
            "credits_charged": float(matched),
        }
        return httpx.Response(
            200, json={"data": {"summary": summary, "results": results}, "meta": meta}
        )

    def delay(self, request: httpx.Request) -> float:
        first = json.loads(request.content)["rows"][0]["row_ref"]
        return 0.05 if first in ("0", "r0") else 0.0

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            time.sleep(self.delay(request) + 0.01)
            return self.answer(request)
        finally:
            with self.lock:
                self.running -= 1

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        with self.lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            await asyncio.sleep(self.delay(request) + 0.01)
            return self.answer(request)
        finally:
            with self.lock:
                self.running -= 1


def rows(count: int) -> list[PersonRow]:
    return [{"email": f"{'m' if n % 3 == 0 else 'x'}{n}@acme.com"} for n in range(count)]


def test_1234_rows_go_in_three_calls_and_come_back_in_order() -> None:
    server = BulkServer()
    client = Leadbase(
        api_key=API_KEY,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
    )
    result = client.people.enrich_many(rows(1234), concurrency=2)
    assert sorted(len(body["rows"]) for body in server.bodies) == [234, 500, 500]
    assert [row.row_ref for row in result.results] == [str(n) for n in range(1234)]
    assert [row.status == "matched" for row in result.results] == [n % 3 == 0 for n in range(1234)]
    assert result.summary.total == 1234
    assert result.summary.matched == 412
    assert result.summary.no_match == 822
    assert result.summary.billed == 412
    assert result.credits_charged == 412.0
    assert sorted(result.request_ids) == ["req_0", "req_1000", "req_500"]
    assert result.request_ids == ("req_0", "req_500", "req_1000"), "in chunk order"


def test_concurrency_is_bounded() -> None:
    server = BulkServer()
    client = Leadbase(
        api_key=API_KEY,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
    )
    client.people.enrich_many(rows(40), concurrency=3, chunk_size=2)
    assert len(server.bodies) == 20
    assert server.most_running == 3


def test_a_key_prefix_makes_each_chunk_key_deterministic() -> None:
    server = BulkServer()
    client = Leadbase(
        api_key=API_KEY,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handle)),
    )
    client.people.enrich_many(rows(5), chunk_size=2, concurrency=1, idempotency_key="batch-7")
    assert server.keys == ["batch-7:0", "batch-7:1", "batch-7:2"]
    client.people.enrich_many(rows(5), chunk_size=2, concurrency=1)
    generated = server.keys[3:]
    assert len(set(generated)) == 3 and all(key.startswith("lb-sdk-") for key in generated)


def test_given_row_refs_are_kept() -> None:
    planned = list(chunks([{"row_ref": "a"}, {"email": "x"}], size=500, idempotency_key=None))
    assert planned[0].rows == [{"row_ref": "a"}, {"email": "x", "row_ref": "1"}]


@pytest.mark.parametrize(("concurrency", "chunk_size"), [(0, 10), (1, 0), (1, 501)])
def test_bad_sizes_are_refused(concurrency: int, chunk_size: int) -> None:
    client = Leadbase(api_key=API_KEY, base_url=BASE_URL)
    with pytest.raises(ValueError):
        client.people.enrich_many(rows(3), concurrency=concurrency, chunk_size=chunk_size)


def test_an_error_in_one_chunk_stops_the_rest() -> None:
    calls = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            402, json={"error": {"code": "insufficient_credits", "message": "no"}}
        )

    from leadbase import InsufficientCreditsError

    client = Leadbase(
        api_key=API_KEY,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(handle)),
    )
    with pytest.raises(InsufficientCreditsError):
        client.people.enrich_many(rows(100), chunk_size=10, concurrency=1)
    assert len(calls) == 1


@pytest.mark.anyio
async def test_async_enrich_many_keeps_order_and_bounds_tasks() -> None:
    server = BulkServer()
    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle_async))
    client = AsyncLeadbase(api_key=API_KEY, base_url=BASE_URL, http_client=http)
    result = await client.people.enrich_many(rows(30), concurrency=4, chunk_size=3)
    assert [row.row_ref for row in result.results] == [str(n) for n in range(30)]
    assert result.summary.matched == 10
    assert server.most_running == 4


@pytest.mark.anyio
async def test_async_companies_enrich_many() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        results = [{"row_ref": row["row_ref"], "status": "no_match"} for row in body["rows"]]
        summary = {"total": len(results), "matched": 0, "no_match": len(results), "failed": 0}
        return httpx.Response(
            200, json={"data": {"summary": summary, "results": results}, "meta": {}}
        )

    async def handle_async(request: httpx.Request) -> httpx.Response:
        return handle(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle_async))
    client = AsyncLeadbase(api_key=API_KEY, base_url=BASE_URL, http_client=http)
    result = await client.companies.enrich_many(
        [{"domain": f"d{n}.com"} for n in range(7)], chunk_size=5
    )
    assert result.summary.no_match == 7
    # A server that does not say what it billed leaves the total unknown, not 0.
    assert result.summary.billed is None
    assert result.credits_charged == 0.0


def test_stopping_early_cancels_what_has_not_started_and_waits_for_nothing() -> None:
    started: list[int] = []
    release = threading.Event()

    def slow(item: int) -> int:
        started.append(item)
        if item > 0:
            release.wait(5)
        return item

    results = map_ordered(slow, range(10), concurrency=2)
    assert next(results) == 0
    began = time.monotonic()
    results.close()  # the consumer stops (an error, Ctrl-C) while item 1 still runs
    assert time.monotonic() - began < 1.0
    release.set()
    assert len(started) <= 3, "calls not started yet were cancelled"
