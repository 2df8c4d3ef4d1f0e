"""What every benchmark here shares: a granian server on one core, wrk on the other, rounds.

A benchmark describes its servers (:class:`ServerSpec`) and its load (:class:`Load`),
starts each server with :func:`serve`, warms them up, measures them in alternating rounds
with :func:`run_rounds` and prints :func:`summarize`'s table; the ratio is its own.
The server gets core 0 and wrk core 1, so each request/s figure is what one core serves.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import msgspec

SERVER_CORE = 0
LOAD_CORE = 1
_READY_TIMEOUT_SECONDS = 60.0
_STOP_TIMEOUT_SECONDS = 10.0


class BenchError(RuntimeError):
    """The benchmark cannot give a trustworthy figure (missing tool, failed server, errors)."""


def require_tools(tools: Sequence[str] = ("wrk", "taskset")) -> None:
    """The tools and two cores, or a message saying how to get them."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        packages = " ".join("util-linux" if tool == "taskset" else tool for tool in missing)
        raise BenchError(
            f"missing {', '.join(missing)}: install with `apt-get install {packages}` (Debian/Ubuntu)"
        )
    if (os.cpu_count() or 1) < 2:
        raise BenchError("needs two CPU cores: the server on core 0 and the load on core 1")


def exit_status(run: Callable[[], int]) -> int:
    """``run()``'s status, or 2 with the reason on stderr when it raised BenchError."""
    try:
        return run()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2


@contextlib.contextmanager
def pinned_to(core: int) -> Iterator[None]:
    """This process on ``core`` alone meanwhile (a client on LOAD_CORE, a floor on SERVER_CORE)."""
    os.sched_setaffinity(0, {core})
    try:
        yield
    finally:
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))


# Servers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """A granian ASGI server with one worker; every spec gets the same granian settings."""

    name: str
    target: str
    factory: bool = False
    env: Mapping[str, str] = field(default_factory=dict)
    python_path: tuple[Path, ...] = ()
    # Any HTTP answer on this path means the worker is serving.
    ready_path: str = "/healthz"


