"""Server settings as the operator commands see them: TOML and LEADBASE_* plus flags."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from leadbase.server.config import Settings

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="sqlite:///path or postgresql+psycopg://...; overrides LEADBASE_DATABASE_URL.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="A TOML settings file; overrides LEADBASE_CONFIG.",
        show_default=False,
        exists=True,
        dir_okay=False,
    ),
]


def resolve(*, config_file: Path | None, database_url: str | None) -> Settings:
    """The settings a command runs with; a relative SQLite path is made absolute."""
    import msgspec

    from leadbase.server.config import load_settings

    settings = load_settings(config_file=config_file)
    url = absolute_database_url(database_url or settings.database_url)
    return msgspec.structs.replace(settings, database_url=url)


def absolute_database_url(url: str) -> str:
    """``sqlite:///./leadbase.db`` -> ``sqlite:////cwd/leadbase.db``; other URLs unchanged.

    Workers may start in another directory, and the path must mean the same file there.
    """
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return url
    path = Path(parsed.database).expanduser().absolute()
    return parsed.set(database=str(path)).render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
