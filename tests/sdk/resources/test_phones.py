"""client.phones against a real server."""

from __future__ import annotations

import pytest

from leadbase import AsyncLeadbase, Leadbase


def test_a_valid_number_is_formatted_and_billed(api: Leadbase) -> None:
    validation = api.phones.validate(phone="+1 650 253 0000")
    assert validation.valid and validation.formats is not None
    assert validation.formats.e164 == "+16502530000"
    assert validation.region == "US"
    assert validation.meta is not None and validation.meta.credits_charged == 0.1


def test_an_invalid_number_is_free(api: Leadbase) -> None:
    validation = api.phones.validate(phone="12", default_region="US")
    assert not validation.valid and validation.reason is not None
    assert validation.meta is not None and validation.meta.credits_charged == 0.0


def test_the_same_key_replays_without_billing(api: Leadbase) -> None:
    first = api.phones.validate(phone="+1 650 253 0000", idempotency_key="phone-1")
    again = api.phones.validate(phone="+1 650 253 0000", idempotency_key="phone-1")
    assert again == first
    assert api.account.get().credits.balance == 99.9


@pytest.mark.anyio
async def test_async_validate(async_api: AsyncLeadbase) -> None:
    validation = await async_api.phones.validate(phone="+44 7400 123456")
    assert validation.valid and validation.type == "mobile"