@dataclass(slots=True)
class RunningServer:
    spec: ServerSpec
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The granian worker processes (children of the main process) that run the app."""
        return _children(self.process.pid) or [self.process.pid]

    def cpu_seconds(self) -> float:
        """CPU time the server's processes (main and workers, all threads) have used so far."""
        return sum(_cpu_seconds(pid) for pid in {self.process.pid, *self.worker_pids()})

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def granian_command(spec: ServerSpec, port: int) -> list[str]:
    command = [
        "taskset",
        "-c",
        str(SERVER_CORE),
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--workers",
        "1",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    if spec.factory:
        command.append("--factory")
    return [*command, spec.target]


@contextlib.contextmanager
def serve(spec: ServerSpec, *, log_dir: Path) -> Iterator[RunningServer]:
    """Start the server pinned to core 0, wait until it answers, stop it on the way out.

    Its stdout and stderr (the app's JSON log lines included) go to a file, as they would
    to a log collector, so that writing them costs what it costs in production.
    """
    port = free_port()
    env = {**os.environ, **spec.env}
    if spec.python_path:
        paths = [str(path) for path in spec.python_path]
        env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    log_path = log_dir / f"{spec.name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            granian_command(spec, port),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = RunningServer(spec=spec, process=process, port=port, log_path=log_path)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        _stop(process)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(server: RunningServer) -> None:
    deadline = time.monotonic() + _READY_TIMEOUT_SECONDS
    url = server.base_url + server.spec.ready_path
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(
                f"server {server.spec.name} exited with {server.process.returncode}:\n"
                + server.log_tail()
            )
        try:
            httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        return
    raise BenchError(
        f"server {server.spec.name} did not answer {url} in time:\n" + server.log_tail()
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The server leads its own process group: the signal reaches its workers too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=_STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # Fields after the command name, which is in parentheses and may hold spaces.
    fields = stat[stat.rindex(")") + 2 :].split()
    user, system = int(fields[11]), int(fields[12])
    return (user + system) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children.extend(int(child) for child in task.read_text().split())
    return children


# Load ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Load:
    """The request wrk sends again and again."""

    path: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    # A header that gets a fresh value on every request (e.g. Idempotency-Key).
    unique_header: str | None = None
    # Bodies sent in turn instead of ``body``, so that a server's caches see many requests.
    bodies: Sequence[bytes] = ()

    @property
    def all_bodies(self) -> Sequence[bytes]:
        return self.bodies or ([self.body] if self.body is not None else [])


@dataclass(frozen=True, slots=True)
class WrkSettings:
    duration_seconds: float = 10.0
    connections: int = 32
    threads: int = 1
    # Generous: a slow answer should show in p99, not vanish as a socket error.
    timeout_seconds: float = 30.0

    def arguments(self) -> list[str]:
        return [
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{max(1, round(self.duration_seconds))}s",
            f"--timeout={max(1, round(self.timeout_seconds))}s",
        ]


class Measurement(msgspec.Struct, frozen=True):
    """One wrk run against one server."""

    label: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    # Responses with a status of 400 or more, and socket errors (connect/read/write/timeout).
    error_statuses: int
    socket_errors: int
    # CPU the server used meanwhile: at 100% of its one core it is CPU-bound, below it waits.
    server_cpu_seconds: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_core_share(self) -> float:
        return self.server_cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def cpu_us_per_request(self) -> float:
        return 1e6 * self.server_cpu_seconds / self.requests if self.requests else 0.0


class _WrkReport(msgspec.Struct, frozen=True):
    requests: int
    duration_us: int
    connect: int
    read: int
    write: int
    status: int
    timeout: int
    p50: float
    p90: float
    p99: float


_REPORT_MARKER = "BENCH_WRK_REPORT "

_DONE_LUA = f"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{_REPORT_MARKER}{{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


def wrk_script(load: Load, body_paths: Sequence[Path]) -> str:
    """The Lua script: method and bodies, a fresh header value per request, and the report."""
    paths = ", ".join(_lua_string(str(path)) for path in body_paths)
    lines = [
        f"wrk.method = {_lua_string(load.method)}",
        "local bodies = {}",
        f"for _, path in ipairs({{{paths}}}) do",
        "  local body_file = assert(io.open(path, 'rb'))",
        "  table.insert(bodies, body_file:read('*a'))",
        "  body_file:close()",
        "end",
        "wrk.body = bodies[1]",
    ]
    if load.unique_header is None and len(body_paths) <= 1:
        return "\n".join(lines) + "\n" + _DONE_LUA
    # Each wrk thread has its own Lua state; its number and a per-run random part keep
    # header values apart across threads and across runs against the same database, and
    # each thread starts at another body.
    run = secrets.token_hex(6)
    lines += [
        "local counter, threads = 0, 0",
        "setup = function(thread) threads = threads + 1; thread:set('bench_thread', threads) end",
        "request = function()",
        "  counter = counter + 1",
    ]
    if load.unique_header is not None:
        lines.append(
            f"  wrk.headers[{_lua_string(load.unique_header)}] ="
            f" string.format('bench-{run}-%d-%d', bench_thread or 0, counter)"
        )
    if len(body_paths) > 1:
        lines.append("  wrk.body = bodies[((counter + 7 * (bench_thread or 0)) % #bodies) + 1]")
    lines += ["  return wrk.format()", "end"]
    return "\n".join(lines) + "\n" + _DONE_LUA


def run_wrk(
    label: str, base_url: str, load: Load, settings: WrkSettings, *, work_dir: Path
) -> Measurement:
    """One wrk run pinned to core 1; fails on a response of 400 or more or a socket error."""
    body_paths = []
    for number, body in enumerate(load.all_bodies):
        path = work_dir / f"wrk-body-{number}.bin"
        path.write_bytes(body)
        body_paths.append(path)
    script = work_dir / "wrk-script.lua"
    script.write_text(wrk_script(load, body_paths))
    headers = [arg for name, value in load.headers.items() for arg in ("-H", f"{name}: {value}")]
    command = [
        "taskset",
        "-c",
        str(LOAD_CORE),
        "wrk",
        *settings.arguments(),
        *headers,
        "-s",
        str(script),
        base_url + load.path,
    ]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=settings.duration_seconds + 60,
        check=False,
    )
    report = _parse_report(completed.stdout)
    if completed.returncode != 0 or report is None:
        raise BenchError(
            f"wrk failed ({completed.returncode}) against {label}:\n{completed.stdout}{completed.stderr}"
        )
    return Measurement(
        label=label,
        requests=report.requests,
        seconds=report.duration_us / 1_000_000,
        p50_ms=report.p50 / 1000,
        p90_ms=report.p90 / 1000,
        p99_ms=report.p99 / 1000,
        error_statuses=report.status,
        socket_errors=report.connect + report.read + report.write + report.timeout,
    )


def _parse_report(stdout: str) -> _WrkReport | None:
    for line in stdout.splitlines():
        if line.startswith(_REPORT_MARKER):
            return msgspec.json.decode(line[len(_REPORT_MARKER) :], type=_WrkReport)
    return None


def _lua_string(value: str) -> str:
    if not value.isascii() or not value.isprintable():
        raise ValueError(f"only printable ASCII goes into the wrk script: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Rounds ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subject:
    """One thing measured: a running server, the load sent to it, and a check of its answers."""

    label: str
    server: RunningServer
    load: Load
    # Raises BenchError when the server answers wrongly; called around every measurement.
    check: Callable[[RunningServer], None] | None = None


def warm_up(
    subjects: Sequence[Subject], settings: WrkSettings, *, work_dir: Path
) -> list[Measurement]:
    """One unreported measurement per subject; returned for benchmarks that count requests."""
    measurements = []
    for subject in subjects:
        if subject.check is not None:
            subject.check(subject.server)
        measurements.append(_measure(subject, settings, work_dir=work_dir))
    return measurements


def run_rounds(
    subjects: Sequence[Subject],
    settings: WrkSettings,
    *,
    rounds: int,
    work_dir: Path,
    progress: Callable[[str], None] = print,
) -> dict[str, list[Measurement]]:
    """Measure the subjects in turn (A, B, A, B, ...), so drift on the machine hits all alike."""
    results: dict[str, list[Measurement]] = {subject.label: [] for subject in subjects}
    for number in range(1, rounds + 1):
        for subject in subjects:
            measurement = _measure(subject, settings, work_dir=work_dir)
            results[subject.label].append(measurement)
            progress(
                f"  round {number}/{rounds}  {subject.label:<{_width(subjects)}}"
                f"  {measurement.requests_per_second:>9,.0f} req/s"
                f"  p50 {measurement.p50_ms:6.2f} ms  p99 {measurement.p99_ms:7.2f} ms"
                f"  core busy {measurement.server_core_share:4.0%}"
                f"  {measurement.cpu_us_per_request:6,.0f} CPU us/req"
            )
    return results


def _measure(subject: Subject, settings: WrkSettings, *, work_dir: Path) -> Measurement:
    cpu_before = subject.server.cpu_seconds()
    measurement = run_wrk(
        subject.label, subject.server.base_url, subject.load, settings, work_dir=work_dir
    )
    measurement = msgspec.structs.replace(
        measurement, server_cpu_seconds=subject.server.cpu_seconds() - cpu_before
    )
    if subject.server.process.poll() is not None:
        raise BenchError(f"server {subject.server.spec.name} died:\n{subject.server.log_tail()}")
    if measurement.error_statuses or measurement.socket_errors:
        raise BenchError(
            f"{subject.label}: {measurement.error_statuses} responses >= 400 and "
            f"{measurement.socket_errors} socket errors out of {measurement.requests} requests; "
            "a benchmark of errors measures nothing"
        )
    if measurement.requests == 0:
        raise BenchError(f"{subject.label}: wrk completed no request")
    if subject.check is not None:
        subject.check(subject.server)
    return measurement


def _width(subjects: Sequence[Subject]) -> int:
    return max(len(subject.label) for subject in subjects)


@dataclass(frozen=True, slots=True)
class Summary:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # Share of its one core the server used, and its CPU time per request.
    server_core_share: float
    cpu_us_per_request: float
    requests: int


def summarize(results: Mapping[str, Sequence[Measurement]]) -> dict[str, Summary]:
    """Medians over the rounds, per subject."""
    return {
        label: Summary(
            label=label,
            requests_per_second=statistics.median(m.requests_per_second for m in measurements),
            p50_ms=statistics.median(m.p50_ms for m in measurements),
            p99_ms=statistics.median(m.p99_ms for m in measurements),
            server_core_share=statistics.median(m.server_core_share for m in measurements),
            cpu_us_per_request=statistics.median(m.cpu_us_per_request for m in measurements),
            requests=sum(m.requests for m in measurements),
        )
        for label, measurements in results.items()
    }


def summary_table(summaries: Mapping[str, Summary]) -> str:
    width = max(len(label) for label in summaries)
    columns = ("req/s (median)", "p50 ms", "p99 ms", "core busy", "CPU us/req", "requests")
    lines = ["  " + " " * width + "".join(f"  {column:>10}" for column in columns)]
    lines += [
        f"  {s.label:<{width}}  {s.requests_per_second:>14,.0f}  {s.p50_ms:>10.2f}"
        f"  {s.p99_ms:>10.2f}  {s.server_core_share:>10.0%}  {s.cpu_us_per_request:>10,.0f}"
        f"  {s.requests:>10,}"
        for s in summaries.values()
    ]
    return "\n".join(lines)


def machine_note() -> str:
    """Load average: the cores are shared, so a busy machine explains a noisy figure."""
    try:
        one, five, _fifteen = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, ValueError):
        return "load average unknown"
    return f"load average {one} (1 min), {five} (5 min) on {os.cpu_count()} cores"


@contextlib.contextmanager
def work_directory(keep: bool = False) -> Iterator[Path]:
    if keep:
        yield Path(tempfile.mkdtemp(prefix="leadbase-bench-"))
        return
    with tempfile.TemporaryDirectory(prefix="leadbase-bench-") as path:
        yield Path(path)
