"""Fixtures of the SDK tests: a funded tenant, the test catalog, a server, clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from leadbase import AsyncLeadbase, Leadbase
from leadbase.server.config import Settings
from tests.factories import Tenant
from tests.sdk.support import asgi_client, sync_client, tcp_server
from tests.server.catalog.enrich_support import Catalog, seed_catalog
from tests.server.credits.support import configured, funded_tenant

BALANCE = 100_000  # millicredits: 100 credits


@pytest.fixture
def server_settings(settings: Settings) -> Settings:
    # Bulk calls are limited to 10/minute by default; the tests make more.
    return configured(settings, limits={"bulk": ["1000/minute"]})


@pytest.fixture
def acme(settings: Settings) -> Tenant:
    return funded_tenant(settings.database_url, amount=BALANCE)


@pytest.fixture
def catalog(settings: Settings) -> Catalog:
    return seed_catalog(settings.database_url)


@pytest.fixture
def server(server_settings: Settings) -> Iterator[str]:
    with tcp_server(server_settings) as base_url:
        yield base_url


@pytest.fixture
def api(server: str, acme: Tenant) -> Iterator[Leadbase]:
    """The sync client against the app over TCP."""
    with sync_client(server, acme) as client:
        yield client


@pytest.fixture
async def async_api(server_settings: Settings, acme: Tenant) -> AsyncIterator[AsyncLeadbase]:
    """The async client against the app in-process (ASGI)."""
    async with asgi_client(server_settings, acme) as client:
        yield client
