"""Person matching quality: precision and recall of POST /v1/people/enrich/bulk.

The issue's target: "on a generated labelled set with noise, report the precision and
recall of person matching; the target is precision >= 0.99 at recall >= 0.95".

What it runs, on a seeded copy of the cached synthetic catalog (_catalog: 1M people.csv
rows, 10% of them noisy duplicates merged by the import, 200k companies):

1. The catalog's labelled queries (``leadbase catalog generate --queries``, queries.csv:
   10,000 lookups as a customer would send them, with a typo or nickname in the name,
   another legal form or a URL for the company, a personal or differently cased email, a
   LinkedIn URL under a locale host; a quarter are people who are not in the catalog: a
   colleague's surname, someone at another company, a new name), read with
   ``generate.labelled_queries``.
2. Leadbase as ``leadbase serve`` starts it (granian, one worker pinned to core 0,
   ``LEADBASE_LOG_LEVEL=WARNING``, the bulk window raised, credits granted). An httpx client
   pinned to core 1 sends the queries as customers do, ``POST /v1/people/enrich/bulk``
   with ``--rows`` (500) rows per call: first_name, last_name, email, phone, linkedin_url,
   company_name and company_domain, whichever the query has (enrich takes no country).
3. Scoring, as generate.py's docstring defines it: each matched person's provenance
   (person_sources.source_record_id, the people.csv Record IDs it was built from) maps to
   entities through truth.csv (``generate.read_truth``); a match is correct when those
   entities include the query's expected one; precision = correct / matches returned (a
   match for an absent person is wrong); recall = correct / queries with an expected person.

Checks (any failure exits 2): every call is a 200 with one result per row in order; the
balance went down by exactly the price of one enrichment per person each call matched,
nothing held.

Output: precision and recall overall, by the identifiers the query carries, by noise tag
(a query counts under each of its tags) and by what the server says it matched on; a few
wrong matches; then ``RATE`` (rows/s) and the verdict against precision 0.99 and recall 0.95.

    .venv/bin/python bench/bench_matching.py                        # 1M people, ~10 s cached
    .venv/bin/python bench/bench_matching.py --people 20000 --companies 4000
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _catalog
import httpx
import msgspec
from _harness import (
    LOAD_CORE,
    SERVER_CORE,
    BenchError,
    exit_status,
    machine_note,
    pinned_to,
    require_tools,
    serve,
    work_directory,
)
from _leadbase import account_credits, leadbase_spec, unlimited

from leadbase.server import db
from leadbase.server.catalog.enrich import MAX_BULK_ROWS
from leadbase.server.catalog.generate import LabelledQuery, labelled_queries, read_truth
from leadbase.server.credits.prices import DEFAULT_PRICES

PATH = "/v1/people/enrich/bulk"
PRICE = DEFAULT_PRICES["people.enrich"]
TARGET_PRECISION = 0.99
TARGET_RECALL = 0.95


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server answered for one query: the person matched, or None."""

    status: str
    person_id: str | None = None
    confidence: float | None = None
    matched_on: tuple[str, ...] = ()


@dataclass(slots=True)
class Tally:
    """Precision and recall over some of the queries."""

    queries: int = 0
    # Queries whose person is in the catalog.
    positives: int = 0
    returned: int = 0
    correct: int = 0
    # Wrong matches: another person than the one meant, or anyone for an absent person.
    wrong_person: int = 0
    absent_matched: int = 0

    def add(self, expected: str | None, matched: frozenset[str] | None) -> None:
        self.queries += 1
        self.positives += expected is not None
        if matched is None:
            return
        self.returned += 1
        if expected is None:
            self.absent_matched += 1
        elif expected in matched:
            self.correct += 1
        else:
            self.wrong_person += 1

    @property
    def precision(self) -> float | None:
        return self.correct / self.returned if self.returned else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.positives if self.positives else None


def main() -> int:
    options = _options()
    return exit_status(lambda: _run_in_work_directory(options))


def _run_in_work_directory(options: argparse.Namespace) -> int:
    require_tools(("taskset",))
    catalog, synthetic = _catalog.imported(options.people, options.companies)
    with work_directory(keep=options.keep) as work:
        return run(catalog, synthetic, work, options)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    _catalog.add_size_options(parser)
    parser.add_argument(
        "--rows", type=int, default=MAX_BULK_ROWS, help="rows per bulk call (1-500)"
    )
    parser.add_argument("--queries", type=int, default=0, help="the first N queries (0: all)")
    parser.add_argument("--examples", type=int, default=8, help="wrong matches to print")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    options = parser.parse_args()
    if not 1 <= options.rows <= MAX_BULK_ROWS:
        parser.error(f"--rows must be 1 to {MAX_BULK_ROWS}")
    return options


