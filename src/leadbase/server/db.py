"""Engines, sessions and migrations for both profiles (SQLite file in WAL mode, PostgreSQL).

Service functions never commit; whoever owns the unit of work (a request, a job, a CLI
command) opens it with :meth:`Database.transaction` so that everything it wrote commits
together or not at all.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from contextlib import asynccontextmanager, contextmanager
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_

if TYPE_CHECKING:
    from alembic.config import Config

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Any constant works; it only has to be the same in every process that migrates.
_MIGRATION_LOCK_ID = 0x1EADBA5E


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite has no timezone type)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def fits_utc(moment: dt.datetime) -> bool:
    """Whether an aware datetime has a UTC equivalent (9999-12-31T23:00:00-05:00 has none):
    what a UTC column can store."""
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:
        return False
    return True


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def async_url(url: str) -> str:
    """The async driver for a configured URL: aiosqlite for SQLite, psycopg 3 for PostgreSQL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql+psycopg://")


def sync_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite").render_as_string(hide_password=False)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine, *, writer: bool = False) -> None:
    """WAL, foreign keys, a busy timeout, and transactions we begin ourselves.

    pysqlite's own implicit BEGIN would defer the write lock until the first write; a
    transaction opened with ``sqlite_begin="IMMEDIATE"`` takes it at once, so two writers
    queue for it instead of failing with "database is locked".

    Statements run in the event loop's thread (:class:`_InlineSqlite`), so the writer
    connection has no busy handler: SQLite's sleeps there would stall every request of
    the process while another process (a worker, an import) holds the lock. Its BEGIN
    waits with asyncio's sleep instead (:func:`_begin_waiting_for_the_lock`).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        if writer:
            cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        if writer and mode != "DEFERRED":
            _begin_waiting_for_the_lock(connection, mode)
        else:
            connection.exec_driver_sql(f"BEGIN {mode}")


# Reads through a memory map of the file, not a read() call per page into each
# connection's own 2 MB cache: lookups in a large catalog touch pages all over it (a bulk
# enrichment of 500 rows spent ~10% less CPU, measured). The map is shared by every
# connection and process, and SQLite clamps it to its build's maximum (2 GB here).
SQLITE_MMAP_BYTES = 2**40

# SQLite's busy handler for the connections that don't write (and while a connection is
# set up): a WAL reader next to no one's exclusive lock never waits on it.
SQLITE_BUSY_TIMEOUT_MS = 10_000
_LOCK_RETRY_FIRST_SECONDS = 0.001
_LOCK_RETRY_MAX_SECONDS = 0.05


def _begin_waiting_for_the_lock(connection: Connection, mode: str) -> None:
    """BEGIN IMMEDIATE, retried on "database is locked" with asyncio sleeps (runs in the
    greenlet of an async call) for up to SQLITE_WRITER_WAIT_SECONDS."""
    cursor = connection.connection.cursor()
    deadline = time.monotonic() + SQLITE_WRITER_WAIT_SECONDS
    pause = _LOCK_RETRY_FIRST_SECONDS
    try:
        while True:
            try:
                cursor.execute(f"BEGIN {mode}")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            await_(asyncio.sleep(pause))
            pause = min(pause * 2, _LOCK_RETRY_MAX_SECONDS)
    finally:
        cursor.close()


def create_engine_for(url: str, *, pool_size: int = 10, single_writer: bool = False) -> AsyncEngine:
    target = async_url(url)
    if make_url(target).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        pool: dict[str, Any] = (
            {"pool_size": 1, "max_overflow": 0, "pool_timeout": SQLITE_WRITER_WAIT_SECONDS}
            if single_writer
            else {}
        )
        # Every transaction() ends in COMMIT or ROLLBACK, so the pool's own rollback on
        # return is a wasted statement.
        engine = create_async_engine(
            target,
            pool_reset_on_return=None,
            connect_args={"async_creator_fn": _InlineSqlite.connect},
            **pool,
        )
        _configure_sqlite(engine.sync_engine, writer=single_writer)
        return engine
    return create_async_engine(
        target, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


class _InlineSqlite(aiosqlite.Connection):
    """aiosqlite without its thread: each call runs at once, in the event loop's thread.

    aiosqlite hands every call (execute, fetch, close, commit) to a thread of its own and
    waits for the answer: two thread switches a statement, while the statements of an API
    call take microseconds each on a cached page. Running them in place halved the CPU of
    a single ``POST /v1/people/enrich`` (bench_enrich.py) and took 11% off a bulk call.

    Nothing it runs waits on a lock: readers never wait in WAL mode, this process's
    writers queue for the pool of one writer connection before their ``BEGIN IMMEDIATE``,
    and a write lock held by another process (another server worker, a CLI import) is
    waited for with asyncio sleeps around that BEGIN (:func:`_configure_sqlite`), not in
    SQLite's busy handler, which would hold the loop.
    """

    @classmethod
    def connect(cls, database: str | Path, **options: Any) -> _InlineSqlite:
        # What aiosqlite.connect does, minus the thread; the dialect awaits the result.
        def connector() -> sqlite3.Connection:
            connection: sqlite3.Connection = sqlite3.connect(database, **options)
            return connection

        connection = cls(connector, iter_chunk_size=64)
        # What aiosqlite (closing, stopping) and SQLAlchemy's adapter (setting
        # isolation_level) hand to the thread's queue themselves runs at once too.
        connection._tx = _RunAtOnce()  # type: ignore[assignment]
        return connection

    def __await__(self) -> Generator[Any, None, _InlineSqlite]:
        return self._open().__await__()

    async def _open(self) -> _InlineSqlite:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


class _RunAtOnce:
    """Stands for aiosqlite's queue to its thread: runs each call and settles its future."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # handed to the waiter, as aiosqlite's thread does
            if future is not None and not future.done():
                future.set_exception(error)
            return
        if future is not None and not future.done():
            future.set_result(result)


