"""Catalog search latency: three filters and a keyword, on the 1M-people catalog, one core.

The issue's target: "search with 3 filters and a keyword: p95 <= 50 ms; count <= 100 ms".
What it runs, on a seeded copy of the cached synthetic catalog (_catalog: 1M people, 200k
companies, 100k openings imported by ``leadbase catalog import``):

1. ``--queries`` different searches per kind (people, companies, openings), each with three
   filters and a keyword, drawn from records of the catalog itself (a random record's
   title, seniority, department, country, city, company industry and headcount; a word of
   its company's name, its last name, a word of its title or its city as the keyword), so
   that each search has at least the record it came from to find; ``--warmup`` more,
   unreported, warm the server and the floor up first.
2. Leadbase as ``leadbase serve`` starts it: granian, one worker pinned to core 0,
   ``LEADBASE_LOG_LEVEL=WARNING``, rate windows and parallel caps raised (the built-in
   120/minute would answer 429s), credits granted (searches are billed per result). An
   httpx client pinned to core 1 sends the searches one at a time, on one keep-alive
   connection: each to ``POST /v1/search/{kind}`` (``limit`` 25), then each one's filters
   to ``POST /v1/search/{kind}/count``. Latency is timed in the client, from sending the
   request to having the whole body; the server's CPU time is read from /proc.
3. The floor: the SQL statements each request ran, recorded by running the same searches
   through the search service in this process (``search.prepare`` + ``search_people`` /
   ``count`` ...), replayed through the sqlite3 module on one connection with the server's
   pragmas, this process pinned to core 0 while the server is stopped: what SQLite itself
   costs for the answer, with no HTTP, spine, ORM or serialization.

Checks (any failure exits 2): every response is a 200; each search and its count agree
(an empty page iff a count of 0, ``has_more`` iff the count is over the limit) and the count
is the one the service gives in this process; the balance went down by exactly the price of
the results returned and nothing is left reserved. It reports the share of searches with
results (a benchmark of empty pages measures nothing).

Output: per endpoint p50/p95/p99, the server's CPU per request and the floor's p50/p95, then
``RATIO <endpoint> sql/leadbase`` (floor p95 over Leadbase p95) per endpoint and a verdict
against 50 ms (search p95) and 100 ms (count p95).

    .venv/bin/python bench/bench_search.py                        # 1M people, ~30 s cached
    .venv/bin/python bench/bench_search.py --people 20000 --companies 4000 --queries 50
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import _catalog
import httpx
import msgspec
import sqlalchemy as sa
from _harness import (
    LOAD_CORE,
    SERVER_CORE,
    BenchError,
    RunningServer,
    exit_status,
    machine_note,
    pinned_to,
    require_tools,
    serve,
    work_directory,
)
from _leadbase import AccountCredits, Seeded, account_credits, leadbase_spec, unlimited

from leadbase.server import db
from leadbase.server.credits.prices import DEFAULT_PRICES
from leadbase.server.search import service as search
from leadbase.server.search.filters import Kind
from leadbase.server.search.schemas import (
    MAX_LIMIT,
    CompanyFilters,
    Department,
    HeadcountRange,
    OpeningFilters,
    PeopleFilters,
    Seniority,
)

KINDS: tuple[Kind, ...] = ("people", "companies", "openings")
FILTER_TYPES: dict[Kind, type[PeopleFilters | CompanyFilters | OpeningFilters]] = {
    "people": PeopleFilters,
    "companies": CompanyFilters,
    "openings": OpeningFilters,
}
SEARCH_TARGET_MS = 50.0
COUNT_TARGET_MS = 100.0
GRANT_MILLICREDITS = 10**12
_WORD = re.compile(r"[^\W_]+")
_SKIPPED_SQL = ("BEGIN", "COMMIT", "ROLLBACK")


@dataclass(frozen=True, slots=True)
class Search:
    """One search: its kind, the template it was made from, the filters sent."""

    kind: Kind
    template: str
    filters: dict[str, Any]


@dataclass(slots=True)
class Endpoint:
    """What one endpoint answered: a latency and a result per search, the server's CPU."""

    kind: Kind
    counting: bool
    seconds: list[float] = field(default_factory=list)
    # Results on the page (search) or the count (count), per search.
    results: list[int] = field(default_factory=list)
    has_more: list[bool] = field(default_factory=list)
    server_cpu_seconds: float = 0.0
    floor_seconds: list[float] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/v1/search/{self.kind}" + ("/count" if self.counting else "")

    @property
    def label(self) -> str:
        return f"{self.kind} {'count' if self.counting else 'search'}"

    @property
    def target_ms(self) -> float:
        return COUNT_TARGET_MS if self.counting else SEARCH_TARGET_MS

    @property
    def non_empty_share(self) -> float:
        return sum(1 for found in self.results if found) / len(self.results)


