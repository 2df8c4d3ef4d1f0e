"""Demo data for ``leadbase serve --demo``: an organization, a customer and a fresh key.

Running it again reuses the demo organization and only issues a new key, so a restarted
demo keeps its data and the keys printed before keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth import service as api_keys
from leadbase.server.auth.keys import SCOPES
from leadbase.server.credits import service as credits
from leadbase.server.db import Database
from leadbase.server.tenancy import service as organizations

DEMO_ORGANIZATION = "Leadbase Demo"
DEMO_CUSTOMER = "Demo Customer"
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
        key = await api_keys.create(session, org_id=organization.id, name="demo", scopes=SCOPES)
        available = await _top_up(session, org_id=organization.id, to=DEMO_CREDITS)
        customer_available = await _top_up(session, org_id=customer.id, to=DEMO_CUSTOMER_CREDITS)
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
    )


async def _top_up(session: AsyncSession, *, org_id: str, to: int) -> int:
    balance = await credits.balance_of(session, org_id=org_id)
    if balance.available >= to:
        return balance.available
    return (
        await credits.grant(
            session, org_id=org_id, amount=to - balance.available, note="serve --demo top-up"
        )
    ).available
