"""Alembic environment: runs on the connection handed over by ``leadbase.server.db.upgrade``."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from leadbase.server.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate ignores the search objects of migration 0004 (FTS5 tables and their
    shadow tables, tsvector columns, their indexes): raw DDL no model describes."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("search_")
    if type_ == "column":
        return name != "search_document"
    if type_ == "index":
        return not name.startswith("ix_search_")
    return True


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.connect() as fresh:
            _run(fresh)
        engine.dispose()
    else:
        _run(connection)


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


run_migrations()