# The statements of one request, as the service ran them.
Recorded = list[tuple[str, tuple[Any, ...]]]


def main() -> int:
    options = _options()
    return exit_status(lambda: _run_in_work_directory(options))


def _run_in_work_directory(options: argparse.Namespace) -> int:
    require_tools(("taskset",))
    catalog, _synthetic = _catalog.imported(options.people, options.companies)
    with work_directory(keep=options.keep) as work:
        return run(catalog, work, options)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    _catalog.add_size_options(parser)
    parser.add_argument("--queries", type=int, default=300, help="measured searches per kind")
    parser.add_argument("--warmup", type=int, default=30, help="unreported searches per kind")
    parser.add_argument("--limit", type=int, default=25, help="results per page")
    parser.add_argument("--seed", type=int, default=1, help="which records the searches use")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    options = parser.parse_args()
    if options.queries < 1 or options.warmup < 0 or not 1 <= options.limit <= MAX_LIMIT:
        parser.error(f"--queries must be 1 or more, --warmup 0 or more, --limit 1 to {MAX_LIMIT}")
    return options


def run(catalog: Path, work: Path, options: argparse.Namespace) -> int:
    print(machine_note())
    print(f"copying {catalog.name} ...", flush=True)
    seeded = _catalog.seeded_copy(work / "db", catalog, grant_millicredits=GRANT_MILLICREDITS)
    path = db.sqlite_path(seeded.database_url)
    assert path is not None
    rng = random.Random(options.seed)
    total = options.warmup + options.queries
    searches = {kind: draw_searches(path, kind, total, rng) for kind in KINDS}
    print(f"recording the SQL of {total * len(KINDS) * 2:,} requests in this process ...")
    recorded = asyncio.run(record_sql(seeded.database_url, searches, limit=options.limit))
    endpoints = measure_server(seeded, searches, work, options)
    replay_floor(path, recorded, endpoints, warmup=options.warmup)
    _check_counts(endpoints, recorded, options.warmup)
    print()
    print(_table(endpoints))
    print(_by_template(searches, endpoints, options.warmup))
    return _verdict(endpoints)


# Searches --------------------------------------------------------------------------------


def draw_searches(path: Path, kind: Kind, count: int, rng: random.Random) -> list[Search]:
    """``count`` searches made from random records, the templates taken in turn."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (last,) = connection.execute(f"SELECT max(rowid) FROM {kind}").fetchone()
        templates = TEMPLATES[kind]
        vocabulary = _vocabulary(connection)
        searches: list[Search] = []
        attempts = 0
        while len(searches) < count:
            attempts += 1
            if attempts > 50 * count:
                raise BenchError(f"could not draw {count} {kind} searches from {path.name}")
            row = connection.execute(RECORD_SQL[kind], (rng.randint(1, last),)).fetchone()
            name, build = templates[len(searches) % len(templates)]
            filters = build(row, rng, vocabulary) if row is not None else None
            if filters is not None:
                searches.append(Search(kind, name, filters))
        return searches
    finally:
        connection.close()


def _vocabulary(connection: sqlite3.Connection) -> Vocabulary:
    """The catalog's industries, and its ten commonest countries."""
    industries = connection.execute(
        "SELECT DISTINCT industry FROM companies WHERE industry IS NOT NULL ORDER BY 1"
    ).fetchall()
    countries = connection.execute(
        "SELECT country FROM companies WHERE country IS NOT NULL"
        " GROUP BY country ORDER BY count(*) DESC LIMIT 10"
    ).fetchall()
    return Vocabulary(tuple(row[0] for row in industries), tuple(row[0] for row in countries))


