"""A batch's writes as driver-ready statements: run on the caller's connection, or handed
to the writer process of a bulk load (``write_behind``).

An upsert resolves a batch into rows to insert and merges to apply, then turns them into
:class:`Write` s: one SQL string and its parameter rows, converted as SQLAlchemy would
bind them. :func:`run` executes them in order on a connection, indexing the inserted rows
of a searchable table in one statement (``indexing``).

SQLAlchemy's per-value bind processing costs more than SQLite's insert itself at import
sizes, so inserts make the one conversion it would: datetimes to SQLite's stored text
(what ``UTCDateTime`` writes); the rest goes to the driver as it is.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from leadbase.server.catalog.indexing import INDEXED_COLUMNS, indexed_in_one_statement
from leadbase.server.db import Database, UTCDateTime

# SQLite's page cache for an import's writer (KiB). The default 2 MiB holds a sliver of a
# million-person catalog's indexes, so every random key insert reads pages back: 256 MiB
# halved the SQL time of importing 100k people into 900k (7.6 s -> 4.8 s).
SQLITE_CACHE_KIB = 256 * 1024


class Write(msgspec.Struct, array_like=True):
    """One statement and its parameter sets (tuples, or mappings for named styles)."""

    sql: str
    rows: list[tuple[Any, ...] | dict[str, Any]]
    # The searchable table whose full-text index takes the rows this inserts (SQLite).
    search_table: str | None = None


async def enlarge_cache(database: Database) -> None:
    """A page cache the size of an import's working set, on the connection that writes."""
    if not database.is_sqlite:
        return
    async with database.transaction() as session:
        connection = await session.connection()
        await connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def insert(
    dialect: Dialect,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    ignore_conflicts: bool = False,
    search_indexed: bool = True,
) -> list[Write]:
    """One ``executemany`` of ``rows`` (every row has the same keys, two or more); none
    when there are no rows. ``search_indexed=False`` leaves them out of the full-text
    index (a bulk load rebuilds it at its end)."""
    if not rows:
        return []
    columns = list(rows[0])
    if len(columns) == 1:
        raise ValueError("insert needs rows of two columns or more")
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)})"
        f" VALUES ({placeholders(dialect, len(columns))})"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    )
    moments = [
        index for index, name in enumerate(columns) if isinstance(table.c[name].type, UTCDateTime)
    ]
    pick = operator.itemgetter(*columns)
    if dialect.name != "sqlite" or not moments:
        values = [pick(row) for row in rows]
    else:
        values = _sqlite_values(rows, pick, moments)
    searched = search_indexed and table.name in INDEXED_COLUMNS
    return [Write(sql, values, str(table.name) if searched else None)]


def placeholders(dialect: Dialect, count: int) -> str:
    """``?, ?, ?`` or ``%s, %s, %s``: positional parameters in the driver's style."""
    return ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * count)


async def insert_ignoring_conflicts(
    session: AsyncSession, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """:func:`insert` ``ON CONFLICT DO NOTHING``, run in the session's transaction."""
    connection = await session.connection()
    await run(connection, insert(connection.dialect, table, rows, ignore_conflicts=True))


def update(
    dialect: Dialect, statement: sa.Update, params: Sequence[Mapping[str, Any]]
) -> list[Write]:
    """An UPDATE with bound parameters, once per parameter set; none without any."""
    if not params:
        return []
    sql, names, processors = _compiled(statement, dialect)
    if names is None:
        rows: list[tuple[Any, ...] | dict[str, Any]] = [
            {name: processors[name](value) for name, value in values.items()} for values in params
        ]
    else:
        rows = [tuple(processors[name](values[name]) for name in names) for values in params]
    return [Write(sql, rows)]


async def run(connection: AsyncConnection, writes: Sequence[Write]) -> None:
    """Execute ``writes`` in order, in the connection's transaction."""
    for write in writes:
        if write.search_table is None:
            await connection.exec_driver_sql(write.sql, write.rows)
            continue
        async with indexed_in_one_statement(connection, write.search_table):
            await connection.exec_driver_sql(write.sql, write.rows)


Processor = Callable[[Any], Any]


Compiled = tuple[str, tuple[str, ...] | None, dict[str, Processor]]
# (statement, dialect name, driver) -> compiled: engines come and go, their kinds don't.
_COMPILED: dict[tuple[sa.Update, str, str], Compiled] = {}


def _compiled(statement: sa.Update, dialect: Dialect) -> Compiled:
    """The statement's SQL for ``dialect``, its parameter names in order (None for a named
    style), and each parameter's bind conversion."""
    key = (statement, dialect.name, dialect.driver)
    found = _COMPILED.get(key)
    if found is not None:
        return found
    compiled = statement.compile(dialect=dialect)
    processors: dict[str, Processor] = {}
    for name, parameter in compiled.binds.items():
        convert = parameter.type.dialect_impl(dialect).bind_processor(dialect)
        processors[name] = convert if convert is not None else _unchanged
    names = tuple(compiled.positiontup) if compiled.positiontup is not None else None
    found = _COMPILED[key] = (compiled.string, names, processors)
    return found


def _unchanged(value: Any) -> Any:
    return value


def _sqlite_values(
    rows: Sequence[Mapping[str, Any]], pick: Callable[[Any], Any], moments: Sequence[int]
) -> list[tuple[Any, ...]]:
    texts: dict[Any, str] = {}
    values: list[tuple[Any, ...]] = []
    for row in rows:
        record = list(pick(row))
        for index in moments:
            moment = record[index]
            if moment is not None:
                text = texts.get(moment)
                if text is None:
                    text = texts[moment] = _sqlite_datetime(moment)
                record[index] = text
        values.append(tuple(record))
    return values


def _sqlite_datetime(moment: Any) -> str:
    # SQLAlchemy's SQLite DATETIME text, in UTC without an offset, as UTCDateTime stores it.
    return str(moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"))