def run(catalog: Path, synthetic: Path, work: Path, options: argparse.Namespace) -> int:
    print(machine_note())
    queries = labelled_queries(synthetic)
    if options.queries:
        queries = queries[: options.queries]
    if not queries:
        raise BenchError(f"{synthetic} has no labelled queries (queries.csv)")
    truth = read_truth(synthetic)
    print(f"copying {catalog.name} ...", flush=True)
    seeded = _catalog.seeded_copy(
        work / "db", catalog, grant_millicredits=PRICE * len(queries) + PRICE
    )
    spec = leadbase_spec("leadbase", seeded, log_level="WARNING", env=unlimited("people.enrich"))
    with pinned_to(LOAD_CORE), serve(spec, log_dir=work) as server:
        before = account_credits(server, seeded.headers)
        started = time.perf_counter()
        answers = enrich(server.base_url, seeded.headers, queries, rows=options.rows)
        seconds = time.perf_counter() - started
        after = account_credits(server, seeded.headers)
    # Each call bills the people it matched once, however many of its rows matched them.
    billable = sum(
        len({answer.person_id for answer in answers[start : start + options.rows]} - {None})
        for start in range(0, len(answers), options.rows)
    )
    if before.balance - after.balance != PRICE * billable or after.reserved:
        raise BenchError(
            f"billing: the balance went down by {before.balance - after.balance} millicredits"
            f" for {billable} people matched at {PRICE}; {after.reserved} still reserved"
        )
    path = db.sqlite_path(seeded.database_url)
    assert path is not None
    entities = person_entities(path, {a.person_id for a in answers if a.person_id}, truth)
    return report(queries, answers, entities, seconds=seconds, examples=options.examples)


# Enrichment ------------------------------------------------------------------------------


def enrich(
    base_url: str, headers: dict[str, str], queries: Sequence[LabelledQuery], *, rows: int
) -> list[Answer]:
    """Every query through the bulk endpoint, ``rows`` a call, in order."""
    print(
        f"server on core {SERVER_CORE}, client on core {LOAD_CORE}: {len(queries):,} queries,"
        f" {rows} rows per POST {PATH} ...",
        flush=True,
    )
    answers: list[Answer] = []
    with httpx.Client(
        base_url=base_url, headers={**headers, "Content-Type": "application/json"}, timeout=300
    ) as client:
        for start in range(0, len(queries), rows):
            chunk = queries[start : start + rows]
            body = msgspec.json.encode({"rows": [_catalog.enrich_row(query) for query in chunk]})
            response = client.post(PATH, content=body)
            if response.status_code != 200:
                raise BenchError(
                    f"POST {PATH} answered {response.status_code}: {response.text[:500]}"
                )
            answers += _answers(chunk, msgspec.json.decode(response.content)["data"])
    return answers


def _answers(chunk: Sequence[LabelledQuery], data: dict[str, Any]) -> list[Answer]:
    results = data["results"]
    refs = [result["row_ref"] for result in results]
    if refs != [query.query_id for query in chunk]:
        raise BenchError(f"POST {PATH}: the results are not one per row, in order")
    answers = []
    for result in results:
        if result["status"] == "matched":
            answers.append(
                Answer(
                    "matched",
                    result["person"]["id"],
                    result["match"]["confidence"],
                    tuple(result["match"]["matched_on"]),
                )
            )
        else:
            answers.append(Answer(result["status"]))
    return answers


def person_entities(
    path: Path, person_ids: Iterable[str], truth: dict[str, str]
) -> dict[str, frozenset[str]]:
    """Each catalog person's entities, through the people.csv records it was built from."""
    wanted = sorted(person_ids)
    records: dict[str, set[str]] = {person_id: set() for person_id in wanted}
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            rows = connection.execute(
                "SELECT person_id, source_record_id FROM person_sources"
                f" WHERE person_id IN ({', '.join('?' * len(batch))})",
                batch,
            )
            for person_id, record_id in rows:
                if record_id in truth:
                    records[person_id].add(truth[record_id])
    finally:
        connection.close()
    lost = [person_id for person_id, found in records.items() if not found]
    if lost:
        raise BenchError(f"{len(lost)} matched people have no people.csv provenance: {lost[:5]}")
    return {person_id: frozenset(found) for person_id, found in records.items()}


# Report ----------------------------------------------------------------------------------


