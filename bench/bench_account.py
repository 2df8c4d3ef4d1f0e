"""Requests/s of an authenticated GET /v1/account against a bare ASGI app, on one core.

    .venv/bin/python bench/bench_account.py [--duration 10] [--connections 32] [--rounds 3]

Three granian servers (one worker each) run pinned to core 0: Leadbase with the access log
off (LEADBASE_LOG_LEVEL=WARNING), Leadbase with it on (INFO, as production runs), and
bare_app.py replaying the exact bytes and headers the real endpoint returned. wrk, pinned
to core 1, measures them in alternating rounds; the medians give the ratios.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

from _harness import (
    BenchError,
    Load,
    RunningServer,
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
from _leadbase import (
    bare_spec,
    copy_database,
    expect_ok,
    leadbase_spec,
    prepare_database,
    record_response,
    status_counts,
)
from _profile import profile_under_load, py_spy

PATH = "/v1/account"
QUIET = "leadbase (access log off)"
LOGGED = "leadbase (access log on)"
BARE = "bare ASGI app"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (-c)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (-t)")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each server")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per server")
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


def run(args: argparse.Namespace) -> int:
    settings = WrkSettings(
        duration_seconds=args.duration, connections=args.connections, threads=args.threads
    )
    warm = WrkSettings(
        duration_seconds=args.warmup, connections=args.connections, threads=args.threads
    )
    with work_directory(keep=args.keep) as work_dir, contextlib.ExitStack() as servers:
        seeded = prepare_database(work_dir)
        # Same org and key, a database file each: neither server waits on the other's writes.
        seeded_copy = copy_database(seeded, work_dir / "logged")
        quiet = servers.enter_context(
            serve(leadbase_spec("leadbase-quiet", seeded, log_level="WARNING"), log_dir=work_dir)
        )
        logged = servers.enter_context(
            serve(leadbase_spec("leadbase-logged", seeded_copy, log_level="INFO"), log_dir=work_dir)
        )
        response_file = work_dir / "account-response.json"
        recorded = record_response(quiet, PATH, seeded.headers, into=response_file)
        bare = servers.enter_context(serve(bare_spec("bare", response_file), log_dir=work_dir))

        load = Load(path=PATH, headers=seeded.headers)
        check = expect_ok(PATH, seeded.headers)
        subjects = [
            Subject(QUIET, quiet, load, check),
            Subject(BARE, bare, load, check),
            Subject(LOGGED, logged, load, check),
        ]
        print(_preamble(settings, args, len(recorded.body), recorded.headers, work_dir))
        print(f"warming up ({args.warmup:g} s each) ...")
        warm_up(subjects, warm, work_dir=work_dir)
        print(f"measuring ({args.rounds} rounds, {args.duration:g} s each, in turn) ...")
        results = run_rounds(subjects, settings, rounds=args.rounds, work_dir=work_dir)
        summaries = summarize(results)
        print("\n" + _verification(quiet, logged))
        if args.profile is not None:
            print(
                "\n" + profile_under_load(args.profile, [quiet, logged], load, settings, work_dir)
            )
        if args.keep:
            print(f"\nwork directory kept: {work_dir}")
        print(f"\n{machine_note()}")
        print(summary_table(summaries) + "\n")
        print(_cpu_line(summaries))
        print(_ratio_line("account+access-log/bare", summaries[LOGGED], summaries[BARE], "on"))
        print(_ratio_line("account/bare", summaries[QUIET], summaries[BARE], "off"))
    return 0


def _preamble(
    settings: WrkSettings,
    args: argparse.Namespace,
    body_size: int,
    headers: Sequence[tuple[str, str]],
    work_dir: Path,
) -> str:
    header_names = ", ".join(name for name, _ in headers)
    return "\n".join(
        [
            f"GET {PATH} (Bearer all-scope key; org with one customer) vs bare ASGI app",
            f"  response: 200, {body_size} bytes; headers replayed by the bare app: {header_names}",
            f"  servers: granian {version('granian')} --interface asgi --workers 1, "
            f"Python {platform.python_version()}, pinned to core 0",
            "  leadbase: LEADBASE_LOG_LEVEL=WARNING (access log off) and =INFO (access log on,"
            f" JSON lines to a file); SQLite in {work_dir}",
            f"  load: wrk {' '.join(settings.arguments())} pinned to core 1,"
            f" {args.rounds} rounds, {args.warmup:g} s warm-up",
            f"  {machine_note()}",
        ]
    )


def _verification(quiet: RunningServer, logged: RunningServer) -> str:
    """What the servers themselves say they answered: only 200s, or the figures are void."""
    lines = []
    for server in (quiet, logged):
        counts = status_counts(server, PATH)
        if set(counts) != {"200"}:
            raise BenchError(f"{server.spec.name} answered {PATH} with statuses {counts}")
        access_lines = _access_log_lines(server.log_path)
        lines.append(
            f"{server.spec.name}: /metrics counts {counts['200']:,} responses to GET {PATH},"
            f" all 200; {access_lines:,} access-log lines for it"
        )
    if _access_log_lines(quiet.log_path):
        raise BenchError("the server with LEADBASE_LOG_LEVEL=WARNING wrote access-log lines")
    if not _access_log_lines(logged.log_path):
        raise BenchError("the server with LEADBASE_LOG_LEVEL=INFO wrote no access-log line")
    return "\n".join(lines)


def _access_log_lines(log_path: Path) -> int:
    needle = f'"route": "{PATH}"'
    with log_path.open(errors="replace") as log:
        return sum(1 for line in log if needle in line and '"status": 200' in line)


def _cpu_line(summaries: dict[str, Summary]) -> str:
    """CPU per request: steadier than req/s when other work shares the server's core."""
    bare = summaries[BARE].cpu_us_per_request
    parts = [
        f"{label} {summaries[label].cpu_us_per_request:,.0f} us"
        f" (bare/leadbase {bare / summaries[label].cpu_us_per_request:.3f})"
        for label in (QUIET, LOGGED)
        if summaries[label].cpu_us_per_request
    ]
    return f"server CPU per request: bare {bare:,.0f} us; " + "; ".join(parts)


def _ratio_line(name: str, leadbase: Summary, bare: Summary, access_log: str) -> str:
    ratio = leadbase.requests_per_second / bare.requests_per_second
    return (
        f"RATIO {name} = {ratio:.2f} (leadbase {leadbase.requests_per_second:,.0f} req/s"
        f" vs bare {bare.requests_per_second:,.0f} req/s, one core, access log {access_log})"
    )


if __name__ == "__main__":
    sys.exit(main())