RECORD_SQL: dict[Kind, str] = {
    "people": (
        "SELECT p.title, p.seniority, p.department, p.country, p.city, p.first_name,"
        " p.last_name, c.name, c.industry, c.headcount_range"
        " FROM people p LEFT JOIN companies c ON c.id = p.company_id WHERE p.rowid = ?"
    ),
    "companies": (
        "SELECT name, industry, headcount_range, country, city FROM companies WHERE rowid = ?"
    ),
    "openings": (
        "SELECT o.title, o.seniority, o.department, o.country, o.city, c.name"
        " FROM openings o JOIN companies c ON c.id = o.company_id WHERE o.rowid = ?"
    ),
}

Row = tuple[Any, ...]
Builder = Callable[[Row, random.Random, "Vocabulary"], dict[str, Any] | None]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Filter values to pick more of, as a user ticks several boxes of a facet."""

    industries: tuple[str, ...]
    countries: tuple[str, ...]
    seniorities: tuple[str, ...] = get_args(Seniority)
    departments: tuple[str, ...] = get_args(Department)
    headcounts: tuple[str, ...] = get_args(HeadcountRange)


def _more(value: str | None, choices: Sequence[str], extra: int, rng: random.Random) -> list[Any]:
    """``value`` and ``extra`` other values of its facet."""
    others = [choice for choice in choices if choice != value]
    return [value, *rng.sample(others, min(extra, len(others)))]


def _words(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def _first_word(text: str | None) -> str | None:
    return next(iter(_words(text)), None)


def _longest_word(text: str | None) -> str | None:
    return max(_words(text), key=len, default=None)


def _any_word(text: str | None, rng: random.Random) -> str | None:
    found = [word for word in _words(text) if len(word) > 2]
    return rng.choice(found) if found else None


def _complete(filters: dict[str, Any]) -> dict[str, Any] | None:
    """The filters, or None when one of them has no value in the record."""
    return None if _has_none(filters) else filters


def _has_none(value: object) -> bool:
    if isinstance(value, dict):
        return any(_has_none(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_none(item) for item in value)
    return value is None


# Broad to narrow: a title word or a first name matches thousands, a company's first
# word hundreds, its longest word (its own name) or a last name in a city a handful.
def _people_templates() -> list[tuple[str, Builder]]:
    # title, seniority, department, country, city, first, last, company, industry, headcount
    return [
        (
            "wide: 3 seniorities, 2 departments, 2 countries + title word",
            lambda r, rng, v: _complete({
                "seniorities": _more(r[1], v.seniorities, 2, rng),
                "departments": _more(r[2], v.departments, 1, rng),
                "locations": _more(r[3], v.countries, 1, rng), "keywords": _any_word(r[0], rng),
            }),
        ),
        (
            "department, headcount, country + title word",
            lambda r, rng, v: _complete({
                "departments": [r[2]], "company_headcounts": [r[9]], "locations": [r[3]],
                "keywords": _any_word(r[0], rng),
            }),
        ),
        (
            "job title, country, industry + first name",
            lambda r, rng, v: _complete({
                "job_titles": [r[0]], "locations": [r[3]], "company_industries": [r[8]],
                "keywords": r[5],
            }),
        ),
        (
            "seniority, department, country + company's first word",
            lambda r, rng, v: _complete({
                "seniorities": [r[1]], "departments": [r[2]], "locations": [r[3]],
                "keywords": _first_word(r[7]),
            }),
        ),
        (
            "seniority, industry, country + company's longest word",
            lambda r, rng, v: _complete({
                "seniorities": [r[1]], "company_industries": [r[8]], "locations": [r[3]],
                "keywords": _longest_word(r[7]),
            }),
        ),
        (
            "department, city, headcount + last name",
            lambda r, rng, v: _complete({
                "departments": [r[2]], "locations": [{"country": r[3], "city": r[4]}],
                "company_headcounts": [r[9]], "keywords": r[6],
            }),
        ),
    ]  # fmt: skip


def _company_templates() -> list[tuple[str, Builder]]:
    # name, industry, headcount, country, city
    return [
        (
            "wide: 3 industries, 2 headcounts, 2 countries + industry word",
            lambda r, rng, v: _complete({
                "industries": _more(r[1], v.industries, 2, rng),
                "headcounts": _more(r[2], v.headcounts, 1, rng),
                "locations": _more(r[3], v.countries, 1, rng), "keywords": _any_word(r[1], rng),
            }),
        ),
        (
            "industry, headcount, country + city",
            lambda r, rng, v: _complete({
                "industries": [r[1]], "headcounts": [r[2]], "locations": [r[3]],
                "keywords": r[4],
            }),
        ),
        (
            "industry, headcount, country + name's first word",
            lambda r, rng, v: _complete({
                "industries": [r[1]], "headcounts": [r[2]], "locations": [r[3]],
                "keywords": _first_word(r[0]),
            }),
        ),
        (
            "industry, city, founded from 1900 + name's longest word",
            lambda r, rng, v: _complete({
                "industries": [r[1]], "locations": [{"country": r[3], "city": r[4]}],
                "founded_from": 1900, "keywords": _longest_word(r[0]),
            }),
        ),
    ]  # fmt: skip


def _opening_templates() -> list[tuple[str, Builder]]:
    # title, seniority, department, country, city, company
    return [
        (
            "wide: 2 departments, 3 seniorities, 2 countries + title word",
            lambda r, rng, v: _complete({
                "departments": _more(r[2], v.departments, 1, rng),
                "seniorities": _more(r[1], v.seniorities, 2, rng),
                "locations": _more(r[3], v.countries, 1, rng), "keywords": _any_word(r[0], rng),
            }),
        ),
        (
            "department, seniority, country + title word",
            lambda r, rng, v: _complete({
                "departments": [r[2]], "seniorities": [r[1]], "locations": [r[3]],
                "keywords": _any_word(r[0], rng),
            }),
        ),
        (
            "title, seniority, country + company's first word",
            lambda r, rng, v: _complete({
                "titles": [r[0]], "seniorities": [r[1]], "locations": [r[3]],
                "keywords": _first_word(r[5]),
            }),
        ),
        (
            "department, seniority, city + company's longest word",
            lambda r, rng, v: _complete({
                "departments": [r[2]], "seniorities": [r[1]],
                "locations": [{"country": r[3], "city": r[4]}],
                "keywords": _longest_word(r[5]),
            }),
        ),
    ]  # fmt: skip


TEMPLATES: dict[Kind, list[tuple[str, Builder]]] = {
    "people": _people_templates(),
    "companies": _company_templates(),
    "openings": _opening_templates(),
}


# The server ------------------------------------------------------------------------------


def measure_server(
    seeded: Seeded, searches: dict[Kind, list[Search]], work: Path, options: argparse.Namespace
) -> list[Endpoint]:
    env = unlimited(*(f"search.{kind}" for kind in KINDS))
    spec = leadbase_spec("leadbase", seeded, log_level="WARNING", env=env)
    endpoints = [Endpoint(kind, counting) for kind in KINDS for counting in (False, True)]
    with pinned_to(LOAD_CORE), serve(spec, log_dir=work) as server:
        print(f"server on core {SERVER_CORE}, client on core {LOAD_CORE}: {server.base_url}")
        before = account_credits(server, seeded.headers)
        with httpx.Client(
            base_url=server.base_url,
            headers={**seeded.headers, "Content-Type": "application/json"},
            timeout=60.0,
        ) as client:
            for endpoint in endpoints:
                _measure(server, client, endpoint, searches[endpoint.kind], options)
        _check_billing(server, seeded, before, endpoints)
    return endpoints


def _measure(
    server: RunningServer,
    client: httpx.Client,
    endpoint: Endpoint,
    searches: Sequence[Search],
    options: argparse.Namespace,
) -> None:
    """Every search once, the warm-up ones first and unreported; the server's CPU meanwhile."""
    cpu_before = server.cpu_seconds()
    for index, one in enumerate(searches):
        if index == options.warmup:
            cpu_before = server.cpu_seconds()
        body: dict[str, Any] = {"filters": one.filters}
        if not endpoint.counting:
            body["limit"] = options.limit
        started = time.perf_counter()
        response = client.post(endpoint.path, content=msgspec.json.encode(body))
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise BenchError(
                f"POST {endpoint.path} answered {response.status_code} to"
                f" {msgspec.json.encode(body).decode()}: {response.text[:500]}"
            )
        answer = msgspec.json.decode(response.content)
        if endpoint.counting:
            endpoint.results.append(answer["data"]["count"])
            endpoint.has_more.append(False)
        else:
            endpoint.results.append(len(answer["data"]))
            endpoint.has_more.append(answer["meta"]["has_more"])
        endpoint.seconds.append(elapsed)
    endpoint.server_cpu_seconds = server.cpu_seconds() - cpu_before
    measured = endpoint.seconds[options.warmup :]
    print(
        f"  {endpoint.label:<17} {len(measured):>5} requests  p50 {_ms(measured, 50):7.1f} ms"
        f"  p95 {_ms(measured, 95):7.1f} ms  server CPU"
        f" {1000 * endpoint.server_cpu_seconds / len(measured):6.1f} ms/req",
        flush=True,
    )


