from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.exc import StatementError

from leadbase.server import db
from leadbase.server.db import Database, UTCDateTime, async_url, sqlite_path, sync_url

pytestmark = pytest.mark.anyio

PARIS_SUMMER = dt.timezone(dt.timedelta(hours=2))


def _head(url: str) -> str | None:
    return ScriptDirectory.from_config(db.alembic_config(url)).get_current_head()


# URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./leadbase.db", "sqlite+aiosqlite:///./leadbase.db"),
        ("sqlite:////var/lib/leadbase.db", "sqlite+aiosqlite:////var/lib/leadbase.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql+psycopg://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql+asyncpg://u@h/d", "postgresql+psycopg://u@h/d"),
    ],
)
def test_async_url_picks_the_async_driver(url: str, expected: str) -> None:
    assert async_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///x.db", "sqlite:///x.db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
        ("postgresql://u:p%40ss@h/d", "postgresql+psycopg://u:p%40ss@h/d"),
    ],
)
def test_sync_url_picks_the_sync_driver_and_keeps_the_password(url: str, expected: str) -> None:
    assert sync_url(url) == expected


def test_an_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        async_url("mysql://u@h/d")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./data/leadbase.db", Path("./data/leadbase.db")),
        ("sqlite:////var/lib/leadbase.db", Path("/var/lib/leadbase.db")),
        ("sqlite+aiosqlite:///x.db", Path("x.db")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u@h/d", None),
    ],
)
def test_sqlite_path_is_the_file_of_a_file_database(url: str, expected: Path | None) -> None:
    assert sqlite_path(url) == expected


# Sessions and types ----------------------------------------------------------------------

_metadata = sa.MetaData()
_events = sa.Table(
    f"test_events_{uuid.uuid4().hex[:8]}",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime(), nullable=True),
)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as connection:
        await connection.run_sync(_metadata.create_all)
    try:
        yield database
    finally:
        async with database.engine.begin() as connection:
            await connection.run_sync(_metadata.drop_all)
        await database.dispose()


async def _stored_times(database: Database) -> list[dt.datetime | None]:
    async with database.transaction(write=False) as session:
        rows = await session.execute(sa.select(_events.c.at).order_by(_events.c.id))
        return [row.at for row in rows]


async def test_datetimes_come_back_aware_in_utc(database: Database) -> None:
    local = dt.datetime(2024, 7, 1, 14, 30, 15, 123456, tzinfo=PARIS_SUMMER)
    async with database.transaction() as session:
        await session.execute(sa.insert(_events).values(id=1, at=local))
        await session.execute(sa.insert(_events).values(id=2, at=None))
    stored, missing = await _stored_times(database)
    assert stored == local
    assert stored is not None and stored.tzinfo is dt.UTC
    assert stored.hour == 12
    assert missing is None


async def test_a_naive_datetime_is_refused(database: Database) -> None:
    naive = dt.datetime(2024, 7, 1, 12, 0)
    with pytest.raises(StatementError, match="naive datetime given to a UTC column"):
        async with database.transaction() as session:
            await session.execute(sa.insert(_events).values(id=1, at=naive))


async def test_times_sort_by_instant_not_by_local_wall_clock(database: Database) -> None:
    later_in_utc = dt.datetime(2024, 7, 1, 13, 0, tzinfo=dt.UTC)
    earlier_but_later_on_the_wall = dt.datetime(2024, 7, 1, 14, 0, tzinfo=PARIS_SUMMER)
    async with database.transaction() as session:
        await session.execute(sa.insert(_events).values(id=1, at=later_in_utc))
        await session.execute(sa.insert(_events).values(id=2, at=earlier_but_later_on_the_wall))
    async with database.transaction(write=False) as session:
        first = await session.scalar(sa.select(_events.c.id).order_by(_events.c.at).limit(1))
    assert first == 2


