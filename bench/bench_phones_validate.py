"""Requests/s of the metered POST /v1/phones/validate against a bare ASGI app, on one core.

    .venv/bin/python bench/bench_phones_validate.py [--duration 10] [--connections 32] [--rounds 3]

Three granian servers (one worker each) run pinned to core 0: Leadbase answering POSTs that
carry a fresh Idempotency-Key each, Leadbase answering the same POST without one, and
bare_app.py replaying the exact bytes and headers of one real 200 of the endpoint. wrk,
pinned to core 1, measures them in alternating rounds; the medians give the ratios. Every
call goes through the whole metering spine (idempotency claim, rate windows, parallel
lease, credit reservation, perform, settle, usage line), and the ledger is checked after.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import msgspec
from _harness import (
    BenchError,
    Load,
    Measurement,
    RunningServer,
    Subject,
    Summary,
    WrkSettings,
    exit_status,
    machine_note,
    require_tools,
    run_rounds,
    run_wrk,
    serve,
    summarize,
    summary_table,
    warm_up,
    work_directory,
)
from _leadbase import (
    BENCH_PARALLEL,
    BENCH_WINDOWS,
    AccountCredits,
    Seeded,
    account_credits,
    bare_spec,
    copy_database,
    count_rows,
    expect_ok,
    leadbase_spec,
    prepare_database,
    record_response,
    status_counts,
)
from _profile import (
    Profile,
    finish_recording,
    py_spy,
    read_profile,
    report,
    start_recording,
)

from leadbase.server.credits.prices import DEFAULT_PRICES
from leadbase.server.limits.service import DEFAULT_PARALLEL, DEFAULT_WINDOWS, FALLBACK_PARALLEL

PATH = "/v1/phones/validate"
OPERATION = "phones.validate"
LIMIT_CLASS = "default"
BODY = b'{"phone": "+1 650 253 0000"}'
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENT = "leadbase (Idempotency-Key)"
PLAIN = "leadbase (no key)"
BARE = "bare ASGI app"
PROFILED = ", profiled"
# Far above what one core serves through the spine: the grant covers every possible call.
MAX_REQUESTS_PER_SECOND = 100_000
SPARE_REQUESTS = 10_000
# The ledger is read once the server has answered what wrk left in flight.
SETTLE_QUIET_SECONDS = 1.0
SETTLE_TIMEOUT_SECONDS = 60.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (-c)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (-t)")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each server")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per server")
    parser.add_argument(
        "--log-level",
        default="INFO",
        help="LEADBASE_LOG_LEVEL of both Leadbase servers (INFO, the default, writes the access log)",
    )
    parser.add_argument(
        "--windows",
        default=";".join(BENCH_WINDOWS),
        help="rate windows of the default class, ';'-separated (LEADBASE_LIMITS)",
    )
    parser.add_argument(
        "--parallel",
        type=int,
        default=BENCH_PARALLEL,
        help=f"parallel cap of {OPERATION} (LEADBASE_PARALLEL)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="afterwards, sample each Leadbase server with py-spy under load; reports go to DIR",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, db)")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.rounds < 1 or args.connections < 1 or args.threads < 1:
        parser.error("--duration, --rounds, --connections and --threads must be at least 1")
    if args.parallel < args.connections:
        parser.error("--parallel below --connections would answer 429s")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Progress lines should show as they happen, also through a pipe.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    return exit_status(lambda: _checked_run(args))


def _checked_run(args: argparse.Namespace) -> int:
    require_tools()
    if args.profile is not None:
        py_spy()
    return run(args)


@dataclass(frozen=True, slots=True)
class Metered:
    """A Leadbase server under test, its database and what its ledger said before the load."""

    label: str
    server: RunningServer
    seeded: Seeded
    idempotent: bool
    before: AccountCredits


def run(args: argparse.Namespace) -> int:
    settings = WrkSettings(
        duration_seconds=args.duration, connections=args.connections, threads=args.threads
    )
    warm = WrkSettings(
        duration_seconds=args.warmup, connections=args.connections, threads=args.threads
    )
    price = DEFAULT_PRICES[OPERATION]
    grant = price * _request_bound(args)
    env = _leadbase_env(args)
    with work_directory(keep=args.keep) as work_dir, contextlib.ExitStack() as servers:
        seeded = prepare_database(work_dir, grant_millicredits=grant)
        # Same org and key, a database file each: neither server waits on the other's writes.
        plain_seeded = copy_database(seeded, work_dir / "plain")
        idempotent_server = servers.enter_context(
            serve(
                leadbase_spec("leadbase-idempotent", seeded, log_level=args.log_level, env=env),
                log_dir=work_dir,
            )
        )
        plain_server = servers.enter_context(
            serve(
                leadbase_spec("leadbase-plain", plain_seeded, log_level=args.log_level, env=env),
                log_dir=work_dir,
            )
        )
        headers = {**seeded.headers, "Content-Type": "application/json"}
        metered = [
            Metered(
                IDEMPOTENT,
                idempotent_server,
                seeded,
                True,
                account_credits(idempotent_server, seeded.headers),
            ),
            Metered(
                PLAIN,
                plain_server,
                plain_seeded,
                False,
                account_credits(plain_server, plain_seeded.headers),
            ),
        ]
        response_file = work_dir / "phones-validate-response.json"
        recorded = record_response(
            idempotent_server,
            PATH,
            {**headers, IDEMPOTENCY_HEADER: "bench-recorded-response"},
            into=response_file,
            method="POST",
            body=BODY,
        )
        bare = servers.enter_context(serve(bare_spec("bare", response_file), log_dir=work_dir))

        keyed = Load(
            path=PATH,
            method="POST",
            headers=headers,
            body=BODY,
            unique_header=IDEMPOTENCY_HEADER,
        )
        unkeyed = Load(path=PATH, method="POST", headers=headers, body=BODY)
        keyed_check = expect_ok(
            PATH, headers, method="POST", body=BODY, unique_header=IDEMPOTENCY_HEADER
        )
        subjects = [
            Subject(IDEMPOTENT, idempotent_server, keyed, keyed_check),
            Subject(BARE, bare, keyed, keyed_check),
            Subject(
                PLAIN, plain_server, unkeyed, expect_ok(PATH, headers, method="POST", body=BODY)
            ),
        ]
        print(_preamble(settings, args, recorded.body, recorded.headers, env, grant, work_dir))
        print(f"warming up ({args.warmup:g} s each) ...")
        measured = warm_up(subjects, warm, work_dir=work_dir)
        print(f"measuring ({args.rounds} rounds, {args.duration:g} s each, in turn) ...")
        results = run_rounds(subjects, settings, rounds=args.rounds, work_dir=work_dir)
        measured += [m for measurements in results.values() for m in measurements]
        summaries = summarize(results)
        if args.profile is not None:
            profiled, text = _profile(args.profile, metered, subjects, settings, work_dir)
            measured += profiled
            print("\n" + text)
        print("\n" + _verification(metered, measured, price, args.connections))
        if args.keep:
            print(f"\nwork directory kept: {work_dir}")
        print(f"\n{machine_note()}")
        print(summary_table(summaries) + "\n")
        print(_cpu_line(summaries))
        print(_ratio_line("phones-validate+idempotency/bare", summaries[IDEMPOTENT], summaries))
        print(_ratio_line("phones-validate/bare", summaries[PLAIN], summaries))
    return 0


def _request_bound(args: argparse.Namespace) -> int:
    """More calls than one Leadbase server can be sent during the whole run."""
    load_seconds = args.warmup + args.duration * (args.rounds + (2 if args.profile else 0))
    return int(MAX_REQUESTS_PER_SECOND * load_seconds) + SPARE_REQUESTS


def _leadbase_env(args: argparse.Namespace) -> dict[str, str]:
    """Windows and a parallel cap the load never reaches: the built-in ones answer 429s."""
    windows = [window.strip() for window in args.windows.split(";") if window.strip()]
    return {
        "LEADBASE_LIMITS": msgspec.json.encode({LIMIT_CLASS: windows}).decode(),
        "LEADBASE_PARALLEL": msgspec.json.encode({OPERATION: args.parallel}).decode(),
    }


def _preamble(
    settings: WrkSettings,
    args: argparse.Namespace,
    body: bytes,
    headers: Sequence[tuple[str, str]],
    env: Mapping[str, str],
    grant: int,
    work_dir: Path,
) -> str:
    header_names = ", ".join(name for name, _ in headers)
    built_in_windows = ", ".join(DEFAULT_WINDOWS[LIMIT_CLASS])
    built_in_parallel = DEFAULT_PARALLEL.get(OPERATION, FALLBACK_PARALLEL)
    return "\n".join(
        [
            f"POST {PATH} {BODY.decode()} (Bearer all-scope key), metered at"
            f" {DEFAULT_PRICES[OPERATION] / 1000:g} credit per valid number, vs bare ASGI app",
            f"  {IDEMPOTENT}: a fresh {IDEMPOTENCY_HEADER} on every request;"
            f" {PLAIN}: the same POST without one",
            f"  response: 200, {len(body)} bytes; headers replayed by the bare app: {header_names}",
            f"  servers: granian {version('granian')} --interface asgi --workers 1, "
            f"Python {platform.python_version()}, pinned to core 0",
            f"  leadbase: embedded profile, SQLite file each in {work_dir},"
            f" LEADBASE_LOG_LEVEL={args.log_level};"
            f" org granted {grant / 1000:,.0f} credits",
            f"  limits raised for the benchmark (built-in: {LIMIT_CLASS} {built_in_windows},"
            f" parallel {built_in_parallel}, which would answer most requests with 429):",
            f"    LEADBASE_LIMITS={env['LEADBASE_LIMITS']}",
            f"    LEADBASE_PARALLEL={env['LEADBASE_PARALLEL']}",
            f"  load: wrk {' '.join(settings.arguments())} pinned to core 1,"
            f" {args.rounds} rounds, {args.warmup:g} s warm-up, the same for every server",
            f"  {machine_note()}",
        ]
    )


def _verification(
    metered: Sequence[Metered], measured: Iterable[Measurement], price: int, connections: int
) -> str:
    """The ledger must account for every 200 the server says it served, and nothing else."""
    measurements = list(measured)
    lines = []
    for subject in metered:
        server, seeded = subject.server, subject.seeded
        counts = _settled_counts(server)
        if set(counts) != {"200"}:
            raise BenchError(
                f"{server.spec.name} answered {PATH} with statuses {counts}"
                + _logged_errors(server)
            )
        served = counts["200"]
        mine = [m for m in measurements if m.label in (subject.label, subject.label + PROFILED)]
        counted = sum(m.requests for m in mine)
        runs = len(mine)
        # A check before the warm-up and after every measurement but the profiled ones.
        checks = 1 + sum(1 for m in mine if m.label == subject.label)
        sent = counted + checks + (1 if subject.idempotent else 0)  # + the recorded response
        # wrk stops with up to one request per connection in flight: served, never counted.
        if not sent <= served <= sent + connections * runs:
            raise BenchError(
                f"{server.spec.name}: /metrics counts {served:,} 200s; wrk and the checks"
                f" account for {sent:,} (+ at most {connections * runs:,} in flight)"
            )
        after = account_credits(server, seeded.headers)
        spent = subject.before.balance - after.balance
        _expect(server, "credits spent (millicredits)", spent, served * price)
        _expect(server, "credits still reserved (millicredits)", after.reserved, 0)
        _expect(
            server,
            "open reservations",
            count_rows(seeded, "credit_reservations", where="state = 'open'"),
            0,
        )
        _expect(
            server,
            "settled reservations",
            count_rows(seeded, "credit_reservations", where="state = 'settled'"),
            served,
        )
        _expect(
            server,
            "usage lines charged",
            count_rows(seeded, "usage_events", where=f"charged = {price}"),
            served,
        )
        records = count_rows(seeded, "idempotency_records")
        completed = count_rows(seeded, "idempotency_records", where="state = 'completed'")
        _expect(server, "idempotency records", records, served if subject.idempotent else 0)
        _expect(server, "completed idempotency records", completed, records)
        if status_counts(server, PATH) != counts:
            raise BenchError(f"{server.spec.name} was still answering {PATH} while checked")
        lines.append(
            f"{server.spec.name}: /metrics counts {served:,} responses to POST {PATH}, all 200"
            f" (wrk counted {counted:,}); balance down {spent / 1000:,.1f} credits ="
            f" {price / 1000:g} x {served:,}; 0 reserved, 0 open reservations,"
            f" {served:,} settled; {records:,} idempotency records"
        )
    return "\n".join(lines)


def _logged_errors(server: RunningServer, *, limit: int = 3) -> str:
    """The server's error log lines, each cut to its message and the exception's last line."""
    found = []
    for line in server.log_path.read_text(errors="replace").splitlines():
        if '"level": "error"' not in line:
            continue
        try:
            record = msgspec.json.decode(line, type=dict[str, object])
        except msgspec.DecodeError:
            found.append(line[:300])
            continue
        exception = str(record.get("exception", "")).strip().splitlines()
        found.append(f"{record.get('event')}: {exception[-3:] if exception else ''}")
    if not found:
        return ""
    shown = "\n  ".join(found[:limit])
    return f"\n{len(found)} error(s) in {server.log_path}, e.g.:\n  {shown}"


def _settled_counts(server: RunningServer) -> dict[str, int]:
    """The route's counts once the requests wrk left in flight have been answered."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    counts = status_counts(server, PATH)
    while time.monotonic() < deadline:
        time.sleep(SETTLE_QUIET_SECONDS)
        latest = status_counts(server, PATH)
        if latest == counts:
            return counts
        counts = latest
    raise BenchError(f"{server.spec.name} kept answering {PATH} after the load stopped")


