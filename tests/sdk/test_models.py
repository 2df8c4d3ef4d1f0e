"""Models: frozen, typed, tolerant of fields the SDK does not know, raw JSON kept."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from leadbase import Account, Meta, PersonRowResult, UsageLine
from leadbase._convert import ShapeError, convert
from tests.sdk.mock import ACCOUNT


def test_json_becomes_typed_values() -> None:
    account = convert(Account, ACCOUNT)
    assert account.created_at == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert account.entitlements == ("bulk",)
    assert account.credits.available == 10.0
    assert account.api_key.scopes == ("account:read",)
    assert convert(
        UsageLine, {"day": "2026-03-01", "operation": "x", "calls": 1, "units": 1, "credits": 2}
    ).day == dt.date(2026, 3, 1)


def test_integers_where_floats_are_expected_become_floats() -> None:
    account = convert(
        Account, {**ACCOUNT, "credits": {"balance": 3, "reserved": 0, "available": 3}}
    )
    assert isinstance(account.credits.balance, float)


def test_unknown_fields_are_tolerated_and_kept_in_raw() -> None:
    account = convert(
        Account, {**ACCOUNT, "region": "eu", "credits": {**ACCOUNT["credits"], "bonus": 1}}
    )
    assert account.raw["region"] == "eu"
    assert account.credits.raw["bonus"] == 1
    assert "region" not in repr(account)


def test_models_are_frozen() -> None:
    account = convert(Account, ACCOUNT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        account.name = "other"  # type: ignore[misc]


def test_a_missing_required_field_is_an_error_and_optional_ones_default() -> None:
    with pytest.raises(ShapeError, match="lacks 'name'"):
        convert(Account, {key: value for key, value in ACCOUNT.items() if key != "name"})
    row = convert(PersonRowResult, {"row_ref": "1", "status": "no_match"})
    assert (row.person, row.match, row.errors) == (None, None, None)


def test_unknown_enum_values_pass_through() -> None:
    status: str = convert(PersonRowResult, {"row_ref": "1", "status": "pending"}).status
    assert status == "pending"


def test_meta_is_attached_to_the_returned_object_only() -> None:
    meta = Meta(request_id="req_1", credits_charged=0.0)
    account = convert(Account, ACCOUNT, meta=meta)
    assert account.meta == meta
    assert account.credits.meta is None


def test_meta_reads_any_object() -> None:
    assert Meta.from_json(None) == Meta()
    meta = Meta.from_json({"request_id": "r", "has_more": True, "next_cursor": "c", "extra": 1})
    assert (meta.request_id, meta.has_more, meta.next_cursor, meta.raw["extra"]) == (
        "r",
        True,
        "c",
        1,
    )