async def test_a_transaction_commits_when_its_block_ends(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(sa.insert(_events).values(id=1, at=db.utcnow()))
    assert len(await _stored_times(database)) == 1


async def test_a_transaction_rolls_back_when_its_block_raises(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            await session.execute(sa.insert(_events).values(id=1, at=db.utcnow()))
            raise RuntimeError("abort")
    assert await _stored_times(database) == []


async def test_ping_succeeds_on_a_live_database(database: Database) -> None:
    await database.ping()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        async with database.engine.connect() as connection:
            pragmas = {
                name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
    finally:
        await database.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000}


async def test_sqlite_statements_run_in_the_event_loops_thread(tmp_path: Path) -> None:
    """No thread per connection: a SQL function reports the thread that ran it."""
    database = Database(f"sqlite:///{tmp_path / 'inline.db'}")
    ran_in: list[int] = []

    def thread_of_call() -> int:
        ran_in.append(threading.get_ident())
        return 1

    threads_before = threading.active_count()
    try:
        async with database.transaction() as session:
            connection = await session.connection()
            raw = await connection.get_raw_connection()
            assert raw.driver_connection is not None
            raw.driver_connection._conn.create_function("thread_of_call", 0, thread_of_call)
            assert await session.scalar(sa.text("SELECT thread_of_call()")) == 1
        with pytest.raises(sa.exc.OperationalError, match="no such table"):
            async with database.transaction(write=False) as session:
                await session.execute(sa.text("SELECT * FROM missing"))
        assert threading.active_count() == threads_before
    finally:
        await database.dispose()
    assert ran_in == [threading.get_ident()]


async def test_cancelled_write_transactions_hand_the_writer_connection_back(
    database_url: str,
) -> None:
    """Clients that disconnect mid-call cancel their tasks: the next writer gets in at once.

    SQLite's writers share one pooled connection that waits up to 10 s for its turn; a
    cancellation that left it checked out would stall every write of the process.
    """
    database = Database(database_url)
    holding = 0

    async def hold_the_writer() -> None:
        nonlocal holding
        async with database.transaction() as session:
            await session.execute(sa.text("SELECT 1"))
            holding += 1
            await asyncio.sleep(60)

    try:
        tasks = [asyncio.create_task(hold_the_writer()) for _ in range(5)]
        while holding == 0:
            await asyncio.sleep(0.01)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with anyio.fail_after(2):
            async with database.transaction() as session:
                assert await session.scalar(sa.text("SELECT 2")) == 2
    finally:
        await database.dispose()


async def test_a_writer_waiting_for_another_connections_lock_lets_the_loop_serve(
    tmp_path: Path,
) -> None:
    """Another process's write lock makes this process's writer wait, and only the writer.

    Statements run in the event loop's thread: were the writer left to SQLite's busy
    handler, its wait would stall every read of the process for up to 10 s.
    """
    path = tmp_path / "locked.db"
    database = Database(f"sqlite:///{path}")
    async with database.transaction() as session:
        await session.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY)"))
    other = sqlite3.connect(path, isolation_level=None)  # as another process would
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with database.transaction() as session:
            await session.execute(sa.text("INSERT INTO events (id) VALUES (1)"))

    try:
        writer = asyncio.create_task(write())
        with anyio.fail_after(1):
            await asyncio.sleep(0.05)
            for _ in range(20):
                async with database.transaction(write=False) as session:
                    assert await session.scalar(sa.text("SELECT count(*) FROM events")) == 0
            await asyncio.sleep(0.2)
        assert not writer.done()
        other.execute("COMMIT")
        with anyio.fail_after(2):
            await writer
        async with database.transaction(write=False) as session:
            assert await session.scalar(sa.text("SELECT count(*) FROM events")) == 1
    finally:
        other.close()
        await database.dispose()


def test_utcnow_is_aware() -> None:
    assert db.utcnow().tzinfo is dt.UTC


# Migrations ------------------------------------------------------------------------------


def test_upgrade_of_a_migrated_database_is_a_no_op(database_url: str) -> None:
    head = _head(database_url)
    assert head is not None
    assert db.current_revision(database_url) == head
    db.upgrade(database_url)
    db.upgrade(database_url)
    assert db.current_revision(database_url) == head


def test_upgrade_creates_a_fresh_sqlite_file_and_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "leadbase.db"
    url = f"sqlite:///{path}"
    db.upgrade(url)
    assert path.is_file()
    assert db.current_revision(url) == _head(url)
    engine = sa.create_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"organizations", "api_keys", "alembic_version"} <= tables


def test_an_empty_sqlite_file_has_no_revision(tmp_path: Path) -> None:
    assert db.current_revision(f"sqlite:///{tmp_path / 'empty.db'}") is None


def test_two_processes_upgrading_one_sqlite_file_at_once_both_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    script = "import sys; from leadbase.server import db; db.upgrade(sys.argv[1])"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_, stderr) in zip(workers, outcomes, strict=True):
        assert worker.returncode == 0, stderr
    assert db.current_revision(url) == _head(url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert [row[0] for row in versions] == [_head(url)]
    finally:
        engine.dispose()
