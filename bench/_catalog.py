"""The synthetic catalog the catalog benchmarks share: generated once, imported once, cached.

- ``synthetic(people, companies)``: the CSVs of ``leadbase catalog generate`` (seed 1, with
  labelled queries), under bench/results/.
- ``imported(people, companies)``: a SQLite file holding those CSVs imported by
  ``leadbase catalog import`` (companies, people, openings), under bench/results/.
- ``seeded_copy(directory, ...)``: a copy of that file with a bench org, customer and
  all-scope key, for a server to answer from; the cached file is never written by a run.

A 1M-people catalog takes about 3 minutes to generate and 3 to import on two cores; both
stay cached until bench/results/ is removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from _harness import BenchError
from _leadbase import Seeded, seed

from leadbase.server import db
from leadbase.server.catalog.generate import LabelledQuery

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
IMPORT_ORDER = ("companies.csv", "people.csv", "openings.csv")
_IMPORT = ("catalog", "import", "--json", "--no-resume")
# Labelled lookups generated with the catalog, for the matching and enrichment benchmarks.
QUERIES = 10_000


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """--people and --companies: which cached catalog a benchmark runs on."""
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=200_000)


def synthetic(people: int, companies: int) -> Path:
    """The synthetic CSVs for these sizes, made once and kept under bench/results/."""
    out = RESULTS / f"synthetic-p{people}-c{companies}-s1"
    if (out / "manifest.json").exists():
        return out
    print(f"generating {people:,} people and {companies:,} companies into {out} ...", flush=True)
    leadbase(
        "catalog", "generate", "--people", str(people), "--companies", str(companies),
        "--queries", str(QUERIES), "--seed", "1", "--as-of", "2026-12-01", "--out", str(out),
        "--json",
    )  # fmt: skip
    return out


def imported(people: int, companies: int) -> tuple[Path, Path]:
    """(the SQLite file with the synthetic catalog imported, the synthetic CSVs' directory)."""
    source = synthetic(people, companies)
    target = RESULTS / f"catalog-p{people}-c{companies}-s1.db"
    if target.exists():
        return target, source
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    url = f"sqlite:///{partial}"
    db.upgrade(url)
    for name in IMPORT_ORDER:
        print(f"importing {name} into {target.name} ...", flush=True)
        summary = json.loads(leadbase(*_IMPORT, str(source / name), "--database-url", url))
        if summary["failed"]:
            raise BenchError(f"{name}: {summary['failed']} rows failed to import")
    # The import leaves its rows in the WAL until the last connection closes; it has.
    partial.rename(target)
    partial.with_name(partial.name + ".migrate-lock").unlink(missing_ok=True)
    return target, source


def seeded_copy(directory: Path, catalog: Path, *, grant_millicredits: int = 0) -> Seeded:
    """A copy of ``catalog`` in ``directory`` with a bench org, customer and all-scope key."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "leadbase.db"
    shutil.copyfile(catalog, target)
    # The cache may predate a migration; the copy gets the schema this checkout runs.
    db.upgrade(f"sqlite:///{target}")
    return seed(f"sqlite:///{target}", grant_millicredits=grant_millicredits)


# A labelled query's fields -> the bulk enrichment row's (enrich takes no country).
_ROW_FIELDS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "phone": "phone",
    "linkedin_url": "linkedin_url",
    "company": "company_name",
    "company_domain": "company_domain",
}


def enrich_row(query: LabelledQuery) -> dict[str, str]:
    """A labelled query as a customer sends it in POST /v1/people/enrich/bulk."""
    row = {"row_ref": query.query_id}
    for source, target in _ROW_FIELDS.items():
        value = getattr(query, source)
        if value is not None:
            row[target] = value
    return row


def leadbase(*args: str) -> str:
    """The ``leadbase`` command of this environment; its stdout, or BenchError."""
    command = [str(Path(sys.executable).with_name("leadbase")), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout
