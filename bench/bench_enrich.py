"""People enrichment through the whole spine, on a 1M-people catalog, one server core.

    .venv/bin/python bench/bench_enrich.py [--duration 10] [--rounds 3]
    .venv/bin/python bench/bench_enrich.py --people 100000 --companies 20000   # quicker
    .venv/bin/python bench/bench_enrich.py --profile /tmp/prof   # + py-spy under the bulk load

The catalog is the synthetic one of _catalog.py (1M people, 200k companies, imported with
``leadbase catalog import``); a copy gets a bench org with credits and an all-scope key.
Two granian servers (one worker each) run pinned to core 0, wrk runs pinned to core 1:

1. Bulk: ``POST /v1/people/enrich/bulk`` with 500 rows a call, built from the catalog's
   labelled lookups (queries.csv: emails, LinkedIn URLs, phones, names with a company
   domain or name, typos, people who are not there), 20 different bodies sent in turn
   (10,000 distinct rows). Two connections keep the server's core busy. Rows/s is
   500 x calls/s; the issue's target is 10,000 rows/s.
2. Single: ``POST /v1/people/enrich`` by email, 200 emails of people in the catalog in
   turn, against bare_app.py replaying one real 200 of it, with 32 connections:
   ``RATIO people-enrich/bare``, as the metering benchmark prints for its endpoint.

Every call goes through the spine (key, rate windows, parallel lease, credit reservation,
perform, settle, usage line); the built-in windows would answer 429s, so the run raises
them (LEADBASE_LIMITS, LEADBASE_PARALLEL) and says so. Any response of 400 or more fails
the run (a 404 no_match is one: the single-call emails are checked to match first).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Sequence
from pathlib import Path

import _catalog
import httpx
import msgspec
from _harness import (
    BenchError,
    Load,
    Subject,
    Summary,
    WrkSettings,
    exit_status,
    machine_note,
    require_tools,
    run_rounds,
    serve,
    summarize,
    summary_table,
    warm_up,
    work_directory,
)
from _leadbase import Seeded, bare_spec, expect_ok, leadbase_spec, record_response, unlimited
from _profile import profile_under_load, py_spy

from leadbase.server.catalog.generate import LabelledQuery, labelled_queries

BULK_PATH = "/v1/people/enrich/bulk"
SINGLE_PATH = "/v1/people/enrich"
BULK_ROWS = 500
BULK_BODIES = 20
SINGLE_EMAILS = 200
TARGET_ROWS_PER_SECOND = 10_000
BULK = "leadbase bulk (500 rows)"
SINGLE = "leadbase single (email)"
BARE = "bare ASGI app"
# Far more than any run spends: 1 credit a matched row.
GRANT_MILLICREDITS = 10**13


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    _catalog.add_size_options(parser)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per server")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32, help="for the single calls")
    parser.add_argument("--bulk-connections", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="afterwards, sample the server with py-spy under the bulk load; reports go to DIR",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return exit_status(lambda: run(args))


def run(args: argparse.Namespace) -> int:
    require_tools()
    if args.profile is not None:
        py_spy()  # missing: say so before the catalog is built
    catalog, synthetic = _catalog.imported(args.people, args.companies)
    queries = labelled_queries(synthetic)
    env = unlimited("people.enrich")
    with work_directory(keep=args.keep) as work_dir, contextlib.ExitStack() as servers:
        seeded = _catalog.seeded_copy(
            work_dir / "catalog", catalog, grant_millicredits=GRANT_MILLICREDITS
        )
        leadbase = servers.enter_context(
            serve(leadbase_spec("leadbase", seeded, log_level="WARNING", env=env), log_dir=work_dir)
        )
        headers = {**seeded.headers, "Content-Type": "application/json"}
        bulk_bodies = bulk_bodies_of(queries)
        single_bodies = matching_emails(leadbase.base_url, headers, queries)
        response_file = work_dir / "enrich-response.json"
        record_response(
            leadbase, SINGLE_PATH, headers, into=response_file, method="POST", body=single_bodies[0]
        )
        bare = servers.enter_context(serve(bare_spec("bare", response_file), log_dir=work_dir))
        single = Load(path=SINGLE_PATH, method="POST", headers=headers, bodies=single_bodies)
        bulk = Load(path=BULK_PATH, method="POST", headers=headers, bodies=bulk_bodies)
        single_check = expect_ok(SINGLE_PATH, headers, method="POST", body=single_bodies[0])
        bulk_check = expect_ok(BULK_PATH, headers, method="POST", body=bulk_bodies[0])
        single_subjects = [
            Subject(SINGLE, leadbase, single, single_check),
            Subject(BARE, bare, single, single_check),
        ]
        bulk_subjects = [Subject(BULK, leadbase, bulk, bulk_check)]
        print(_preamble(args, seeded, queries, bulk_bodies, env))
        single_settings = _settings(args.duration, args.connections)
        bulk_settings = _settings(args.duration, args.bulk_connections)
        print(f"warming up ({args.warmup:g} s each) ...")
        warm_up(bulk_subjects, _settings(args.warmup, args.bulk_connections), work_dir=work_dir)
        warm_up(single_subjects, _settings(args.warmup, args.connections), work_dir=work_dir)
        print(f"measuring ({args.rounds} rounds, {args.duration:g} s each) ...")
        results = run_rounds(bulk_subjects, bulk_settings, rounds=args.rounds, work_dir=work_dir)
        results |= run_rounds(
            single_subjects, single_settings, rounds=args.rounds, work_dir=work_dir
        )
        summaries = summarize(results)
        if args.profile is not None:
            print(
                "\n" + profile_under_load(args.profile, [leadbase], bulk, bulk_settings, work_dir)
            )
        if args.keep:
            print(f"\nwork directory kept: {work_dir}")
    print(f"\n{machine_note()}")
    print(summary_table(summaries) + "\n")
    print(_bulk_line(summaries[BULK]))
    print(_ratio_line(summaries[SINGLE], summaries[BARE]))
    return 0


def _settings(seconds: float, connections: int) -> WrkSettings:
    return WrkSettings(duration_seconds=seconds, connections=connections, threads=1)


# Bodies -----------------------------------------------------------------------------------


def bulk_bodies_of(queries: Sequence[LabelledQuery]) -> list[bytes]:
    """BULK_BODIES bodies of BULK_ROWS rows each, the labelled queries in file order."""
    needed = BULK_ROWS * BULK_BODIES
    if len(queries) < needed:
        raise BenchError(f"{needed:,} labelled queries needed, the catalog has {len(queries):,}")
    rows = [_catalog.enrich_row(query) for query in queries[:needed]]
    return [
        msgspec.json.encode({"rows": rows[start : start + BULK_ROWS]})
        for start in range(0, needed, BULK_ROWS)
    ]


def matching_emails(
    base_url: str, headers: dict[str, str], queries: Sequence[LabelledQuery]
) -> list[bytes]:
    """Bodies of SINGLE_EMAILS emails that the server matches (a 404 would fail the run)."""
    bodies: list[bytes] = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=30.0) as client:
        for query in queries:
            if query.email is None or query.expected_entity_id is None:
                continue
            body = msgspec.json.encode({"email": query.email})
            if client.post(SINGLE_PATH, content=body).status_code == 200:
                bodies.append(body)
                if len(bodies) == SINGLE_EMAILS:
                    return bodies
    raise BenchError(f"only {len(bodies)} labelled emails matched; {SINGLE_EMAILS} needed")


# Output -----------------------------------------------------------------------------------


def _preamble(
    args: argparse.Namespace,
    seeded: Seeded,
    queries: Sequence[LabelledQuery],
    bulk_bodies: Sequence[bytes],
    env: dict[str, str],
) -> str:
    kinds: dict[str, int] = {}
    for query in queries[: BULK_ROWS * BULK_BODIES]:
        kind = "absent" if query.expected_entity_id is None else "present"
        kinds[kind] = kinds.get(kind, 0) + 1
    sizes = sorted(len(body) for body in bulk_bodies)
    return "\n".join(
        [
            f"catalog: {args.people:,} people, {args.companies:,} companies ({seeded.database_url})",
            f"bulk bodies: {len(bulk_bodies)} x {BULK_ROWS} rows ({kinds.get('present', 0):,}"
            f" lookups of people in the catalog, {kinds.get('absent', 0):,} of people who are"
            f" not), {sizes[0]:,}-{sizes[-1]:,} bytes",
            f"single bodies: {SINGLE_EMAILS} emails of people in the catalog",
            f"limits raised for the run: {env}",
            f"wrk: {args.bulk_connections} connections (bulk), {args.connections} (single)",
        ]
    )


def _bulk_line(bulk: Summary) -> str:
    rows_per_second = bulk.requests_per_second * BULK_ROWS
    cpu_rows_per_second = 1e6 * BULK_ROWS / bulk.cpu_us_per_request
    verdict = "PASS" if rows_per_second >= TARGET_ROWS_PER_SECOND else "FAIL"
    return (
        f"BULK people/enrich/bulk = {rows_per_second:,.0f} rows/s ({bulk.requests_per_second:.1f}"
        f" calls/s of {BULK_ROWS} rows, p50 {bulk.p50_ms:.0f} ms; {cpu_rows_per_second:,.0f}"
        f" rows per CPU second; core busy {bulk.server_core_share:.0%});"
        f" target {TARGET_ROWS_PER_SECOND:,} rows/s: {verdict}"
    )


def _ratio_line(single: Summary, bare: Summary) -> str:
    return (
        f"RATIO people-enrich/bare = {single.requests_per_second / bare.requests_per_second:.3f}"
        f" (leadbase {single.requests_per_second:,.0f} req/s vs bare"
        f" {bare.requests_per_second:,.0f} req/s, one core; server CPU per call"
        f" {single.cpu_us_per_request:,.0f} vs {bare.cpu_us_per_request:,.0f} us)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