def _check_billing(
    server: RunningServer, seeded: Seeded, before: AccountCredits, endpoints: Sequence[Endpoint]
) -> None:
    """The balance went down by the price of every result returned, nothing held."""
    after = account_credits(server, seeded.headers)
    charged = sum(
        DEFAULT_PRICES[f"search.{endpoint.kind}"] * sum(endpoint.results)
        for endpoint in endpoints
        if not endpoint.counting
    )
    if before.balance - after.balance != charged or after.reserved:
        raise BenchError(
            f"billing: the balance went down by {before.balance - after.balance} millicredits"
            f" for {charged} worth of results; {after.reserved} still reserved"
        )


# The floor -------------------------------------------------------------------------------


async def record_sql(
    url: str, searches: dict[Kind, list[Search]], *, limit: int
) -> dict[tuple[Kind, bool], list[tuple[int, Recorded]]]:
    """Each request's statements and its count, as the search service runs them here."""
    database = db.Database(url)
    current: Recorded = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if not statement.lstrip().upper().startswith(_SKIPPED_SQL):
            current.append((statement, tuple(parameters or ())))

    sa.event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    found: dict[tuple[Kind, bool], list[tuple[int, Recorded]]] = {}
    try:
        for kind, kind_searches in searches.items():
            for counting in (False, True):
                found[(kind, counting)] = []
                for one in kind_searches:
                    current = []
                    async with database.transaction(write=False) as session:
                        result = await _service_call(session, one, counting=counting, limit=limit)
                    found[(kind, counting)].append((result, current))
    finally:
        await database.dispose()
    return found