def _expect(server: RunningServer, what: str, actual: int, expected: int) -> None:
    if actual != expected:
        raise BenchError(f"{server.spec.name}: {what} is {actual:,}, expected {expected:,}")


def _profile(
    directory: Path,
    metered: Sequence[Metered],
    subjects: Sequence[Subject],
    settings: WrkSettings,
    work_dir: Path,
) -> tuple[list[Measurement], str]:
    """py-spy on each Leadbase server: --gil (Python's CPU), then every busy thread."""
    directory.mkdir(parents=True, exist_ok=True)
    loads = {subject.label: subject.load for subject in subjects}
    measurements = []
    sections = []
    for subject in metered:
        server = subject.server
        for gil in (True, False):
            mode = "gil" if gil else "threads"
            raw = directory / f"{server.spec.name}.{mode}.raw.txt"
            recording = start_recording(
                server, seconds=settings.duration_seconds, output=raw, gil=gil
            )
            measurement = run_wrk(
                subject.label + PROFILED,
                server.base_url,
                loads[subject.label],
                settings,
                work_dir=work_dir,
            )
            finish_recording(recording)
            if measurement.error_statuses or measurement.socket_errors:
                raise BenchError(f"{subject.label}: errors while profiled: {measurement}")
            measurements.append(measurement)
            profile = read_profile(raw)
            full = directory / f"{server.spec.name}.{mode}.report.txt"
            full.write_text(report(profile, top=80) + "\n")
            what = (
                "py-spy --gil (the thread holding the GIL: where Python spends CPU)"
                if gil
                else "py-spy, every non-idle thread (the aiosqlite thread included)"
            )
            sections.append(
                f"profile of {server.spec.name}: {what} under load,"
                f" {measurement.requests_per_second:,.0f} req/s while sampled;"
                f" full report {full}\n"
                + report(profile, top=15)
                + ("\n\n" + _spine_report(profile, raw) if gil else "")
            )
    return measurements, "\n\n".join(sections)


