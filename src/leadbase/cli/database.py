"""``leadbase db``: the schema's migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from leadbase.cli.output import console, reported_errors
from leadbase.cli.settings import ConfigOption, DatabaseUrlOption, display_url, resolve

app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Option("--revision", help="Target revision.")] = "head",
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Migrate the database to the latest schema (creating a SQLite file if needed)."""
    with reported_errors():
        from leadbase.server import db

        settings = resolve(config_file=config, database_url=database_url)
        db.upgrade(settings.database_url, revision)
        current = db.current_revision(settings.database_url)
    console.print(f"{display_url(settings.database_url)} is at revision {current}", soft_wrap=True)


@app.command("current")
def current(
    database_url: DatabaseUrlOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the database's schema revision ("none" before the first upgrade)."""
    with reported_errors():
        from leadbase.server import db

        settings = resolve(config_file=config, database_url=database_url)
        path = db.sqlite_path(settings.database_url)
        # Asking a SQLite file that isn't there would create it.
        missing = path is not None and not path.exists()
        revision = None if missing else db.current_revision(settings.database_url)
    console.print(revision or "none", soft_wrap=True)