async def _service_call(session: Any, one: Search, *, counting: bool, limit: int) -> int:
    filters = msgspec.convert(one.filters, FILTER_TYPES[one.kind])
    if counting:
        query = search.prepare_count(one.kind, mode="database", filters=filters)
        return await search.count(session, query=query)
    query = search.prepare(
        one.kind, mode="database", filters=filters, limit=limit, cursor=None,
        entitlements=frozenset(),
    )  # fmt: skip
    page: search.Page[Any]
    if one.kind == "people":
        page = await search.search_people(session, query=query)
    elif one.kind == "companies":
        page = await search.search_companies(session, query=query)
    else:
        page = await search.search_openings(session, query=query)
    return len(page.items)


def replay_floor(
    path: Path,
    recorded: dict[tuple[Kind, bool], list[tuple[int, Recorded]]],
    endpoints: Sequence[Endpoint],
    *,
    warmup: int,
) -> None:
    """Each request's statements through sqlite3, pinned to the server's core (now idle)."""
    print(f"replaying the recorded SQL through sqlite3 on core {SERVER_CORE} ...", flush=True)
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    try:
        with pinned_to(SERVER_CORE):
            for endpoint in endpoints:
                for _result, statements in recorded[(endpoint.kind, endpoint.counting)]:
                    started = time.perf_counter()
                    for statement, parameters in statements:
                        connection.execute(statement, parameters).fetchall()
                    endpoint.floor_seconds.append(time.perf_counter() - started)
                del endpoint.floor_seconds[:warmup]
    finally:
        connection.close()


# Checks and output -----------------------------------------------------------------------


def _check_counts(
    endpoints: Sequence[Endpoint],
    recorded: dict[tuple[Kind, bool], list[tuple[int, Recorded]]],
    warmup: int,
) -> None:
    """Search and count agree with each other and with the service run in this process."""
    by_key = {(endpoint.kind, endpoint.counting): endpoint for endpoint in endpoints}
    for kind in KINDS:
        page, counted = by_key[(kind, False)], by_key[(kind, True)]
        counts = [result for result, _statements in recorded[(kind, True)]]
        sizes = [result for result, _statements in recorded[(kind, False)]]
        for index, (found, more, total) in enumerate(
            zip(page.results, page.has_more, counted.results, strict=True)
        ):
            agree = (found == 0) == (total == 0) and more == (total > found)
            if not agree or (total, found) != (counts[index], sizes[index]):
                raise BenchError(
                    f"{kind} search {index}: {found} results (has_more {more}), count {total};"
                    f" in this process {sizes[index]} results, count {counts[index]}"
                )
        del page.seconds[:warmup], page.results[:warmup], page.has_more[:warmup]
        del counted.seconds[:warmup], counted.results[:warmup], counted.has_more[:warmup]


