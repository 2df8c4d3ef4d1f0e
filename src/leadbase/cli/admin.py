"""``leadbase admin``: organizations and API keys, written straight to the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from leadbase.cli.output import console, errors, print_json, reported_errors
from leadbase.cli.settings import ConfigOption, DatabaseUrlOption, resolve

if TYPE_CHECKING:
    from leadbase.cli.operations import OrganizationOut
    from leadbase.server.auth.schemas import ApiKeyOut, CreatedApiKeyOut

app = typer.Typer(
    help="Manage organizations and API keys directly on the database.", no_args_is_help=True
)
organizations_app = typer.Typer(help="Organizations and their customers.", no_args_is_help=True)
keys_app = typer.Typer(
    help="API keys (the secret is shown once, at creation).", no_args_is_help=True
)
credits_app = typer.Typer(help="Credit balances (the ledger).", no_args_is_help=True)
app.add_typer(organizations_app, name="org")
app.add_typer(keys_app, name="key")
app.add_typer(credits_app, name="credits")

# "org_" or "key_" and 26 characters: never cut, so an id can be copied from the table.
_ID_WIDTH = 30

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")
]


@organizations_app.command("create")
def create_organization(
    name: Annotated[str, typer.Argument(help="Display name of the organization.")],
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent", help="Make it a customer of this organization id.", show_default=False
        ),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="A plan from the settings (default: the default plan)."),
    ] = None,
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Create an organization (or, with --parent, a customer organization)."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations

        settings = resolve(config_file=config, database_url=database_url)
        organization = operations.create_organization(
            settings, name=name, parent_id=parent, plan=plan
        )
        if as_json:
            print_json(operations.to_json(organization))
            return
    console.print(_organizations_table([organization], title="Organization created"))


@organizations_app.command("list")
def list_organizations(
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """List every organization, customers included."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations

        settings = resolve(config_file=config, database_url=database_url)
        found = operations.list_organizations(settings)
        if as_json:
            print_json(operations.to_json(found))
            return
    console.print(_organizations_table(found, title=f"{len(found)} organization(s)"))


@keys_app.command("create")
def create_key(
    org: Annotated[str, typer.Option("--org", help="Organization id that owns the key.")],
    name: Annotated[str, typer.Option("--name", help="A label for the key.")] = "cli",
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="A scope to grant; repeat it (default: every scope but the operator's catalog:write).",
        ),
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer", help="Lock the key to this customer organization.", show_default=False
        ),
    ] = None,
    requires_customer: Annotated[
        bool,
        typer.Option("--requires-customer", help="The key must send X-Customer-Id on every call."),
    ] = False,
    expires_in_days: Annotated[
        int | None,
        typer.Option(
            "--expires-in-days", min=1, max=36_500, help="Expire the key after N days (1-36500)."
        ),
    ] = None,
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Create an API key and print its secret, which is shown this once."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations

        settings = resolve(config_file=config, database_url=database_url)
        created = operations.create_key(
            settings,
            org_id=org,
            name=name,
            scopes=scope,
            customer_id=customer,
            requires_customer=requires_customer,
            expires_in_days=expires_in_days,
        )
        if as_json:
            print_json(operations.to_json(created))
            return
    _print_created_key(created)
    _warn_of_operator_scopes(created)


