from __future__ import annotations

import asyncio
import base64

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.errors import InvalidCursor, LimitOutOfRange
from leadbase.server.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from tests.envelopes import assert_error
from tests.factories import Tenant, make_key

CURSOR_DETAILS = {"cursor": "malformed or from another listing"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Unit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("after", ["key_01J0000000000000000000000", "", "a=b/c+d", "é ü 名"])
def test_a_cursor_round_trips_within_its_listing(after: str) -> None:
    cursor = encode_cursor("api_keys", after)
    assert decode_cursor("api_keys", cursor) == after


def test_a_cursor_is_url_safe_and_unpadded() -> None:
    cursor = encode_cursor("api_keys", "?&/+=" * 7)
    assert "=" not in cursor
    assert all(char.isalnum() or char in "-_" for char in cursor)


def test_no_cursor_means_the_first_page() -> None:
    assert decode_cursor("api_keys", None) is None


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        "not a cursor",
        "é",
        _b64(b"not json"),
        _b64(b'{"listing": "api_keys", "after": "x"}'),
        _b64(b'["api_keys"]'),
        _b64(b'["api_keys", 7]'),
        _b64(b'["api_keys", "\xff"]'),
    ],
    ids=[
        "empty",
        "punctuation",
        "spaces",
        "non-ascii",
        "not-json",
        "object",
        "short",
        "wrong-type",
        "invalid-utf8",
    ],
)
def test_a_malformed_cursor_is_invalid_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as raised:
        decode_cursor("api_keys", cursor)
    assert raised.value.param == "cursor"
    assert raised.value.details == CURSOR_DETAILS


def test_a_cursor_of_another_listing_is_invalid_cursor() -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor("api_keys", encode_cursor("other", "x"))


@pytest.mark.parametrize("limit", [1, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE])
def test_limits_within_range_pass_through(limit: int) -> None:
    assert check_limit(limit) == limit


@pytest.mark.parametrize("limit", [-1, 0, MAX_PAGE_SIZE + 1])
def test_limits_outside_range_are_limit_out_of_range(limit: int) -> None:
    with pytest.raises(LimitOutOfRange) as raised:
        check_limit(limit)
    assert raised.value.param == "limit"
    assert raised.value.details == {"limit": "must be between 1 and 100"}
    assert raised.value.message == f"limit must be between 1 and 100; got {limit}."


def test_an_endpoint_can_set_its_own_range() -> None:
    assert check_limit(2500, maximum=2500) == 2500
    with pytest.raises(LimitOutOfRange) as raised:
        check_limit(2501, maximum=2500)
    assert raised.value.details == {"limit": "must be between 1 and 2500"}


# Through HTTP: GET /v1/api-keys ----------------------------------------------------------


@pytest.mark.parametrize("limit", [0, 101])
def test_a_limit_out_of_range_is_refused(
    client: TestClient[Litestar], tenant: Tenant, limit: int
) -> None:
    response = client.get("/v1/api-keys", params={"limit": limit}, headers=tenant.headers)
    error = assert_error(
        response,
        400,
        "limit_out_of_range",
        param="limit",
        details={"limit": "must be between 1 and 100"},
    )
    assert error["message"] == f"limit must be between 1 and 100; got {limit}."


def test_a_limit_that_is_not_an_integer_is_an_invalid_parameter(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.get("/v1/api-keys", params={"limit": "ten"}, headers=tenant.headers)
    assert_error(
        response,
        400,
        "invalid_parameter",
        param="limit",
        details={"limit": "expected an integer, got a string"},
    )


@pytest.mark.parametrize(
    "cursor",
    ["garbage!", encode_cursor("other", "x")],
    ids=["garbage", "other-listing"],
)
def test_a_bad_cursor_is_refused(client: TestClient[Litestar], tenant: Tenant, cursor: str) -> None:
    response = client.get("/v1/api-keys", params={"cursor": cursor}, headers=tenant.headers)
    assert_error(response, 400, "invalid_cursor", param="cursor", details=CURSOR_DETAILS)


def test_following_next_cursor_visits_every_key_once_newest_first(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    for _ in range(4):
        asyncio.run(make_key(tenant.database_url, org_id=tenant.org_id))
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2"} if cursor is None else {"limit": "2", "cursor": cursor}
        response = client.get("/v1/api-keys", params=params, headers=tenant.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([key["id"] for key in body["data"]])
        cursor = body["meta"]["next_cursor"]
        assert body["meta"]["has_more"] is (cursor is not None)
        if cursor is None:
            break
    assert [len(page) for page in pages] == [2, 2, 1]
    ids = [key_id for page in pages for key_id in page]
    assert len(set(ids)) == 5
    assert tenant.key_id in ids
    # Ids are time-ordered, so newest first is descending id order.
    assert ids == sorted(ids, reverse=True)


def test_a_short_listing_has_no_next_cursor(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.get("/v1/api-keys", headers=tenant.headers)
    assert response.status_code == 200
    assert response.json()["meta"] == {
        "request_id": response.headers["x-request-id"],
        "next_cursor": None,
        "has_more": False,
    }
