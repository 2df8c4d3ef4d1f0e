"""A synthetic catalog for demos, tests and benchmarks, labelled so matching can be scored.

``generate(out_dir, people=...)`` writes, as CRM-export-like CSV files (UTF-8, a header
row, every row with a stable ``Record ID``):

- ``companies.csv``: Record ID, Company Name, Website, LinkedIn URL, Industry, Employees,
  City, State, Country, Founded, Description. Domains and LinkedIn pages are unique.
- ``people.csv``: Record ID, First Name, Last Name, Email, Phone, Title, Company, Company
  Domain, LinkedIn URL, City, State, Country. About ``duplicate_rate`` of the rows repeat
  an earlier person with noise: a typo or nickname in the name, the company with another
  legal form or in capitals, the domain missing or written as a URL, a personal or
  differently cased email or none, the phone in another format or missing, the LinkedIn
  URL under a locale host or with a query string, a title spelt differently.
- ``openings.csv``: Record ID, Company Domain, Job Title, Location, Posted At, Job URL,
  posted in the 90 days before ``as_of``.
- ``truth.csv``: for each people.csv Record ID, the Entity ID of the person it is about,
  whether it is a duplicate, and the noise applied (";"-separated).
- ``queries.csv`` (with ``queries=N``): labelled lookups for scoring person matching.
  Expected Entity ID is the person meant, or empty for a person who is not in the
  catalog; Kind names the noise (positives) or the kind of absence (``absent_*``).
- ``manifest.json``: the parameters, the counts and ``"source": "synthetic"``.

Scoring matching: import companies.csv then people.csv with source ``SOURCE``; map each
catalog person to entities through its provenance (person_sources.source_record_id is a
people.csv Record ID; ``read_truth`` maps it to an Entity ID). For each query, a match is
correct when the matched person's entities include the expected one; precision is
correct matches over matches returned (a match for an absent person is wrong), recall is
correct matches over queries with an expected entity.

Everything is deterministic for a seed and ``as_of`` date, and streams: people are made
and written a block at a time, so memory stays flat with the number of people.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from leadbase.server.batch_gc import collector_paused
from leadbase.server.catalog.synthetic.companies import (
    COMPANY_COLUMNS,
    OPENING_COLUMNS,
    Company,
    CompanyMaker,
    opening_rows,
)
from leadbase.server.catalog.synthetic.people import (
    PEOPLE_COLUMNS,
    TRUTH_COLUMNS,
    CompanyObserver,
    PeopleMaker,
)
from leadbase.server.catalog.synthetic.queries import QUERY_COLUMNS, QueryMaker
from leadbase.server.catalog.synthetic.tables import tables
from leadbase.server.errors import InvalidParameter

__all__ = [
    "COMPANY_COLUMNS",
    "OPENING_COLUMNS",
    "PEOPLE_COLUMNS",
    "QUERY_COLUMNS",
    "SOURCE",
    "TRUTH_COLUMNS",
    "GenerationSummary",
    "LabelledQuery",
    "generate",
    "labelled_queries",
    "read_truth",
]

SOURCE = "synthetic"
_BUFFER = 1 << 20
FILES = ("companies.csv", "people.csv", "openings.csv", "truth.csv", "queries.csv")
# Called as stages advance: ("people", rows written so far, rows in all).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    out_dir: Path
    seed: int
    as_of: dt.date
    duplicate_rate: float
    companies: int
    # people.csv rows: ``entities`` distinct people plus ``duplicates`` repeats.
    people: int
    entities: int
    duplicates: int
    openings: int
    queries: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.companies + self.people + self.openings

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        fields = asdict(self)
        fields.update(
            out_dir=str(self.out_dir),
            as_of=self.as_of.isoformat(),
            source=SOURCE,
            rows=self.rows,
            rows_per_second=round(self.rows_per_second),
            people_per_second=round(self.people_per_second),
            seconds=round(self.seconds, 3),
        )
        return fields


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    """One row of queries.csv; empty cells are None."""

    query_id: str
    # None: the person does not exist, and any match is wrong.
    expected_entity_id: str | None
    kinds: tuple[str, ...]
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    linkedin_url: str | None
    company: str | None
    company_domain: str | None
    country: str | None


def generate(
    out_dir: str | Path,
    *,
    people: int,
    companies: int | None = None,
    openings: int | None = None,
    duplicate_rate: float = 0.1,
    queries: int = 0,
    seed: int = 1,
    as_of: dt.date | None = None,
    on_progress: Progress | None = None,
) -> GenerationSummary:
    """Write a synthetic catalog into ``out_dir`` (created if needed; files are replaced).

    ``companies`` defaults to people / 5 and ``openings`` to people / 10. Raises
    InvalidParameter, naming every bad argument, before writing anything.
    """
    # Defaults follow a usable people count, so a bad one is the only error reported.
    companies = max(1, people // 5) if companies is None else companies
    openings = max(people, 0) // 10 if openings is None else openings
    _validate(people, companies, openings, duplicate_rate, queries)
    as_of = as_of or dt.datetime.now(dt.UTC).date()
    duplicates = min(round(people * duplicate_rate), max(people - 1, 0))
    entities = people - duplicates
    report = on_progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # Millions of short-lived, acyclic tuples and lists: nothing for the collector to free.
    with collector_paused():
        made = _write_companies(out, seed, companies, as_of, report)
        query_maker = None
        if queries:
            query_rng = random.Random(f"{seed}:queries")
            query_maker = QueryMaker(
                query_rng, queries=queries, people=entities, companies=companies
            )
        observe = query_maker.observe if query_maker else None
        _write_people(out, seed, made, entities, duplicates, observe, report)
        openings_rng = random.Random(f"{seed}:openings")
        _write_csv(
            out / "openings.csv",
            OPENING_COLUMNS,
            opening_rows(openings_rng, made, openings, as_of=as_of),
        )
        report("openings", openings, openings)
        written_queries = _write_csv(
            out / "queries.csv", QUERY_COLUMNS, query_maker.rows() if query_maker else ()
        )
    summary = GenerationSummary(
        out_dir=out,
        seed=seed,
        as_of=as_of,
        duplicate_rate=duplicate_rate,
        companies=companies,
        people=people,
        entities=entities,
        duplicates=duplicates,
        openings=openings,
        queries=written_queries,
        seconds=time.perf_counter() - started,
    )
    _write_manifest(out, summary)
    return summary


def _validate(
    people: int, companies: int, openings: int, duplicate_rate: float, queries: int
) -> None:
    problems: dict[str, str] = {}
    for name, value in (("people", people), ("companies", companies), ("openings", openings)):
        if value < 0:
            problems[name] = "must be 0 or more"
    if queries < 0:
        problems["queries"] = "must be 0 or more"
    if not 0 <= duplicate_rate < 1:
        problems["duplicate_rate"] = "must be at least 0 and less than 1"
    if companies == 0 and (people > 0 or openings > 0):
        problems["companies"] = "people and openings need at least one company"
    if problems:
        raise InvalidParameter(
            "Cannot generate a catalog with these counts.",
            param=next(iter(problems)),
            details=problems,
        )


def _write_companies(
    out: Path, seed: int, count: int, as_of: dt.date, report: Progress
) -> list[Company]:
    maker = CompanyMaker(random.Random(f"{seed}:companies"), tables(), as_of=as_of)
    made: list[Company] = []

    def rows() -> Iterable[list[str]]:
        for company, row in maker.make(count):
            made.append(company)
            yield row

    _write_csv(out / "companies.csv", COMPANY_COLUMNS, rows())
    report("companies", count, count)
    return made


def _write_people(
    out: Path,
    seed: int,
    companies: list[Company],
    entities: int,
    duplicates: int,
    observe: CompanyObserver | None,
    report: Progress,
) -> None:
    maker = PeopleMaker(random.Random(f"{seed}:people"), tables())
    total = entities + duplicates
    written = 0
    with (
        (out / "people.csv").open("w", newline="", encoding="utf-8", buffering=_BUFFER) as people,
        (out / "truth.csv").open("w", newline="", encoding="utf-8", buffering=_BUFFER) as truth,
    ):
        csv.writer(people).writerow(PEOPLE_COLUMNS)
        csv.writer(truth).writerow(TRUTH_COLUMNS)
        chunks = maker.blocks(companies, people=entities, duplicates=duplicates, observe=observe)
        for people_lines, truth_lines, rows in chunks:
            people.write(people_lines)
            truth.write(truth_lines)
            written += rows
            report("people", written, total)


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8", buffering=_BUFFER) as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_manifest(out: Path, summary: GenerationSummary) -> None:
    # No timings: the manifest is as deterministic as the data.
    manifest = summary.as_dict()
    for timing in ("seconds", "rows_per_second", "people_per_second", "out_dir"):
        manifest.pop(timing)
    manifest["synthetic"] = True
    manifest["files"] = list(FILES)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_truth(out_dir: str | Path) -> dict[str, str]:
    """people.csv Record ID -> Entity ID."""
    with (Path(out_dir) / "truth.csv").open(newline="", encoding="utf-8") as file:
        return {row["Record ID"]: row["Entity ID"] for row in csv.DictReader(file)}


def labelled_queries(out_dir: str | Path) -> list[LabelledQuery]:
    """The labelled queries of a generated catalog (empty without ``queries=N``)."""
    with (Path(out_dir) / "queries.csv").open(newline="", encoding="utf-8") as file:
        return [_query(row) for row in csv.DictReader(file)]


def _query(row: dict[str, str]) -> LabelledQuery:
    def cell(column: str) -> str | None:
        return row[column] or None

    return LabelledQuery(
        query_id=row["Query ID"],
        expected_entity_id=cell("Expected Entity ID"),
        kinds=tuple(row["Kind"].split(";")) if row["Kind"] else (),
        first_name=cell("First Name"),
        last_name=cell("Last Name"),
        email=cell("Email"),
        phone=cell("Phone"),
        linkedin_url=cell("LinkedIn URL"),
        company=cell("Company"),
        company_domain=cell("Company Domain"),
        country=cell("Country"),
    )
