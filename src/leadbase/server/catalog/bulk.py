"""Bulk loads: an import into an empty catalog table builds its indexes once, at the end.

Filling a table row by row pays, for every row, a random insert into each secondary
b-tree and (SQLite) a write into the full-text index; building an index over the whole
table is one sort. So when an import's table is empty as it starts:

- :func:`defer` drops the tables' non-unique indexes and, on SQLite, the triggers that
  feed the kind's full-text index, keeping the statements that put them back in
  ``catalog_deferred`` (migration 0007), in the same transaction;
- the import resolves entities in memory across its batches (``upsert.Carried``): the
  table held nothing when it began, so the import's own rows are all there is to match;
- :func:`finish` runs the kept statements and rebuilds the full-text index from its
  source view, in the caller's transaction. The import calls it when it ends or stops;
  any later import and the server's start call it too, so a load that died half way is
  finished by whatever runs next.

Unique indexes stay: they are the constraints every writer relies on, and they answer
the lookups by email and LinkedIn profile. While a load runs, search does not see its
rows yet, lookups that read a dropped index scan the table instead, and a second import
of the same kind would not be matched against it (``--no-bulk`` imports row by row,
for a catalog a live server is answering from).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from leadbase.server.catalog.columns import Kind
from leadbase.server.catalog.writes import placeholders
from leadbase.server.db import Database

# The tables an import of each kind fills, its own table first.
TABLES: dict[Kind, tuple[str, ...]] = {
    "people": ("people", "person_emails", "person_phones", "person_sources"),
    "companies": ("companies",),
    "openings": ("openings",),
}


async def is_empty(connection: AsyncConnection, kind: Kind) -> bool:
    """Whether the kind's table holds no row (the condition for a bulk load)."""
    result = await connection.exec_driver_sql(f"SELECT 1 FROM {TABLES[kind][0]} LIMIT 1")
    return result.first() is None


async def defer(connection: AsyncConnection, kind: Kind) -> int:
    """Drop what :func:`finish` will build; how many indexes and triggers were dropped."""
    deferred = await _deferrable(connection, kind)
    for table, name, statement, drop in deferred:
        await _keep(connection, table, name, statement)
        await connection.exec_driver_sql(drop)
    if connection.dialect.name == "sqlite":
        table = TABLES[kind][0]
        index = f"search_{table}"
        await _keep(connection, table, index, f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    return len(deferred)


async def _keep(connection: AsyncConnection, table: str, name: str, statement: str) -> None:
    """A statement for :func:`finish` to run."""
    await connection.exec_driver_sql(
        "INSERT INTO catalog_deferred (table_name, object_name, statement)"
        f" VALUES ({placeholders(connection.dialect, 3)})",
        (table, name, statement),
    )


async def finish(connection: AsyncConnection) -> list[str]:
    """Build what loads deferred, in the order they dropped it; the tables it built for."""
    kept = await _texts(
        connection, "SELECT table_name, statement FROM catalog_deferred ORDER BY position"
    )
    for _, statement in kept:
        await connection.exec_driver_sql(statement)
    if kept:
        await connection.exec_driver_sql("DELETE FROM catalog_deferred")
    return sorted({table for table, _ in kept})


async def unfinished(database: Database) -> bool:
    """Whether a load left indexes to build (it stopped before :func:`finish`)."""
    async with database.transaction(write=False) as session:
        connection = await session.connection()
        result = await connection.exec_driver_sql("SELECT 1 FROM catalog_deferred LIMIT 1")
        return result.first() is not None


async def finish_pending(database: Database) -> list[str]:
    """:func:`finish` in a transaction of its own; the tables it built for."""
    async with database.transaction() as session:
        return await finish(await session.connection())


async def _deferrable(connection: AsyncConnection, kind: Kind) -> list[tuple[str, str, str, str]]:
    """(table, name, statement that creates it, statement that drops it), indexes first."""
    tables = TABLES[kind]
    if connection.dialect.name == "sqlite":
        listed = ", ".join("?" * len(tables))
        indexes = await _texts(
            connection,
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index'"
            f" AND tbl_name IN ({listed}) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
            " ORDER BY name",
            tables,
        )
        # Every trigger that writes the kind's search index, on its table or on companies.
        triggers = await _texts(
            connection,
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE ? ESCAPE '!' ORDER BY name",
            (f"search!_{tables[0]}!_%",),
        )
        return [
            *((table, name, sql, f"DROP INDEX {name}") for table, name, sql in indexes),
            *((table, name, sql, f"DROP TRIGGER {name}") for table, name, sql in triggers),
        ]
    indexes = await _texts(
        connection,
        "SELECT tablename, indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = current_schema() AND tablename = ANY(%s)"
        " AND indexdef NOT LIKE 'CREATE UNIQUE%%' ORDER BY indexname",
        (list(tables),),
    )
    return [(table, name, sql, f"DROP INDEX {name}") for table, name, sql in indexes]


async def _texts(
    connection: AsyncConnection, sql: str, parameters: Any = None
) -> list[tuple[str, ...]]:
    result = await connection.exec_driver_sql(sql, parameters)
    return [tuple(row) for row in result]
