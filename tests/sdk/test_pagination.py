"""Pages walk next_cursor lazily: the next page is fetched only when its items are needed."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from leadbase import AsyncPage, Page
from tests.sdk.mock import API_KEY, BASE_URL

KEYS = [f"key_{n}" for n in range(7)]


def _key(key_id: str) -> dict[str, Any]:
    return {
        "id": key_id,
        "name": key_id,
        "prefix": "lb_live_abcd",
        "scopes": [],
        "customer_id": None,
        "requires_customer": False,
        "created_at": "2026-01-01T00:00:00Z",
        "expires_at": None,
        "revoked_at": None,
        "last_used_at": None,
    }


class Listing:
    """A keyset listing of KEYS (cursor = index to start at), counting the pages served."""

    def __init__(self) -> None:
        self.cursors: list[str | None] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            body = json.loads(request.content)
            cursor, limit = body.get("cursor"), body["limit"]
        else:
            cursor, limit = request.url.params.get("cursor"), int(request.url.params["limit"])
        self.cursors.append(cursor)
        start = int(cursor or 0)
        end = min(start + limit, len(KEYS))
        has_more = end < len(KEYS)
        meta = {"request_id": f"req_{start}", "next_cursor": str(end) if has_more else None}
        data = [_key(key_id) for key_id in KEYS[start:end]]
        return httpx.Response(200, json={"data": data, "meta": {**meta, "has_more": has_more}})

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        return self.handle(request)


def _client(listing: Listing) -> Any:
    from leadbase import Leadbase

    http = httpx.Client(transport=httpx.MockTransport(listing.handle))
    return Leadbase(api_key=API_KEY, base_url=BASE_URL, http_client=http)


def _async_client(listing: Listing) -> Any:
    from leadbase import AsyncLeadbase

    http = httpx.AsyncClient(transport=httpx.MockTransport(listing.handle_async))
    return AsyncLeadbase(api_key=API_KEY, base_url=BASE_URL, http_client=http)


def test_iterating_a_page_walks_every_page_lazily() -> None:
    listing = Listing()
    page = _client(listing).api_keys.list(limit=3)
    assert isinstance(page, Page)
    assert [key.id for key in page.data] == KEYS[:3]
    assert page.has_next_page() and page.next_cursor == "3"
    assert listing.cursors == [None]
    walked = iter(page)
    assert [next(walked).id for _ in range(3)] == KEYS[:3]
    assert listing.cursors == [None], "no page fetched before its items are needed"
    assert next(walked).id == "key_3"
    assert listing.cursors == [None, "3"]
    assert [key.id for key in walked] == KEYS[4:]
    assert listing.cursors == [None, "3", "6"]


def test_breaking_early_fetches_nothing_more() -> None:
    listing = Listing()
    for key in _client(listing).api_keys.list(limit=3):
        if key.id == "key_1":
            break
    assert listing.cursors == [None]


def test_pages_one_by_one() -> None:
    listing = Listing()
    pages = list(_client(listing).api_keys.list(limit=3).iter_pages())
    assert [len(page.data) for page in pages] == [3, 3, 1]
    assert [page.request_id for page in pages] == ["req_0", "req_3", "req_6"]
    last = pages[-1]
    assert not last.has_next_page()
    with pytest.raises(RuntimeError, match="last page"):
        last.next_page()


def test_a_cursor_starts_anywhere() -> None:
    listing = Listing()
    assert [key.id for key in _client(listing).api_keys.list(limit=10, cursor="5")] == KEYS[5:]


def test_search_pages_send_the_cursor_in_the_body_each_with_its_own_key() -> None:
    listing = Listing()
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        response = listing.handle(request)
        # Search answers people; reuse the listing's paging around person-shaped rows.
        body = response.json()
        body["data"] = [_person(row["id"]) for row in body["data"]]
        return httpx.Response(200, json=body)

    from leadbase import Leadbase

    client = Leadbase(
        api_key=API_KEY,
        base_url=BASE_URL,
        http_client=httpx.Client(transport=httpx.MockTransport(handle)),
    )
    found = [person.id for person in client.search.people(filters={"has_email": True}, limit=4)]
    assert found == KEYS
    assert [json.loads(request.content) for request in seen] == [
        {"filters": {"has_email": True}, "mode": "database", "limit": 4},
        {"filters": {"has_email": True}, "mode": "database", "limit": 4, "cursor": "4"},
    ]
    keys = [request.headers["Idempotency-Key"] for request in seen]
    assert len(set(keys)) == 2


def _person(person_id: str) -> dict[str, Any]:
    return {
        "id": person_id,
        "first_name": None,
        "last_name": None,
        "full_name": "X",
        "title": None,
        "seniority": None,
        "department": None,
        "company": None,
        "emails": [],
        "phones": [],
        "linkedin_url": None,
        "location": {},
        "source": "test",
        "synthetic": True,
        "updated_at": "2026-01-01T00:00:00+00:00",
        "verified_at": None,
    }


@pytest.mark.anyio
async def test_async_for_walks_every_page_lazily() -> None:
    listing = Listing()
    client = _async_client(listing)
    seen = []
    async for key in client.api_keys.list(limit=3):
        seen.append(key.id)
        if key.id == "key_2":
            assert listing.cursors == [None]
    assert seen == KEYS
    assert listing.cursors == [None, "3", "6"]


@pytest.mark.anyio
async def test_awaiting_the_listing_gives_one_page() -> None:
    listing = Listing()
    page = await _async_client(listing).api_keys.list(limit=3)
    assert isinstance(page, AsyncPage)
    assert [key.id for key in page.data] == KEYS[:3]
    assert listing.cursors == [None]
    second = await page.next_page()
    assert [key.id for key in second.data] == KEYS[3:6]
    assert [key.id async for key in second] == KEYS[3:]
