"""``leadbase account``: who the key acts for, its plan and its credits."""

from __future__ import annotations

import json

from rich.table import Table

from leadbase import Account
from leadbase.cli.client.common import (
    ApiKeyOption,
    BaseUrlOption,
    CustomerOption,
    JsonOption,
    api_errors,
    make_client,
)
from leadbase.cli.output import console, print_json


def account(
    api_key: ApiKeyOption = None,
    base_url: BaseUrlOption = None,
    customer: CustomerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the organization the key acts for: plan, credits, customers."""
    with (
        make_client(
            api_key=api_key, base_url=base_url, customer=customer, as_json=as_json
        ) as client,
        api_errors(as_json=as_json),
    ):
        found = client.account.get()
    if as_json:
        print_json(json.dumps(dict(found.raw)))
        return
    _print(found)


def _print(found: Account) -> None:
    credits = found.credits
    console.print(f"[bold]{found.name}[/] ({found.id}), plan {found.plan}", soft_wrap=True)
    console.print(
        f"credits: {credits.available:,.3f} available"
        f" ({credits.balance:,.3f} balance, {credits.reserved:,.3f} reserved)",
        soft_wrap=True,
    )
    console.print(f"key: {found.api_key.id} ({', '.join(found.api_key.scopes)})", soft_wrap=True)
    if found.customers:
        table = Table("customer", "name", "plan", "active", title=None, box=None)
        for customer in found.customers:
            table.add_row(
                customer.id, customer.name, customer.plan, "yes" if customer.active else "no"
            )
        console.print(table)
