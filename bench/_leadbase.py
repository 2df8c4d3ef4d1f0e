"""Leadbase as the benchmarks run it: a migrated and seeded SQLite file, a server spec, checks."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import msgspec
from _harness import BenchError, RunningServer, ServerSpec
from bare_app import RESPONSE_VARIABLE, RecordedResponse, write_response
from prometheus_client.parser import text_string_to_metric_families

from leadbase.server import db
from leadbase.server.auth import service as api_keys
from leadbase.server.auth.keys import SCOPES
from leadbase.server.credits import service as credits
from leadbase.server.tenancy import service as organizations

BENCH_DIR = Path(__file__).resolve().parent
APP_FACTORY = "leadbase.server.app:app_from_environment"
# Windows no benchmark reaches, short enough that the limiter's per-window list of hits
# stays about as long as under the built-in windows (up to 1,000 entries), and a parallel
# cap above any benchmark's connections: benchmarks measure work, not 429s.
BENCH_WINDOWS = ("1000000/second", "10000000/10 seconds")
BENCH_PARALLEL = 10_000
# Headers the server (granian) adds itself; the bare app gets them from granian too.
_SERVER_HEADERS = frozenset({"date", "server"})


@dataclass(frozen=True, slots=True)
class Seeded:
    database_url: str
    org_id: str
    customer_id: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


def prepare_database(directory: Path, *, grant_millicredits: int = 0) -> Seeded:
    """A fresh SQLite file at the latest schema with an org, one customer and an all-scope key.

    ``grant_millicredits`` goes to the org's ledger as one grant, for metered endpoints.
    """
    url = f"sqlite:///{directory / 'leadbase.db'}"
    db.upgrade(url)
    return seed(url, grant_millicredits=grant_millicredits)


def seed(url: str, *, grant_millicredits: int = 0) -> Seeded:
    """An org, one customer and an all-scope key in the migrated database at ``url``."""
    return asyncio.run(_seed(url, grant_millicredits=grant_millicredits))


def copy_database(seeded: Seeded, directory: Path) -> Seeded:
    """The same data in a file of its own, so that two servers never share a write lock."""
    source = db.sqlite_path(seeded.database_url)
    if source is None:
        raise BenchError(f"not a SQLite file: {seeded.database_url}")
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / source.name
    shutil.copyfile(source, target)
    # Closing the seeding engine checkpoints the WAL; copy what may be left of it anyway.
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return dataclasses.replace(seeded, database_url=f"sqlite:///{target}")


async def _seed(url: str, *, grant_millicredits: int) -> Seeded:
    database = db.Database(url)
    try:
        async with database.transaction() as session:
            org = await organizations.create(session, name="Bench Org", plan="standard")
            customer = await organizations.create(
                session, name="Bench Customer", plan="standard", parent_id=org.id
            )
            created = await api_keys.create(
                session, org_id=org.id, name="bench, all scopes", scopes=SCOPES
            )
            if grant_millicredits:
                await credits.grant(
                    session, org_id=org.id, amount=grant_millicredits, note="benchmark"
                )
        return Seeded(
            database_url=url, org_id=org.id, customer_id=customer.id, secret=created.secret
        )
    finally:
        await database.dispose()


def unlimited(*operations: str) -> dict[str, str]:
    """LEADBASE_LIMITS and LEADBASE_PARALLEL under which no call of ``operations`` gets a 429
    (the built-in 120/minute, bulk 10/minute and parallel caps would answer most)."""
    return {
        "LEADBASE_LIMITS": msgspec.json.encode(
            {"default": BENCH_WINDOWS, "bulk": BENCH_WINDOWS}
        ).decode(),
        "LEADBASE_PARALLEL": msgspec.json.encode(
            dict.fromkeys(operations, BENCH_PARALLEL)
        ).decode(),
    }


def leadbase_spec(
    name: str, seeded: Seeded, *, log_level: str, env: Mapping[str, str] | None = None
) -> ServerSpec:
    """The server as ``leadbase serve`` starts it: granian, the app factory, LEADBASE_* env.

    ``env`` adds settings (``LEADBASE_LIMITS`` and the like) over the ones set here.
    """
    return ServerSpec(
        name=name,
        target=APP_FACTORY,
        factory=True,
        env={
            "LEADBASE_DATABASE_URL": seeded.database_url,
            "LEADBASE_LOG_LEVEL": log_level,
            # Migrated already; a restart of the same file would be a no-op anyway.
            "LEADBASE_AUTO_MIGRATE": "false",
            **(env or {}),
        },
        ready_path="/healthz",
    )


def bare_spec(name: str, response_file: Path) -> ServerSpec:
    return ServerSpec(
        name=name,
        target="bare_app:app_from_environment",
        factory=True,
        env={RESPONSE_VARIABLE: str(response_file)},
        python_path=(BENCH_DIR,),
        ready_path="/",
    )


def record_response(
    server: RunningServer,
    path: str,
    headers: Mapping[str, str],
    *,
    into: Path,
    method: str = "GET",
    body: bytes | None = None,
) -> RecordedResponse:
    """One real response, written where the bare app reads it; it must be a 200."""
    response = httpx.request(
        method, server.base_url + path, headers=dict(headers), content=body, timeout=10.0
    )
    if response.status_code != 200:
        raise BenchError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
    recorded = RecordedResponse(
        status=response.status_code,
        headers=[
            (name.decode("latin-1").lower(), value.decode("latin-1"))
            for name, value in response.headers.raw
            if name.decode("latin-1").lower() not in _SERVER_HEADERS
        ],
        body=response.content,
    )
    write_response(into, recorded)
    return recorded


def expect_ok(
    path: str,
    headers: Mapping[str, str],
    *,
    method: str = "GET",
    body: bytes | None = None,
    unique_header: str | None = None,
) -> Callable[[RunningServer], None]:
    """A check that the server still answers ``method path`` with a 200.

    ``unique_header`` gets a fresh value on every check (e.g. Idempotency-Key).
    """
    sent = 0

    def check(server: RunningServer) -> None:
        nonlocal sent
        sent += 1
        request_headers = dict(headers)
        if unique_header is not None:
            request_headers[unique_header] = f"bench-check-{secrets.token_hex(8)}-{sent}"
        response = httpx.request(
            method, server.base_url + path, headers=request_headers, content=body, timeout=10.0
        )
        if response.status_code != 200:
            raise BenchError(
                f"{server.spec.name}: {method} {path} answered {response.status_code}: "
                f"{response.text[:500]}"
            )

    return check


@dataclass(frozen=True, slots=True)
class AccountCredits:
    """The org's credits as GET /v1/account reports them, in integer millicredits."""

    balance: int
    reserved: int


