"""client.account against a real server: the sync client over TCP, the async one in-process."""

from __future__ import annotations

import datetime as dt

import pytest

from leadbase import AsyncLeadbase, Leadbase, Transaction
from leadbase.server.config import Settings
from tests.factories import Tenant
from tests.sdk.support import sync_client, tcp_server


def test_the_account_is_the_tenants_with_its_credits(api: Leadbase, acme: Tenant) -> None:
    account = api.account.get()
    assert account.id == acme.org_id
    assert account.credits.balance == 100.0
    assert account.api_key.id == acme.key_id
    assert [customer.id for customer in account.customers] == [acme.customer_id]
    assert account.prices["people.enrich"] == 1.0
    assert account.meta is not None and account.meta.request_id.startswith("req_")  # type: ignore[union-attr]


def test_acting_for_a_customer(server: str, acme: Tenant) -> None:
    with sync_client(server, acme, customer_id=acme.customer_id) as client:
        account = client.account.get()
    assert account.id == acme.customer_id
    assert account.acting_as_customer and account.parent_id == acme.org_id


def test_transactions_page_through_the_ledger(api: Leadbase) -> None:
    for _ in range(3):
        api.phones.validate(phone="+1 650 253 0000")
    first = api.account.transactions(limit=2)
    assert len(first.data) == 2 and first.has_next_page()
    every: list[Transaction] = list(first)
    # grant + 3 x (reserve, capture)
    assert len(every) == 7
    assert sorted(t.kind for t in every) == ["capture"] * 3 + ["grant"] + ["reserve"] * 3
    assert every[-1].kind == "grant" and every[-1].credits == 100.0


def test_usage_by_day_and_operation(api: Leadbase) -> None:
    api.phones.validate(phone="+1 650 253 0000")
    api.phones.validate(phone="not a number")
    today = dt.datetime.now(dt.UTC).date()
    (line,) = api.account.usage(since=today, until=today)
    assert (line.day, line.operation, line.calls, line.units, line.credits) == (
        today,
        "phones.validate",
        2,
        1,
        0.1,
    )


@pytest.mark.anyio
async def test_async_account_in_process(async_api: AsyncLeadbase, acme: Tenant) -> None:
    account = await async_api.account.get()
    assert account.id == acme.org_id
    kinds = [entry.kind async for entry in async_api.account.transactions(limit=1)]
    assert kinds == ["grant"]
    assert list(await async_api.account.usage()) == []


@pytest.mark.anyio
async def test_async_client_over_tcp(server_settings: Settings, acme: Tenant) -> None:
    with tcp_server(server_settings) as base_url:
        async with AsyncLeadbase(api_key=acme.secret, base_url=base_url) as client:
            account = await client.account.get()
            validation = await client.phones.validate(phone="+1 650 253 0000")
    assert account.credits.available == 100.0
    assert validation.valid and validation.meta is not None
    assert validation.meta.credits_charged == 0.1
