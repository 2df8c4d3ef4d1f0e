"""Fixtures shared by every test: a migrated database per profile, an app, a tenant.

The ``database_url`` fixture runs each test that uses it on SQLite and on PostgreSQL. The
PostgreSQL variant is marked ``postgres``; it skips with a reason when 127.0.0.1:5432 does
not answer, except under ``CI=true`` where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server import db
from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.models import Base
from tests.factories import Tenant, make_tenant

POSTGRES_ADMIN_DSN = os.environ.get(
    "LEADBASE_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("LEADBASE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_DSN}: {reason}")


def _redis_unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"Redis is required under CI=true: {reason}", pytrace=False)
    pytest.skip(f"Redis not reachable at {REDIS_URL}: {reason}")


@pytest.fixture(scope="session")
def redis_server() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        _redis_unavailable(str(exc))
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_server: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    prefix = f"leadbase-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(redis_server)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy instead of migrating again."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped afterwards."""
    name = f"leadbase_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        _postgres_unavailable(str(exc).strip())
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = sa.engine.make_url(POSTGRES_ADMIN_DSN)
    url = base.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )
    db.upgrade(url)
    try:
        yield url
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "leadbase.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    _truncate_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, auto_migrate=False, log_level="WARNING")


@pytest.fixture(
    params=["embedded", pytest.param("scaled", marks=[pytest.mark.postgres, pytest.mark.redis])]
)
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a deployment profile: embedded (SQLite + in-process limits) or scaled
    (PostgreSQL + Redis). Tests of the metering spine run on both."""
    if request.param == "embedded":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "leadbase.db"
        shutil.copyfile(template, path)
        return Settings(database_url=f"sqlite:///{path}", auto_migrate=False, log_level="WARNING")
    url: str = request.getfixturevalue("postgres_database")
    _truncate_postgres(url)
    return Settings(
        database_url=url,
        redis_url=request.getfixturevalue("redis_server"),
        redis_prefix=request.getfixturevalue("redis_prefix"),
        auto_migrate=False,
        log_level="WARNING",
    )


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def tenant(database_url: str) -> Tenant:
    """An organization with one customer and a key holding every scope."""
    return asyncio.run(make_tenant(database_url))