# Steps of the spine: the cumulative share of one function's frames (name, module path).
_STEPS = (
    ("whole request (outermost middleware)", "RequestContextMiddleware.__call__", "observability"),
    ("  authenticate (key cache)", "authenticate", "server/pipeline"),
    ("  parse_body", "parse_body", "server/body"),
    ("  admit: claim + limits + reserve + commit", "_admit", "server/pipeline"),
    ("    idempotency claim", "claim", "idempotency/service"),
    ("    rate windows (limits)", "Limiter.hit", "limits/service"),
    ("    parallel lease", "Limiter.acquire", "limits/service"),
    ("    credit reservation", "reserve", "credits/service"),
    ("  perform + settle + complete + commit", "_perform_and_settle", "server/pipeline"),
    ("    disconnect watcher + timeout", "_perform_watching_client", "server/pipeline"),
    ("    phone validation (phonenumbers)", "validate", "phones/service"),
    ("    settle + usage line", "_settle", "server/pipeline"),
    ("    idempotency completion", "complete", "idempotency/service"),
    ("    envelope (msgspec)", "_encode", "server/pipeline"),
    ("  SQLite transactions (begin/commit)", "Database.transaction", "server/db"),
    # A whole package: every frame of it, wherever it was called from.
    ("access log (structlog, JSON to stderr)", "*", "structlog"),
)


