"""The full-text index writes of a batch insert on SQLite: one statement, not a trigger a row.

Migration 0005 lets the insert triggers of the search indexes stand aside while
``search_control.deferred`` is 1. :func:`indexed_in_one_statement` sets it inside the
caller's transaction, lets the block insert its rows, sets it back, then indexes every row
the block added (their rowids follow the table's largest before it: this transaction is
the only writer) with one ``INSERT ... SELECT`` from the index's source view. The flag
never reaches another connection: it is reset before the block returns, and a rollback
would undo it anyway. PostgreSQL computes documents in the insert itself; nothing to do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection

# What each index holds: the columns of migration 0004's FTS5 tables.
INDEXED_COLUMNS = {
    "people": ("full_name", "title", "company_name", "facets", "company_facets"),
    "companies": ("name", "description", "facets"),
    "openings": ("title", "company_name", "facets"),
}


@asynccontextmanager
async def indexed_in_one_statement(connection: AsyncConnection, table: str) -> AsyncIterator[None]:
    """Rows inserted into ``table`` inside the block are indexed when it ends."""
    columns = INDEXED_COLUMNS.get(table)
    if columns is None or connection.dialect.name != "sqlite":
        yield
        return
    last = await _last_rowid(connection, table)
    await connection.exec_driver_sql("UPDATE search_control SET deferred = 1")
    try:
        yield
    finally:
        await connection.exec_driver_sql("UPDATE search_control SET deferred = 0")
    fields = ", ".join(columns)
    await connection.exec_driver_sql(
        f"INSERT INTO search_{table}(rowid, {fields})"
        f" SELECT {table}_rowid, {fields} FROM search_{table}_source WHERE {table}_rowid > ?",
        (last,),
    )


async def _last_rowid(connection: AsyncConnection, table: str) -> int:
    result = await connection.exec_driver_sql(f"SELECT coalesce(max(rowid), 0) FROM {table}")
    return int(result.scalar_one())
