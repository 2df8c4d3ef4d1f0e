"""The SDK's cost per call against a raw httpx call, and ``leadbase enrich`` of 100k rows.

    .venv/bin/python bench/bench_sdk.py [--calls 300] [--rounds 5] [--rows 100000]

1. Overhead: the same GET /v1/account, N calls at a time, through ``Leadbase.account.get()``
   and through a bare ``httpx.Client.get()`` (+ ``.json()``), in alternating rounds, against
   Leadbase and against bare_app.py replaying Leadbase's answer (there the server costs
   next to nothing, so the client's own cost shows). Servers pinned to core 0, the
   clients (this process) to core 1.
2. Enrich: a synthetic catalog (``leadbase catalog generate`` + ``catalog import``), a CSV of
   --rows labelled queries, ``leadbase enrich`` end to end against a server on core 0,
   the command on core 1: rows/s, and the credits charged checked against the matches.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import httpx
from _harness import (
    LOAD_CORE,
    BenchError,
    RunningServer,
    exit_status,
    machine_note,
    pinned_to,
    require_tools,
    serve,
    work_directory,
)
from _leadbase import (
    Seeded,
    account_credits,
    bare_spec,
    leadbase_spec,
    prepare_database,
    record_response,
    unlimited,
)

from leadbase import Leadbase
from leadbase._bulk import MAX_BULK_ROWS

PATH = "/v1/account"
LEADBASE = Path(sys.executable).parent / "leadbase"
NO_LIMITS = unlimited("people.enrich")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=300, help="calls per measurement")
    parser.add_argument("--rounds", type=int, default=5, help="measurements of each client")
    parser.add_argument("--rows", type=int, default=100_000, help="rows to enrich (0: skip)")
    parser.add_argument("--concurrency", type=int, default=4, help="enrich --concurrency")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    if args.calls < 1 or args.rounds < 1 or args.rows < 0:
        parser.error("--calls and --rounds must be at least 1, --rows at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    return exit_status(lambda: run(args))


def run(args: argparse.Namespace) -> int:
    require_tools(("taskset",))
    print(
        f"SDK bench: Python {platform.python_version()}, httpx {version('httpx')},"
        f" granian {version('granian')}; {machine_note()}"
    )
    with work_directory(keep=args.keep) as work_dir:
        seeded = prepare_database(work_dir, grant_millicredits=10**10)
        with serve(
            leadbase_spec("leadbase", seeded, log_level="WARNING", env=NO_LIMITS), log_dir=work_dir
        ) as server:
            response_file = work_dir / "account-response.json"
            record_response(server, PATH, seeded.headers, into=response_file)
            with serve(bare_spec("bare", response_file), log_dir=work_dir) as bare:
                overhead(server, bare, seeded, calls=args.calls, rounds=args.rounds)
            if args.rows:
                enrich(server, seeded, work_dir, rows=args.rows, concurrency=args.concurrency)
        if args.keep:
            print(f"\nwork directory kept: {work_dir}")
    return 0


# 1. Overhead per call --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PerCall:
    wall_us: float
    cpu_us: float


def _timed(call: Callable[[], object], calls: int) -> PerCall:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return PerCall(
        wall_us=(time.perf_counter() - wall) / calls * 1e6,
        cpu_us=(time.process_time() - cpu) / calls * 1e6,
    )


def _raw_call(client: httpx.Client) -> Callable[[], object]:
    def call() -> object:
        response = client.get(PATH)
        response.raise_for_status()
        return response.json()["data"]

    return call


def _sdk_call(client: Leadbase) -> Callable[[], object]:
    return client.account.get


def overhead(
    server: RunningServer, bare: RunningServer, seeded: Seeded, *, calls: int, rounds: int
) -> None:
    with pinned_to(LOAD_CORE):
        print(
            f"\n1. GET {PATH}: {calls} calls per measurement, {rounds} rounds, client on core {LOAD_CORE}"
        )
        lines = []
        for target in (bare, server):
            raw_http = httpx.Client(base_url=target.base_url, headers=seeded.headers)
            sdk = Leadbase(api_key=seeded.secret, base_url=target.base_url, max_retries=0)

            raw, via_sdk = _raw_call(raw_http), _sdk_call(sdk)
            with raw_http, sdk:
                for call in (raw, via_sdk):
                    _timed(call, 50)  # warm-up: connections, caches
                measured: dict[str, list[PerCall]] = {"raw httpx": [], "SDK": []}
                for number in range(rounds):
                    order = [("raw httpx", raw), ("SDK", via_sdk)]
                    for label, call in order if number % 2 == 0 else reversed(order):
                        measured[label].append(_timed(call, calls))
            raw_wall = statistics.median(m.wall_us for m in measured["raw httpx"])
            sdk_wall = statistics.median(m.wall_us for m in measured["SDK"])
            raw_cpu = statistics.median(m.cpu_us for m in measured["raw httpx"])
            sdk_cpu = statistics.median(m.cpu_us for m in measured["SDK"])
            name = target.spec.name
            print(
                f"  {name:<9} raw httpx {raw_wall:8,.0f} us/call ({raw_cpu:5,.0f} us client CPU)"
                f"   SDK {sdk_wall:8,.0f} us/call ({sdk_cpu:5,.0f} us client CPU)"
            )
            lines.append(
                f"RATIO sdk/raw-httpx against {name} = {sdk_wall / raw_wall:.3f}"
                f" (SDK {sdk_wall:,.0f} vs raw {raw_wall:,.0f} us/call: +{sdk_wall - raw_wall:,.0f} us;"
                f" client CPU +{sdk_cpu - raw_cpu:,.0f} us/call)"
            )
    print("\n".join(lines))


# 2. leadbase enrich end to end -----------------------------------------------------------


def enrich(
    server: RunningServer, seeded: Seeded, work_dir: Path, *, rows: int, concurrency: int
) -> None:
    print(f"\n2. leadbase enrich of {rows:,} rows (concurrency {concurrency})")
    catalog = work_dir / "synthetic"
    started = time.perf_counter()
    _leadbase(
        "catalog", "generate", "--people", str(rows), "--queries", str(rows), "--out", str(catalog)
    )
    for name in ("companies.csv", "people.csv"):
        _leadbase("catalog", "import", str(catalog / name), "--database-url", seeded.database_url)
    print(f"  catalog generated and imported in {time.perf_counter() - started:,.0f} s")
    source = work_dir / "input.csv"
    written = _input_csv(catalog / "queries.csv", source, rows)
    output = work_dir / "enriched.csv"
    before = account_credits(server, seeded.headers)
    env = {**os.environ, "LEADBASE_API_KEY": seeded.secret, "LEADBASE_BASE_URL": server.base_url}
    command = [
        "taskset",
        "-c",
        str(LOAD_CORE),
        str(LEADBASE),
        "enrich",
        str(source),
        "-o",
        str(output),
    ]
    command += ["--concurrency", str(concurrency), "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchError(f"leadbase enrich failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    after = account_credits(server, seeded.headers)
    charged = before.balance - after.balance
    price = 1000  # people.enrich, millicredits per person a call matched
    with output.open(newline="") as file:
        people = [row["leadbase_person_id"] for row in csv.DictReader(file)]
    if len(people) != written:
        raise BenchError("the output does not have a row per input row")
    # Each call (a chunk of 500 rows, in order) bills the people it matched once.
    billable = sum(
        len(set(people[start : start + MAX_BULK_ROWS]) - {""})
        for start in range(0, written, MAX_BULK_ROWS)
    )
    if (
        summary["rows"] != written
        or charged != billable * price
        or round(summary["credits_charged"] * price) != charged
        or after.reserved
    ):
        raise BenchError(
            f"enrich summary {summary} does not add up: charged {charged} millicredits"
            f" for {billable} people matched"
        )
    print(
        f"  {written:,} rows in {seconds:,.1f} s: {summary['matched']:,} matched,"
        f" {summary['no_match']:,} no match, {summary['invalid']:,} invalid;"
        f" {charged / price:,.0f} credits charged = people matched, once per call"
    )
    print(
        f"RATE enrich = {written / seconds:,.0f} rows/s ({written:,} rows, {seconds:,.1f} s end to end)"
    )


def _leadbase(*args: str) -> None:
    done = subprocess.run(
        [str(LEADBASE), *args, "--json"], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"leadbase {' '.join(args)} failed: {done.stderr[-2000:]}")


def _input_csv(queries: Path, target: Path, rows: int) -> int:
    """The first ``rows`` labelled queries (people as a customer would look them up)."""
    with queries.open(newline="") as file, target.open("w", newline="") as out:
        reader = csv.reader(file)
        writer = csv.writer(out)
        writer.writerow(next(reader))
        written = 0
        for row in reader:
            if written == rows:
                break
            writer.writerow(row)
            written += 1
    return written


if __name__ == "__main__":
    sys.exit(main())