def _spine_report(profile: Profile, raw: Path) -> str:
    """The same samples by step of the spine, and SQLAlchemy's greenlets by entry point.

    SQLAlchemy's async layer runs its sync code in greenlets, which py-spy samples as
    stacks of their own: the steps above count only their event-loop side.
    """
    total = profile.samples or 1
    lines = [f"by step of the spine, event-loop side ({profile.samples:,} samples)"]
    for title, function, module in _STEPS:
        count = (
            profile.cumulative_by_area[module]
            if function == "*"
            else sum(
                samples
                for frame, samples in profile.cumulative.items()
                if frame.function == function and module in frame.file
            )
        )
        lines.append(f"  {100 * count / total:5.1f}%  {title}")
    entries = _greenlet_entries(raw)
    lines += ["", f"SQLAlchemy greenlets by entry point ({sum(entries.values()):,} samples)"]
    lines += [f"  {100 * count / total:5.1f}%  {entry}" for entry, count in entries.most_common(8)]
    return "\n".join(lines)


def _greenlet_entries(raw: Path) -> Counter[str]:
    entries: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        first = stack.split(";", 1)[0]
        if count.isdigit() and "sqlalchemy/" in first:
            entries[first.split(" (", 1)[0]] += int(count)
    return entries


def _cpu_line(summaries: Mapping[str, Summary]) -> str:
    """CPU per request: steadier than req/s when other work shares the server's core."""
    bare = summaries[BARE].cpu_us_per_request
    parts = [
        f"{label} {summaries[label].cpu_us_per_request:,.0f} us"
        f" (bare/leadbase {bare / summaries[label].cpu_us_per_request:.3f})"
        for label in (IDEMPOTENT, PLAIN)
        if summaries[label].cpu_us_per_request
    ]
    return f"server CPU per request: bare {bare:,.0f} us; " + "; ".join(parts)


def _ratio_line(name: str, leadbase: Summary, summaries: Mapping[str, Summary]) -> str:
    bare = summaries[BARE]
    ratio = leadbase.requests_per_second / bare.requests_per_second
    return (
        f"RATIO {name} = {ratio:.3f} (leadbase {leadbase.requests_per_second:,.0f} req/s"
        f" vs bare {bare.requests_per_second:,.0f} req/s, one core;"
        f" server CPU {leadbase.cpu_us_per_request:,.0f} vs {bare.cpu_us_per_request:,.0f} us/req)"
    )


if __name__ == "__main__":
    sys.exit(main())
