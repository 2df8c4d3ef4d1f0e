from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Principal
from leadbase.server.credits import service as credits
from leadbase.server.envelope import Envelope
from leadbase.server.errors import InvalidParameter
from leadbase.server.pagination import (
    DEFAULT_PAGE_SIZE,
    PageCursor,
    PageLimit,
    check_limit,
    decode_cursor,
    encode_cursor,
)
from leadbase.server.pipeline import envelope, operation, services_of
from leadbase.server.tenancy import service as organizations
from leadbase.server.tenancy.schemas import (
    Account,
    CallingKey,
    Credits,
    Customer,
    Transaction,
    UsageLine,
)

_TRANSACTIONS = "transactions"
_MAX_USAGE_DAYS = 366


@get("/v1/account", opt=operation(scope="account:read"), tags=["account"])
async def get_account(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    session: NamedDependency[AsyncSession],
) -> Envelope[Account]:
    """The organization this call acts for: plan, credits, prices and customers."""
    organization = await organizations.get(session, org_id=principal.acting_org_id)
    customers = await organizations.list_customers(session, org_id=organization.id)
    balance = await credits.balance_of(session, org_id=organization.id)
    prices = services_of(request.app.state).prices.as_dict(
        acting_org_id=principal.acting_org_id, org_id=principal.org_id
    )
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
        credits=Credits(
            balance=credits.to_credits(balance.balance),
            reserved=credits.to_credits(balance.reserved),
            available=credits.to_credits(balance.available),
        ),
        prices={name: credits.to_credits(price) for name, price in prices.items()},
        created_at=organization.created_at,
    )
    return envelope(request, account)


@get("/v1/account/transactions", opt=operation(scope="account:read"), tags=["account"])
async def list_transactions(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    session: NamedDependency[AsyncSession],
    limit: PageLimit = DEFAULT_PAGE_SIZE,
    cursor: PageCursor = None,
) -> Envelope[list[Transaction]]:
    """The credit ledger, newest first: grants, reserves, captures, releases, refunds."""
    check_limit(limit)
    after = decode_cursor(_TRANSACTIONS, cursor)
    entries, has_more = await credits.entries_page(
        session, org_id=principal.acting_org_id, limit=limit, after=after
    )
    return envelope(
        request,
        [
            Transaction(
                id=entry.id,
                kind=entry.kind,
                credits=credits.to_credits(entry.amount),
                operation=entry.operation,
                reservation_id=entry.reservation_id,
                request_id=entry.request_id,
                job_id=entry.job_id,
                note=entry.note,
                created_at=entry.created_at,
            )
            for entry in entries
        ],
        next_cursor=encode_cursor(_TRANSACTIONS, entries[-1].id) if has_more else None,
        has_more=has_more,
    )


@get("/v1/account/usage", opt=operation(scope="account:read"), tags=["account"])
async def get_usage(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    session: NamedDependency[AsyncSession],
    since: Annotated[
        dt.date | None, QueryParameter(description="First day (UTC), default 30 days ago.")
    ] = None,
    until: Annotated[
        dt.date | None, QueryParameter(description="Last day (UTC, inclusive), default today.")
    ] = None,
) -> Envelope[list[UsageLine]]:
    """Calls, billable units and credits spent, by operation and day."""
    last = until or dt.datetime.now(dt.UTC).date()
    if last == dt.date.max:  # its end, the next midnight, is past the calendar
        raise InvalidParameter(
            f"until must be before {dt.date.max.isoformat()}.",
            param="until",
            details={"until": f"must be before {dt.date.max.isoformat()}"},
        )
    # 30 days up to ``last``, or fewer where the calendar begins.
    first = since or last - dt.timedelta(days=min(29, last.toordinal() - 1))
    if first > last or (last - first).days >= _MAX_USAGE_DAYS:
        raise InvalidParameter(
            f"since must not be after until, and the range at most {_MAX_USAGE_DAYS} days.",
            param="since",
            details={"since": f"must be on or before until, within {_MAX_USAGE_DAYS} days"},
        )
    rows = await credits.usage(
        session,
        org_id=principal.acting_org_id,
        since=dt.datetime.combine(first, dt.time(), dt.UTC),
        until=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC),
    )
    return envelope(
        request,
        [
            UsageLine(
                day=row.day,
                operation=row.operation,
                calls=row.calls,
                units=row.units,
                credits=credits.to_credits(row.charged),
            )
            for row in rows
        ],
    )


ROUTES = [get_account, list_transactions, get_usage]
