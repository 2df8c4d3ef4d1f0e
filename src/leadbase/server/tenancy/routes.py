from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Principal
from leadbase.server.envelope import Envelope
from leadbase.server.pipeline import envelope, operation
from leadbase.server.tenancy import service as organizations
from leadbase.server.tenancy.schemas import Account, CallingKey, Customer


@get("/v1/account", opt=operation(scope="account:read"), tags=["account"])
async def get_account(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    session: NamedDependency[AsyncSession],
) -> Envelope[Account]:
    """The organization this call acts for, its plan and its customers."""
    organization = await organizations.get(session, org_id=principal.acting_org_id)
    customers = await organizations.list_customers(session, org_id=organization.id)
    account = Account(
        id=organization.id,
        name=organization.name,
        plan=organization.plan,
        active=organization.active,
        entitlements=sorted(principal.entitlements),
        parent_id=organization.parent_id,
        acting_as_customer=principal.customer_id is not None,
        customers=[
            Customer(
                id=customer.id,
                name=customer.name,
                plan=customer.plan,
                active=customer.active,
                created_at=customer.created_at,
            )
            for customer in customers
        ],
        api_key=CallingKey(id=principal.key_id, scopes=sorted(principal.scopes)),
        created_at=organization.created_at,
    )
    return envelope(request, account)


ROUTES = [get_account]