# How long a SQLite writer waits for its turn in this process before giving up.
SQLITE_WRITER_WAIT_SECONDS = 10.0


class Database:
    """One engine per process, shared by every request and task."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine_for(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and its busy handler (sleep and retry) is not
        # first come, first served: under load one pooled connection can starve until
        # busy_timeout and fail with "database is locked". So this process writes through
        # a pool of one connection, checked out at a transaction's first statement, whose
        # waiters are served in order; other processes still meet the busy handler.
        self._write_engine = (
            create_engine_for(url, single_writer=True) if self.is_sqlite else self.engine
        )
        writer_bind = self._write_engine.execution_options(sqlite_begin="IMMEDIATE")
        self._writer = async_sessionmaker(writer_bind, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose work commits when the block ends cleanly and rolls back otherwise."""
        maker = self._writer if write else self._reader
        async with maker() as session, session.begin():
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._write_engine is not self.engine:
            await self._write_engine.dispose()


# Migrations ------------------------------------------------------------------------------


def alembic_config(url: str) -> Config:
    # Alembic (and Mako) load only when migrating: they are a third of an import's start.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("leadbase") / "migrations"))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to run from several processes at once."""
    from alembic import command

    config = alembic_config(url)
    with _migration_lock(url) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(url: str) -> str | None:
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


@contextmanager
def _migration_lock(url: str) -> Iterator[Connection]:
    engine = sa.create_engine(sync_url(url))
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(
                    sa.text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
                connection.commit()
                try:
                    yield connection
                finally:
                    connection.rollback()
                    connection.execute(
                        sa.text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID}
                    )
                    connection.commit()
        else:
            path = sqlite_path(url)
            lock_path = Path(f"{path}.migrate-lock") if path else None
            if lock_path is not None:
                lock_path.parent.mkdir(parents=True, exist_ok=True)
            with _file_lock(lock_path), engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                yield connection
    finally:
        engine.dispose()


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
