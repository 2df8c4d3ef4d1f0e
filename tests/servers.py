"""Real server processes for the tests that need more than one process: granian workers.

``running_server(settings, workers=4)`` starts ``python -m granian`` on a free loopback
port with ``settings`` passed through ``LEADBASE_*`` variables, waits until every worker
is up and ``/readyz`` answers, and always stops the whole process group afterwards.
Worker PIDs and the client connections each worker holds come from ``/proc``, so a test
can tell which worker serves a request and SIGKILL it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from leadbase.server.config import ENV_PREFIX, Settings, environment_for

START_DEADLINE_SECONDS = 60.0
STOP_DEADLINE_SECONDS = 10.0
_POLL_SECONDS = 0.05
_ESTABLISHED = "01"


class ServerFailed(RuntimeError):
    """The server did not come up (or went away); the message carries its log."""


@dataclass(frozen=True)
class Server:
    base_url: str
    port: int
    process: subprocess.Popen[bytes]
    workers: int
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The granian main process's live children: one per worker."""
        return _children(self.process.pid)

    def connections_by_worker(self) -> dict[int, int]:
        """How many client connections to this server each worker holds open right now."""
        sockets = _established_sockets(local_port=self.port)
        return {pid: len(_socket_inodes(pid) & sockets) for pid in self.worker_pids()}

    def worker_serving_one_connection(self) -> int:
        """The one worker holding a client connection (only one may be open)."""
        holding = [pid for pid, count in self.connections_by_worker().items() if count]
        if len(holding) != 1:
            raise ServerFailed(f"expected one worker holding a connection, got {holding}")
        return holding[0]

    def kill_worker(self, pid: int) -> None:
        if pid not in self.worker_pids():
            raise ServerFailed(f"{pid} is not a worker of server {self.process.pid}")
        os.kill(pid, signal.SIGKILL)
        _wait_for(
            lambda: pid not in self.worker_pids(),
            what=f"worker {pid} to die",
            server=self,
            may_exit=True,
        )


@contextmanager
def running_server(
    settings: Settings, *, log_dir: Path, workers: int = 1, respawn: bool = False
) -> Iterator[Server]:
    """A granian server for ``settings`` with ``workers`` processes, stopped on exit.

    ``respawn`` restarts a worker that dies; without it granian shuts down when one does.
    """
    port = _free_port()
    log_path = log_dir / f"granian-{port}.log"
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--factory",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--respawn-failed-workers" if respawn else "--no-respawn-failed-workers",
        "--respawn-interval",
        "0.1",
        "leadbase.server.app:app_from_environment",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            env=_child_environment(settings),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so that stopping it reaches every worker.
            start_new_session=True,
        )
    server = Server(
        base_url=f"http://127.0.0.1:{port}",
        port=port,
        process=process,
        workers=workers,
        log_path=log_path,
    )
    try:
        _wait_until_ready(server)
        yield server
    finally:
        _stop(process)


def _child_environment(settings: Settings) -> dict[str, str]:
    # Nothing from the outer environment may change what the server runs with.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith((ENV_PREFIX, "GRANIAN_"))
    }
    return {**inherited, **environment_for(settings), "PYTHONUNBUFFERED": "1"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(server: Server) -> None:
    def ready() -> bool:
        if server.log().count("Started worker-") < server.workers:
            return False
        if len(server.worker_pids()) != server.workers:
            return False
        try:
            return httpx.get(f"{server.base_url}/readyz", timeout=2.0).status_code == 200
        except httpx.TransportError:
            return False

    _wait_for(ready, what="the server to be ready", server=server, deadline=START_DEADLINE_SECONDS)


def _wait_for(
    condition: Callable[[], bool],
    *,
    what: str,
    server: Server,
    deadline: float = STOP_DEADLINE_SECONDS,
    may_exit: bool = False,
) -> None:
    give_up = time.monotonic() + deadline
    while not condition():
        if not may_exit and server.process.poll() is not None:
            raise ServerFailed(f"the server exited ({server.process.returncode}):\n{server.log()}")
        if time.monotonic() > give_up:
            raise ServerFailed(f"gave up after {deadline:g}s waiting for {what}:\n{server.log()}")
        time.sleep(_POLL_SECONDS)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left of it."""
    group = process.pid  # start_new_session made the main process its group's leader
    _signal_group(group, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    # Workers outliving their main process still belong to the group.
    _signal_group(group, signal.SIGKILL)
    process.wait(timeout=STOP_DEADLINE_SECONDS)


def _signal_group(group: int, signum: signal.Signals) -> None:
    try:
        os.killpg(group, signum)
    except ProcessLookupError:
        pass


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return sorted(child for child in set(children) if _alive(child))


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    # The state follows the parenthesised command name; Z is a zombie not yet reaped.
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def _socket_inodes(pid: int) -> set[int]:
    inodes: set[int] = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except (FileNotFoundError, ProcessLookupError):
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def _established_sockets(*, local_port: int) -> set[int]:
    """Inodes of established TCP sockets whose local port is ``local_port`` (server side)."""
    inodes: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            port = int(fields[1].rsplit(":", 1)[1], 16)
            if port == local_port and fields[3] == _ESTABLISHED:
                inodes.add(int(fields[9]))
    return inodes