def _ms(seconds: Sequence[float], percentile: int) -> float:
    """The nearest-rank percentile, in milliseconds."""
    ordered = sorted(seconds)
    rank = max(1, -(-percentile * len(ordered) // 100))
    return 1000 * ordered[rank - 1]


def _table(endpoints: Sequence[Endpoint]) -> str:
    header = (
        f"  {'endpoint':<31} {'requests':>8} {'non-empty':>9} {'results':>8} {'p50 ms':>7}"
        f" {'p95 ms':>7} {'p99 ms':>7} {'CPU ms/req':>10} {'sql p50':>8} {'sql p95':>8}"
    )
    lines = [header]
    for e in endpoints:
        lines.append(
            f"  POST {e.path:<26} {len(e.seconds):>8} {e.non_empty_share:>9.0%}"
            f" {sorted(e.results)[len(e.results) // 2]:>8,} {_ms(e.seconds, 50):>7.1f}"
            f" {_ms(e.seconds, 95):>7.1f} {_ms(e.seconds, 99):>7.1f}"
            f" {1000 * e.server_cpu_seconds / len(e.seconds):>10.1f}"
            f" {_ms(e.floor_seconds, 50):>8.2f} {_ms(e.floor_seconds, 95):>8.2f}"
        )
    lines.append(
        "  (results: the median page size or count; CPU: the server's, all processes;"
        " sql: the same statements through sqlite3)"
    )
    return "\n".join(lines)


def _by_template(
    searches: dict[Kind, list[Search]], endpoints: Sequence[Endpoint], warmup: int
) -> str:
    by_key = {(e.kind, e.counting): e for e in endpoints}
    lines = ["", "  by template: searches, median count, non-empty, p50/p95 ms of search and count"]
    for kind in KINDS:
        page, counted = by_key[(kind, False)], by_key[(kind, True)]
        measured = searches[kind][warmup:]
        for name in dict.fromkeys(one.template for one in measured):
            chosen = [i for i, one in enumerate(measured) if one.template == name]
            if not chosen:
                continue
            counts = sorted(counted.results[i] for i in chosen)
            found = sum(1 for count in counts if count) / len(counts)
            search_ms = [page.seconds[i] for i in chosen]
            count_ms = [counted.seconds[i] for i in chosen]
            lines.append(
                f"  {kind:<9} {name:<62} {len(chosen):>4} {counts[len(counts) // 2]:>8,}"
                f" {found:>5.0%}  {_ms(search_ms, 50):6.1f} {_ms(search_ms, 95):6.1f}"
                f"  {_ms(count_ms, 50):6.1f} {_ms(count_ms, 95):6.1f}"
            )
    return "\n".join(lines)


def _verdict(endpoints: Sequence[Endpoint]) -> int:
    print()
    for e in endpoints:
        floor, served = _ms(e.floor_seconds, 95), _ms(e.seconds, 95)
        print(
            f"RATIO {e.kind}-{'count' if e.counting else 'search'} sql/leadbase = "
            f"{floor / served:.3f} (p95: the same SQL through sqlite3 {floor:.2f} ms vs"
            f" leadbase {served:.1f} ms over HTTP, one core)"
        )
    verdicts = []
    for counting in (False, True):
        chosen = [e for e in endpoints if e.counting == counting]
        passed = all(_ms(e.seconds, 95) <= e.target_ms for e in chosen)
        figures = ", ".join(f"{e.kind} {_ms(e.seconds, 95):.1f}" for e in chosen)
        verdicts.append(passed)
        print(
            f"{'count' if counting else 'search'} p95 target {chosen[0].target_ms:.0f} ms:"
            f" {'PASS' if passed else 'FAIL'} ({figures} ms)"
        )
    overall = all(verdicts)
    print(
        f"VERDICT {'PASS' if overall else 'FAIL'}: search with 3 filters and a keyword,"
        f" p95 <= {SEARCH_TARGET_MS:.0f} ms and count p95 <= {COUNT_TARGET_MS:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
