"""Where a server's time goes under load: py-spy samples its worker, we fold the stacks.

py-spy is a development tool, not a dependency: ``.venv/bin/pip install py-spy``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _harness import LOAD_CORE, BenchError, Load, RunningServer, WrkSettings, run_wrk

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_SITE = re.compile(r".*/(?:site|dist)-packages/")
# Frames every stack of the worker passes through: left out of the cumulative tables.
_WRAPPERS = frozenset(
    {"granian", "click", "multiprocessing", "<frozen runpy>", "threading.py", "stdlib.threading"}
)


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise BenchError("py-spy is not installed: `.venv/bin/pip install py-spy`")
    return found


def start_recording(
    server: RunningServer, *, seconds: float, output: Path, rate: int = 200, gil: bool = True
) -> subprocess.Popen[bytes]:
    """py-spy on the load core, sampling the worker without pausing it (--nonblocking).

    With ``gil`` only the thread holding the GIL is sampled: that is where Python spends
    CPU. Without it every non-idle thread counts, waiting database threads included.
    """
    pid = server.worker_pids()[0]
    command = [
        "taskset",
        "-c",
        str(LOAD_CORE),
        py_spy(),
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, round(seconds))),
        "--rate",
        str(rate),
        "--format",
        "raw",
        "--nonblocking",
        "--output",
        str(output),
    ]
    if gil:
        command.append("--gil")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish_recording(process: subprocess.Popen[bytes]) -> None:
    _, stderr = process.communicate(timeout=120)
    if process.returncode != 0:
        raise BenchError(f"py-spy failed ({process.returncode}): {stderr.decode(errors='replace')}")


@dataclass(frozen=True, slots=True)
class Frame:
    function: str
    file: str

    @property
    def area(self) -> str:
        """The package a frame belongs to; Leadbase frames by module."""
        path = _SITE.sub("", self.file)
        if "leadbase/" in path:
            module = path[path.index("leadbase/") :].removesuffix(".py")
            return module.replace("/", ".")
        if path.startswith("<") or "/" not in path:
            return path or "?"
        if "/lib/python3" in path:
            return "stdlib." + path.rsplit("/", 1)[-1].removesuffix(".py")
        return path.split("/", 1)[0]

    def __str__(self) -> str:
        return f"{self.function} ({_SITE.sub('', self.file)})"


@dataclass(frozen=True, slots=True)
class Profile:
    samples: int
    own: Counter[Frame]
    cumulative: Counter[Frame]
    own_by_area: Counter[str]
    cumulative_by_area: Counter[str]
    # What a stack starts from: the event loop, a SQLAlchemy greenlet, a worker thread.
    roots: Counter[str]


def read_profile(raw: Path) -> Profile:
    """Fold py-spy's raw (collapsed) stacks: own time = the leaf, cumulative = anywhere."""
    own: Counter[Frame] = Counter()
    cumulative: Counter[Frame] = Counter()
    own_by_area: Counter[str] = Counter()
    cumulative_by_area: Counter[str] = Counter()
    roots: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack_text, _, count_text = line.rpartition(" ")
        if not stack_text or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame(text) for text in stack_text.split(";")]
        samples += count
        own[frames[-1]] += count
        own_by_area[frames[-1].area] += count
        roots[_root(frames)] += count
        for frame in {frame for frame in frames if frame.area not in _WRAPPERS}:
            cumulative[frame] += count
        for area in {frame.area for frame in frames} - _WRAPPERS:
            cumulative_by_area[area] += count
    return Profile(samples, own, cumulative, own_by_area, cumulative_by_area, roots)


def _root(frames: list[Frame]) -> str:
    first = frames[0]
    if first.function == "Thread._bootstrap":
        return "other threads (" + " > ".join(f.function for f in frames[3:4]) + ")"
    if first.area.startswith("sqlalchemy"):
        # SQLAlchemy's async layer runs ORM code in greenlets, sampled as separate stacks.
        return "event loop thread, in a SQLAlchemy greenlet"
    return "event loop thread"


def _frame(text: str) -> Frame:
    match = _FRAME.match(text.strip())
    if match is None:
        return Frame(function=text.strip(), file="")
    return Frame(function=match["function"], file=match["file"])


def report(profile: Profile, *, top: int = 25) -> str:
    total = profile.samples or 1

    def table(title: str, counter: Counter[Frame] | Counter[str]) -> list[str]:
        rows = [f"{title} ({profile.samples:,} samples)"]
        rows += [
            f"  {100 * count / total:5.1f}%  {item}" for item, count in counter.most_common(top)
        ]
        return rows

    lines = [
        *table("where stacks start", profile.roots),
        "",
        *table("own time by package/module", profile.own_by_area),
        "",
        *table("cumulative time by package/module", profile.cumulative_by_area),
        "",
        *table("own time by function", profile.own),
        "",
        *table("cumulative time by function", profile.cumulative),
    ]
    return "\n".join(lines)


def profile_under_load(
    directory: Path,
    servers: Sequence[RunningServer],
    load: Load,
    settings: WrkSettings,
    work_dir: Path,
) -> str:
    """Each server sampled by py-spy for one more load period of ``settings``; the top of
    each profile, full reports written to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    sections = []
    for server in servers:
        raw = directory / f"{server.spec.name}.raw.txt"
        recording = start_recording(server, seconds=settings.duration_seconds, output=raw)
        measurement = run_wrk(server.spec.name, server.base_url, load, settings, work_dir=work_dir)
        finish_recording(recording)
        profile = read_profile(raw)
        full = directory / f"{server.spec.name}.report.txt"
        full.write_text(report(profile, top=60) + "\n")
        sections.append(
            f"profile of {server.spec.name}: py-spy --gil (Python holding the GIL) under load,"
            f" {measurement.requests_per_second:,.0f} req/s while sampled; full report {full}\n"
            + report(profile, top=12)
        )
    return "\n\n".join(sections)
