"""Keyset pagination: ``limit`` plus an opaque cursor bound to one listing."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

import msgspec
from litestar.params import QueryParameter

from leadbase.server.errors import InvalidCursor, LimitOutOfRange

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


# The query parameters of every keyset listing, documented once.
PageLimit = Annotated[
    int,
    QueryParameter(
        description=f"Page size, 1-{MAX_PAGE_SIZE}.",
        schema_extra={"minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]
PageCursor = Annotated[str | None, QueryParameter(description="meta.next_cursor of the last page.")]


class _Cursor(msgspec.Struct, array_like=True):
    listing: str
    after: str


def check_limit(limit: int, *, maximum: int = MAX_PAGE_SIZE, minimum: int = 1) -> int:
    if not minimum <= limit <= maximum:
        raise LimitOutOfRange(
            f"limit must be between {minimum} and {maximum}; got {limit}.",
            param="limit",
            details={"limit": f"must be between {minimum} and {maximum}"},
        )
    return limit


def encode_cursor(listing: str, after: str) -> str:
    raw = msgspec.json.encode(_Cursor(listing=listing, after=after))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(listing: str, cursor: str | None) -> str | None:
    """The key to continue after, or None for the first page."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = msgspec.json.decode(raw, type=_Cursor)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise _invalid_cursor() from None
    if decoded.listing != listing:
        raise _invalid_cursor()
    return decoded.after


def _invalid_cursor() -> InvalidCursor:
    return InvalidCursor(
        "cursor is not a cursor of this listing; pass meta.next_cursor unchanged.",
        param="cursor",
        details={"cursor": "malformed or from another listing"},
    )