def account_credits(server: RunningServer, headers: Mapping[str, str]) -> AccountCredits:
    response = httpx.get(server.base_url + "/v1/account", headers=dict(headers), timeout=10.0)
    if response.status_code != 200:
        raise BenchError(
            f"{server.spec.name}: GET /v1/account answered {response.status_code}: "
            f"{response.text[:500]}"
        )
    amounts = response.json()["data"]["credits"]
    return AccountCredits(
        balance=round(amounts["balance"] * credits.MILLICREDITS_PER_CREDIT),
        reserved=round(amounts["reserved"] * credits.MILLICREDITS_PER_CREDIT),
    )


def count_rows(seeded: Seeded, table: str, *, where: str = "") -> int:
    """Rows of a table in the SQLite file, read-only (the server may still be running)."""
    path = db.sqlite_path(seeded.database_url)
    if path is None:
        raise BenchError(f"not a SQLite file: {seeded.database_url}")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        count: int = connection.execute(query).fetchone()[0]
        return count
    finally:
        connection.close()


def status_counts(server: RunningServer, route: str) -> dict[str, int]:
    """Responses by status the server itself counted for ``route`` (from /metrics)."""
    text = httpx.get(server.base_url + "/metrics", timeout=10.0).text
    counts: dict[str, int] = {}
    for family in text_string_to_metric_families(text):
        if family.name != "leadbase_http_requests":
            continue
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels.get("route") == route:
                status = sample.labels["status"]
                counts[status] = counts.get(status, 0) + int(sample.value)
    return counts
