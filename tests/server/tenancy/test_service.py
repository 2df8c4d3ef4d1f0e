"""Organizations and their customers, at the service layer."""

from __future__ import annotations

import asyncio

import pytest

from leadbase.server.db import Database
from leadbase.server.errors import InvalidParameter, NotFound
from leadbase.server.tenancy import service as organizations


def test_a_parent_has_customers_and_a_customer_has_none_of_its_own(database_url: str) -> None:
    async def run() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                parent = await organizations.create(session, name="Parent", plan="standard")
                first = await organizations.create(
                    session, name="First", plan="standard", parent_id=parent.id
                )
                second = await organizations.create(
                    session, name="Second", plan="starter", parent_id=parent.id
                )
                unrelated = await organizations.create(session, name="Other", plan="standard")
            async with database.transaction() as session:
                customers = await organizations.list_customers(session, org_id=parent.id)
                # Ids order by creation only to the millisecond; the listing is in id order.
                assert [c.id for c in customers] == sorted([first.id, second.id])
                assert await organizations.list_customers(session, org_id=unrelated.id) == []
                assert await organizations.list_customers(session, org_id=first.id) == []
            with pytest.raises(InvalidParameter) as raised:
                async with database.transaction() as session:
                    await organizations.create(
                        session, name="Nested", plan="standard", parent_id=first.id
                    )
            assert raised.value.param == "parent_id"
            assert raised.value.details == {"parent_id": "must be a top-level organization"}
        finally:
            await database.dispose()

    asyncio.run(run())


def test_a_customer_of_an_unknown_parent_is_not_found(database_url: str) -> None:
    async def run() -> None:
        database = Database(database_url)
        try:
            with pytest.raises(NotFound) as raised:
                async with database.transaction() as session:
                    await organizations.create(
                        session, name="Orphan", plan="standard", parent_id="org_nobody"
                    )
            assert raised.value.param == "parent_id"
        finally:
            await database.dispose()

    asyncio.run(run())


def test_an_organization_can_be_deactivated_and_reactivated(database_url: str) -> None:
    async def run() -> None:
        database = Database(database_url)
        try:
            async with database.transaction() as session:
                org = await organizations.create(session, name="Acme", plan="standard")
            assert org.active is True
            for active in (False, True):
                async with database.transaction() as session:
                    await organizations.set_active(session, org_id=org.id, active=active)
                async with database.transaction(write=False) as session:
                    stored = await organizations.get(session, org_id=org.id)
                    assert stored.active is active
            with pytest.raises(NotFound):
                async with database.transaction() as session:
                    await organizations.set_active(session, org_id="org_nobody", active=False)
        finally:
            await database.dispose()

    asyncio.run(run())
