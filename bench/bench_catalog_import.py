"""Catalog import speed: `leadbase catalog import` of a synthetic 1M-people catalog.

What it runs, in one go:

1. ``leadbase catalog import companies.csv`` then ``people.csv`` (then ``openings.csv``)
   into a fresh SQLite file, the real command in a process of its own, as an operator
   runs it (read-ahead on: the machine has two cores; each table empty, so each import
   is a bulk load that builds its indexes at the end), timed from outside;
2. the same people import with ``--no-bulk`` (indexes kept up batch by batch, as into a
   catalog a server answers from), into a second file holding the same companies:
   ``RATIO bulk/row-by-row`` is the speed-up of the bulk load in this run;
3. the floor the issue asks for: a plain ``executemany`` insert of the same CSV rows, as
   read by the csv module, into a table of TEXT columns with no index, same batch size,
   same pragmas, one transaction a batch (the floor the issue names);
4. the database's own cost for the data the import produced: the rows of people,
   person_emails, person_phones and person_sources (and companies) copied from the
   imported file into a fresh file of the same schema with ``executemany``, batched,
   cached and indexed as a bulk load writes them (indexes deferred and built at the end
   by ``catalog.bulk``, timed in). No parsing, no matching: what these tables cost
   SQLite, the floor of any importer on this schema.

It prints rows/s for each and ``RATIO import/executemany`` per file. The synthetic CSVs
are made once with ``leadbase catalog generate`` and kept under bench/results/ (_catalog).

    .venv/bin/python bench/bench_catalog_import.py                      # 1M people, 200k companies
    .venv/bin/python bench/bench_catalog_import.py --people 100000 --companies 20000
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import _catalog
from _harness import BenchError, exit_status, machine_note, work_directory

from leadbase.server import db
from leadbase.server.catalog import bulk
from leadbase.server.catalog.columns import Kind
from leadbase.server.catalog.importer import BATCH_ROWS
from leadbase.server.catalog.writes import SQLITE_CACHE_KIB

# The tables an import of people and companies writes, parents first.
COPIED_TABLES = ("companies", "people", "person_emails", "person_phones", "person_sources")
TARGET_ROWS_PER_SECOND = 50_000


@dataclass(frozen=True, slots=True)
class Timed:
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def main() -> int:
    options = _options()
    return exit_status(lambda: _run_in_work_directory(options))


def _run_in_work_directory(options: argparse.Namespace) -> int:
    synthetic = _catalog.synthetic(options.people, options.companies)
    with work_directory(keep=options.keep) as work:
        return run(
            synthetic,
            work,
            skip_openings=options.skip_openings,
            row_by_row=not options.skip_row_by_row,
        )


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    _catalog.add_size_options(parser)
    parser.add_argument("--skip-openings", action="store_true")
    parser.add_argument(
        "--skip-row-by-row", action="store_true", help="skip the --no-bulk people import"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    return parser.parse_args()


def run(synthetic: Path, work: Path, *, skip_openings: bool, row_by_row: bool) -> int:
    print(machine_note())
    database = work / "catalog.db"
    url = f"sqlite:///{database}"
    db.upgrade(url)
    files = ["companies.csv", "people.csv", *([] if skip_openings else ["openings.csv"])]
    imports = {name: import_file(synthetic / name, url) for name in files}
    unbulked = row_by_row_people(synthetic, work) if row_by_row else None
    plain = {name: plain_executemany(synthetic / name, work / f"plain-{name}.db") for name in files}
    copied = copy_tables(database, work / "copy.db")
    print()
    print(
        f"{'file':<14} {'rows':>10} {'import rows/s':>14} {'executemany rows/s':>19} {'ratio':>7}"
    )
    for name in files:
        done, floor = imports[name], plain[name]
        print(
            f"{name:<14} {done.rows:>10,} {done.rate:>14,.0f} {floor.rate:>19,.0f}"
            f" {done.rate / floor.rate:>7.3f}"
        )
    people = imports["people.csv"]
    print()
    print(
        f"the database's own cost for what the people import wrote ({', '.join(COPIED_TABLES[1:])},"
        f" full-text index): {copied['people'].seconds:.1f} s = "
        f"{people.rows / copied['people'].seconds:,.0f} people.csv rows/s; "
        f"companies: {imports['companies.csv'].rows / copied['companies'].seconds:,.0f} rows/s"
    )
    if unbulked is not None:
        print(
            f"RATIO bulk/row-by-row people.csv = {people.rate / unbulked.rate:.2f} (bulk load"
            f" {people.rate:,.0f} rows/s vs --no-bulk {unbulked.rate:,.0f} rows/s)"
        )
    for name in files:
        done, floor = imports[name], plain[name]
        verdict = "PASS" if done.rate >= TARGET_ROWS_PER_SECOND else "FAIL"
        print(
            f"RATIO import/executemany {name} = {done.rate / floor.rate:.3f} (import"
            f" {done.rate:,.0f} rows/s vs plain executemany {floor.rate:,.0f} rows/s;"
            f" target {TARGET_ROWS_PER_SECOND:,} rows/s: {verdict})"
        )
    return 0


def import_file(path: Path, url: str, *options: str) -> Timed:
    """``leadbase catalog import`` as an operator runs it, timed from outside."""
    started = time.perf_counter()
    output = _catalog.leadbase(
        "catalog", "import", str(path), "--database-url", url, "--json", "--no-resume", *options
    )
    seconds = time.perf_counter() - started
    summary = json.loads(output)
    if summary["failed"]:
        raise BenchError(f"{path.name}: {summary['failed']} rows failed to import")
    how = (
        f"bulk load, {summary['indexing_seconds']:.1f} s of it building indexes"
        if summary["bulk"]
        else "row by row"
    )
    print(
        f"import {path.name}{' ' + ' '.join(options) if options else ''}: {summary['rows']:,}"
        f" rows ({summary['created']:,} created, {summary['merged']:,} merged) in"
        f" {seconds:.1f} s ({how})",
        flush=True,
    )
    return Timed(rows=summary["rows"], seconds=seconds)


def row_by_row_people(synthetic: Path, work: Path) -> Timed:
    """people.csv with --no-bulk, into a file already holding the companies."""
    url = f"sqlite:///{work / 'row-by-row.db'}"
    db.upgrade(url)
    import_file(synthetic / "companies.csv", url)
    return import_file(synthetic / "people.csv", url, "--no-bulk")


def plain_executemany(path: Path, target: Path) -> Timed:
    """The same rows, as the csv module reads them, into TEXT columns with no index."""
    connection = _sqlite(target)
    try:
        started = time.perf_counter()
        rows = 0
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f"c{index} TEXT" for index in range(len(header)))
            connection.execute(f"CREATE TABLE plain_rows ({columns})")
            insert = f"INSERT INTO plain_rows VALUES ({', '.join('?' * len(header))})"
            for batch in _batches(reader, BATCH_ROWS):
                connection.execute("BEGIN IMMEDIATE")
                connection.executemany(insert, batch)
                connection.execute("COMMIT")
                rows += len(batch)
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    print(f"plain executemany {path.name}: {rows:,} rows in {seconds:.1f} s", flush=True)
    return Timed(rows=rows, seconds=seconds)


def copy_tables(source: Path, target: Path) -> dict[str, Timed]:
    """The imported rows copied into a fresh file of the same schema, as bulk loads write
    them (indexes deferred, built at the end); seconds per import, reading not counted."""
    url = f"sqlite:///{target}"
    db.upgrade(url)
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    spent: dict[str, float] = {}
    copied: dict[str, int] = {}
    owners: dict[Kind, tuple[str, ...]] = {"companies": ("companies",)}
    owners["people"] = COPIED_TABLES[1:]
    try:
        for kind, tables in owners.items():
            started = time.perf_counter()
            asyncio.run(_deferring(url, kind))
            spent[kind] = time.perf_counter() - started
            writing = _sqlite(target)
            try:
                for table in tables:
                    copied[table], seconds = _copy(reading, writing, table)
                    spent[kind] += seconds
            finally:
                writing.close()
            started = time.perf_counter()
            asyncio.run(_finishing(url))
            spent[kind] += time.perf_counter() - started
    finally:
        reading.close()
    print(f"copied into a fresh schema: {copied}", flush=True)
    return {owner: Timed(rows=0, seconds=seconds) for owner, seconds in spent.items()}


def _copy(
    reading: sqlite3.Connection, writing: sqlite3.Connection, table: str
) -> tuple[int, float]:
    """(rows copied, seconds spent writing them)."""
    cursor = reading.execute(f"SELECT * FROM {table} ORDER BY rowid")
    names = [column[0] for column in cursor.description]
    insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    count, seconds = 0, 0.0
    while batch := cursor.fetchmany(BATCH_ROWS):
        started = time.perf_counter()
        writing.execute("BEGIN IMMEDIATE")
        writing.executemany(insert, batch)
        writing.execute("COMMIT")
        seconds += time.perf_counter() - started
        count += len(batch)
    return count, seconds


async def _deferring(url: str, kind: Kind) -> None:
    database = db.Database(url)
    try:
        async with database.transaction() as session:
            await bulk.defer(await session.connection(), kind)
    finally:
        await database.dispose()


async def _finishing(url: str) -> None:
    database = db.Database(url)
    try:
        await bulk.finish_pending(database)
    finally:
        await database.dispose()


def _sqlite(path: Path) -> sqlite3.Connection:
    """A connection set up as the importer's writer is (leadbase.server.db, importer)."""
    connection = sqlite3.connect(path, isolation_level=None)
    pragmas = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")
    for pragma in (*pragmas, f"cache_size=-{SQLITE_CACHE_KIB}"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _batches(rows: Iterator[list[str]], size: int) -> Iterator[list[list[str]]]:
    batch: list[list[str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


if __name__ == "__main__":
    raise SystemExit(main())
