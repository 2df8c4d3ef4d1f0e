"""client.api_keys against a real server: create, list (paged), revoke; errors by class."""

from __future__ import annotations

import datetime as dt

import pytest

from leadbase import (
    AsyncLeadbase,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    Leadbase,
    NotFoundError,
)
from tests.factories import Tenant
from tests.sdk.support import sync_client


def test_create_shows_the_secret_once_and_the_key_works(
    api: Leadbase, server: str, acme: Tenant
) -> None:
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    created = api.api_keys.create(name="read only", scopes=["account:read"], expires_at=expires)
    assert created.key is not None and created.key.startswith(created.prefix)
    assert created.scopes == ("account:read",)
    assert created.expires_at is not None and abs(created.expires_at - expires) < dt.timedelta(
        seconds=1
    )
    with sync_client(
        server, Tenant(acme.database_url, acme.org_id, acme.customer_id, created.id, created.key)
    ) as other:
        assert other.account.get().api_key.id == created.id


def test_a_replayed_create_has_no_secret(api: Leadbase) -> None:
    first = api.api_keys.create(name="once", idempotency_key="create-once")
    again = api.api_keys.create(name="once", idempotency_key="create-once")
    assert first.key is not None and again.key is None
    assert again.id == first.id
    with pytest.raises(ConflictError) as raised:
        api.api_keys.create(name="other", idempotency_key="create-once")
    assert raised.value.code == "idempotency_key_reused"


def test_list_walks_every_page(api: Leadbase, acme: Tenant) -> None:
    made = [api.api_keys.create(name=f"k{n}").id for n in range(4)]
    page = api.api_keys.list(limit=2)
    assert len(page.data) == 2
    assert [key.id for key in page] == [*reversed(made), acme.key_id]


def test_revoke_then_the_key_is_refused(api: Leadbase, server: str, acme: Tenant) -> None:
    created = api.api_keys.create(name="short lived")
    assert created.key is not None
    revoked = api.api_keys.revoke(created.id)
    assert revoked.revoked_at is not None
    tenant = Tenant(acme.database_url, acme.org_id, acme.customer_id, created.id, created.key)
    with sync_client(server, tenant) as other, pytest.raises(AuthenticationError) as raised:
        other.account.get()
    assert raised.value.code == "api_key_revoked"
    assert raised.value.request_id is not None and raised.value.request_id.startswith("req_")


def test_errors_carry_code_param_and_details(api: Leadbase) -> None:
    with pytest.raises(BadRequestError) as raised:
        api.api_keys.create(name="x", scopes=["everything"])
    error = raised.value
    assert (error.status_code, error.code, error.param) == (400, "invalid_parameter", "scopes")
    assert isinstance(error.details, dict) and "scopes" in error.details
    with pytest.raises(NotFoundError):
        api.api_keys.revoke("key_unknown")


@pytest.mark.anyio
async def test_async_create_list_revoke(async_api: AsyncLeadbase, acme: Tenant) -> None:
    created = await async_api.api_keys.create(name="async")
    listed = [key.id async for key in async_api.api_keys.list(limit=1)]
    assert listed == [created.id, acme.key_id]
    revoked = await async_api.api_keys.revoke(created.id)
    assert revoked.id == created.id and revoked.revoked_at is not None
