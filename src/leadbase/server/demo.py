"""Demo data for ``leadbase serve --demo``: an organization, a customer, credits, a fresh
key, and a small synthetic catalog (people, companies, openings) to look up and search.

Running it again reuses the demo organization and the catalog and only issues a new key
(and tops the credits up), so a restarted demo keeps its data and earlier keys keep working.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth import service as api_keys
from leadbase.server.auth.keys import TENANT_SCOPES
from leadbase.server.catalog.generate import SOURCE, generate
from leadbase.server.catalog.importer import import_csv
from leadbase.server.catalog.models import Person
from leadbase.server.credits import service as credits
from leadbase.server.db import Database
from leadbase.server.tenancy import service as organizations

DEMO_ORGANIZATION = "Leadbase Demo"
DEMO_CUSTOMER = "Demo Customer"
# The synthetic catalog loaded into an empty database (labelled synthetic).
DEMO_PEOPLE = 2_000
DEMO_COMPANIES = 400
DEMO_OPENINGS = 300
# Each run tops the demo organization and its customer back up to these (millicredits).
DEMO_CREDITS = 1_000_000
DEMO_CUSTOMER_CREDITS = 100_000


@dataclass(frozen=True, slots=True)
class DemoSetup:
    org_id: str
    org_name: str
    customer_id: str
    customer_name: str
    key_id: str
    # The key's secret: shown once, never stored.
    secret: str
    # False when an earlier run's organization was reused.
    created: bool
    # Available millicredits after the top-up.
    credits: int
    customer_credits: int
    # People in the catalog (the synthetic demo catalog, or whatever was imported), and
    # how many of them are labelled synthetic.
    catalog_people: int
    synthetic_people: int


async def prepare_demo(database: Database, *, plan: str = "standard") -> DemoSetup:
    """Find or create the demo organization and its customer; issue a key with every scope."""
    async with database.transaction() as session:
        organization = await organizations.find_demo(session)
        created = organization is None
        if organization is None:
            organization = await organizations.create(
                session, name=DEMO_ORGANIZATION, plan=plan, demo=True
            )
        customers = await organizations.list_customers(session, org_id=organization.id)
        customer = customers[0] if customers else None
        if customer is None:
            customer = await organizations.create(
                session, name=DEMO_CUSTOMER, plan=plan, parent_id=organization.id
            )
        key = await api_keys.create(
            session, org_id=organization.id, name="demo", scopes=TENANT_SCOPES
        )
        available = await _top_up(session, org_id=organization.id, to=DEMO_CREDITS)
        customer_available = await _top_up(session, org_id=customer.id, to=DEMO_CUSTOMER_CREDITS)
    catalog_people = await load_demo_catalog(database)
    synthetic_people = (await _count_people(database))[1]
    return DemoSetup(
        org_id=organization.id,
        org_name=organization.name,
        customer_id=customer.id,
        customer_name=customer.name,
        key_id=key.key.id,
        secret=key.secret,
        created=created,
        credits=available,
        customer_credits=customer_available,
        catalog_people=catalog_people,
        synthetic_people=synthetic_people,
    )


async def load_demo_catalog(database: Database) -> int:
    """Generate and import the synthetic catalog when the catalog is empty; people in it."""
    people, _ = await _count_people(database)
    if people:
        return people
    with tempfile.TemporaryDirectory(prefix="leadbase-demo-") as directory:
        folder = Path(directory)
        generate(
            folder, people=DEMO_PEOPLE, companies=DEMO_COMPANIES, openings=DEMO_OPENINGS, seed=7
        )
        # Companies first, so that people and openings find theirs.
        for kind in ("companies", "people", "openings"):
            await import_csv(
                database,
                folder / f"{kind}.csv",
                kind=kind,
                source=SOURCE,
                synthetic=True,
                resume=False,
            )
    return (await _count_people(database))[0]


async def _count_people(database: Database) -> tuple[int, int]:
    """People in the catalog, and how many of them are synthetic."""
    synthetic = sa.func.coalesce(sa.func.sum(sa.case((Person.synthetic, 1), else_=0)), 0)
    async with database.transaction(write=False) as session:
        total, labelled = (await session.execute(sa.select(sa.func.count(), synthetic))).one()
    return int(total), int(labelled)


async def _top_up(session: AsyncSession, *, org_id: str, to: int) -> int:
    balance = await credits.balance_of(session, org_id=org_id)
    if balance.available >= to:
        return balance.available
    return (
        await credits.grant(
            session, org_id=org_id, amount=to - balance.available, note="serve --demo top-up"
        )
    ).available