@keys_app.command("list")
def list_keys(
    org: Annotated[str, typer.Option("--org", help="Organization id.")],
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """List an organization's keys (prefix only; secrets are never stored)."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations

        settings = resolve(config_file=config, database_url=database_url)
        found = operations.list_keys(settings, org_id=org)
        if as_json:
            print_json(operations.to_json(found))
            return
    console.print(_keys_table(found, title=f"{len(found)} key(s) of {org}"))


@keys_app.command("revoke")
def revoke_key(
    key_id: Annotated[str, typer.Argument(help="The key id (key_...).")],
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Revoke a key; running servers refuse it within key_cache_seconds (1 s by default)."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations

        settings = resolve(config_file=config, database_url=database_url)
        revoked = operations.revoke_key(settings, key_id=key_id)
        if as_json:
            print_json(operations.to_json(revoked))
            return
    console.print(_keys_table([revoked], title="Key revoked"))


@credits_app.command("grant")
def grant_credits(
    org: Annotated[str, typer.Option("--org", help="Organization (or customer) id.")],
    amount: Annotated[
        float, typer.Option("--credits", help="How many credits to grant, e.g. 100 or 2.5.")
    ],
    note: Annotated[
        str | None, typer.Option("--note", help="Why, kept on the ledger entry.")
    ] = None,
    as_json: JsonOption = False,
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Add credits to an organization's balance (a grant entry on its ledger)."""
    with reported_errors(as_json=as_json):
        from leadbase.cli import operations

        settings = resolve(config_file=config, database_url=database_url)
        result = operations.grant_credits(settings, org_id=org, amount=amount, note=note)
        if as_json:
            print_json(operations.to_json(result))
            return
    console.print(
        f"Granted {result.granted:g} credits to {escape(result.org_id)}: "
        f"balance {result.balance:g}, reserved {result.reserved:g}, available {result.available:g}."
    )


def _organizations_table(found: Sequence[OrganizationOut], *, title: str) -> Table:
    """Top-level organizations, each followed by its customers (marked with an arrow)."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=_ID_WIDTH)
    table.add_column("name")
    table.add_column("plan")
    table.add_column("status")
    table.add_column("created", no_wrap=True)
    listed = {org.id for org in found}
    for org in found:
        if org.parent_id is not None and org.parent_id in listed:
            continue
        for row in (org, *(child for child in found if child.parent_id == org.id)):
            name = f"↳ {row.name}" if row.parent_id is not None else row.name
            status = ("active" if row.active else "inactive") + (", demo" if row.demo else "")
            table.add_row(row.id, escape(name), row.plan, status, _day(row.created_at))
    return table


def _keys_table(found: Sequence[ApiKeyOut], *, title: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=_ID_WIDTH)
    table.add_column("name")
    table.add_column("status", no_wrap=True)
    table.add_column("prefix / scopes")
    for key in found:
        details = f"{key.prefix}…\n[dim]{_scopes(key)}[/]"
        table.add_row(key.id, escape(key.name), _key_status(key), details)
    return table


def _print_created_key(created: CreatedApiKeyOut) -> None:
    facts = Table.grid(padding=(0, 2))
    facts.add_row("id", created.id)
    facts.add_row("name", escape(created.name))
    facts.add_row("scopes", _scopes(created))
    facts.add_row("expires", _when(created.expires_at) or "never")
    console.print("Key created")
    console.print(facts)
    console.print("Secret, shown this once; store it now:")
    # soft_wrap keeps the secret on one line, whatever the terminal's width.
    console.print(created.key, soft_wrap=True, markup=False)


def _warn_of_operator_scopes(created: CreatedApiKeyOut) -> None:
    from leadbase.server.auth.keys import OPERATOR_SCOPES

    # The catalog is every organization's: a key that writes it is an operator's.
    granted = sorted(OPERATOR_SCOPES.intersection(created.scopes))
    if granted:
        errors.print(
            f"note: {', '.join(granted)} lets this key create and change the catalog every "
            "organization reads; give it to your own operators only",
            soft_wrap=True,
        )


def _scopes(key: ApiKeyOut) -> str:
    scopes = "all" if set(key.scopes) >= _all_scopes() else ", ".join(key.scopes)
    if key.customer_id is not None:
        return f"{scopes}; customer {key.customer_id} only"
    if key.requires_customer:
        return f"{scopes}; X-Customer-Id required"
    return scopes


def _key_status(key: ApiKeyOut) -> str:
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= dt.datetime.now(dt.UTC):
        return "expired"
    return "active"


def _all_scopes() -> set[str]:
    from leadbase.server.auth.keys import TENANT_SCOPES

    return set(TENANT_SCOPES)


def _day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ") if moment is not None else ""