def identifiers(query: LabelledQuery) -> str:
    """The strongest identifier the customer gave: email, LinkedIn, phone, else name + company."""
    for name, value in (
        ("email", query.email),
        ("linkedin (no email)", query.linkedin_url),
        ("phone (no email, linkedin)", query.phone),
    ):
        if value:
            return name
    company = " + ".join(
        name
        for name, value in (("company name", query.company), ("domain", query.company_domain))
        if value
    )
    return f"name + {company}" if company else "name only"


def report(
    queries: Sequence[LabelledQuery],
    answers: Sequence[Answer],
    entities: dict[str, frozenset[str]],
    *,
    seconds: float,
    examples: int,
) -> int:
    overall = Tally()
    by_identifiers: dict[str, Tally] = {}
    by_tag: dict[str, Tally] = {}
    by_matched_on: dict[str, Tally] = {}
    wrong: list[tuple[LabelledQuery, Answer, frozenset[str]]] = []
    for query, answer in zip(queries, answers, strict=True):
        matched = entities[answer.person_id] if answer.person_id else None
        groups = [
            overall,
            by_identifiers.setdefault(identifiers(query), Tally()),
            *(by_tag.setdefault(tag, Tally()) for tag in query.kinds),
        ]
        if answer.person_id:
            groups.append(by_matched_on.setdefault(", ".join(answer.matched_on), Tally()))
        for tally in groups:
            tally.add(query.expected_entity_id, matched)
        if matched is not None and query.expected_entity_id not in matched:
            wrong.append((query, answer, matched))
    statuses = {s: sum(1 for a in answers if a.status == s) for s in ("matched", "no_match")}
    invalid = len(answers) - sum(statuses.values())
    print(
        f"\n{len(queries):,} queries ({overall.positives:,} of people in the catalog) in"
        f" {seconds:.1f} s: {statuses['matched']:,} matched, {statuses['no_match']:,} no match,"
        f" {invalid:,} invalid"
    )
    print(_table("by identifiers given", by_identifiers, overall))
    print(_table("by noise tag (a query counts under each of its tags)", by_tag, overall))
    print(_table("by what the server matched on (matches only)", by_matched_on, None))
    if wrong and examples:
        print(f"\nwrong matches (first {min(examples, len(wrong))} of {len(wrong)}):")
        for query, answer, matched in wrong[:examples]:
            print(
                f"  {query.query_id} {';'.join(query.kinds)}: expected"
                f" {query.expected_entity_id or 'nobody'}, got {answer.person_id}"
                f" ({', '.join(sorted(matched))}) on {', '.join(answer.matched_on)}"
                f" at {answer.confidence}; sent {_catalog.enrich_row(query)}"
            )
    merged = sum(
        1
        for query, answer in zip(queries, answers, strict=True)
        if answer.person_id
        and len(entities[answer.person_id]) > 1
        and query.expected_entity_id in entities[answer.person_id]
    )
    print(
        f"\ncorrect matches to a person the import built from more than one entity (an"
        f" over-merge the scoring counts as correct): {merged:,}"
    )
    print(
        f"\nRATE enrich/bulk = {len(queries) / seconds:,.0f} rows/s ({len(queries):,} rows, one core)"
    )
    return _verdict(overall)


def _table(title: str, tallies: dict[str, Tally], overall: Tally | None) -> str:
    width = max(len(name) for name in [*tallies, "all"])
    lines = [
        f"\n{title}:",
        f"  {'':<{width}} {'queries':>8} {'in catalog':>10} {'matched':>8} {'correct':>8}"
        f" {'wrong':>6} {'absent':>7} {'precision':>9} {'recall':>7}",
    ]
    rows = sorted(tallies.items(), key=lambda item: -item[1].queries)
    for name, t in [*rows, *([("all", overall)] if overall else [])]:
        lines.append(
            f"  {name:<{width}} {t.queries:>8,} {t.positives:>10,} {t.returned:>8,}"
            f" {t.correct:>8,} {t.wrong_person:>6,} {t.absent_matched:>7,}"
            f" {_share(t.precision):>9} {_share(t.recall):>7}"
        )
    lines.append(
        "  (wrong: matched another person; absent: matched someone for a person not in the catalog)"
    )
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _verdict(overall: Tally) -> int:
    precision, recall = overall.precision or 0.0, overall.recall or 0.0
    passed = precision >= TARGET_PRECISION and recall >= TARGET_RECALL
    print(
        f"VERDICT {'PASS' if passed else 'FAIL'}: precision {precision:.4f} (target"
        f" {TARGET_PRECISION}) at recall {recall:.4f} (target {TARGET_RECALL}); {overall.correct:,}"
        f" correct of {overall.returned:,} matches, {overall.positives:,} people to find"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
