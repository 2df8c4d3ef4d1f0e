"""The ``leadbase`` command: the server's operator commands and the API's client commands.

Importing this module stays light: the server commands import the server (Litestar,
SQLAlchemy) only when they run, so a client-only install can use the rest; the client
commands (enrich, search, account) use the SDK alone.
"""

from __future__ import annotations

import typer

from leadbase.cli import admin, catalog, database
from leadbase.cli.client import account, enrich, search
from leadbase.cli.serve import serve

app = typer.Typer(
    name="leadbase",
    help="Leadbase: a self-hosted B2B lead-data API platform.",
    no_args_is_help=True,
    # Locals in a traceback could hold API key secrets or database passwords.
    pretty_exceptions_show_locals=False,
)
app.command("serve")(serve)
app.add_typer(database.app, name="db")
app.add_typer(admin.app, name="admin")
app.add_typer(catalog.app, name="catalog")
app.command("enrich")(enrich.enrich)
app.add_typer(search.app, name="search")
app.command("account")(account.account)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
