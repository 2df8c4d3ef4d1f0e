"""``leadbase serve --demo`` for real: a process, its workers, a socket, the printed key."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

LEADBASE = Path(sys.executable).parent / "leadbase"
STARTUP_SECONDS = 60.0
_SECRET = re.compile(r"^(lb_live_[A-Za-z0-9]+)$", re.MULTILINE)


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    secret: str
    output: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment() -> dict[str, str]:
    """This environment without LEADBASE_* settings, so only the flags and defaults count."""
    return {name: value for name, value in os.environ.items() if not name.startswith("LEADBASE_")}


@contextmanager
def _serve(directory: Path, *args: str) -> Iterator[RunningServer]:
    """Run ``leadbase serve`` in ``directory`` until it answers /readyz; stop it afterwards."""
    port = _free_port()
    output = directory / f"serve-{port}.out"
    with output.open("wb") as stdout, (directory / f"serve-{port}.err").open("wb") as stderr:
        process = subprocess.Popen(
            [str(LEADBASE), "serve", "--port", str(port), *args],
            cwd=directory,
            env=_environment(),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_ready(process, base_url, output)
            secrets = _SECRET.findall(output.read_text())
            assert len(secrets) == 1, output.read_text()
            yield RunningServer(base_url=base_url, secret=secrets[0], output=output)
        finally:
            _stop(process)
    # uvicorn re-raises SIGTERM after a clean shutdown when it runs a single process.
    assert process.returncode in (0, -signal.SIGTERM), (directory / f"serve-{port}.err").read_text()


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, output: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve exited with {process.returncode}"
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"serve did not become ready in {STARTUP_SECONDS} s:\n{output.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Only the group this test started: the server and its workers.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail("serve did not stop on SIGTERM within 30 s")


def _account(server: RunningServer, secret: str) -> httpx.Response:
    return httpx.get(
        f"{server.base_url}/v1/account", headers={"Authorization": f"Bearer {secret}"}, timeout=10
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "server_args",
    [
        pytest.param(("--server", "granian"), id="granian"),
        pytest.param(("--server", "uvicorn", "--workers", "2"), id="uvicorn-2-workers"),
    ],
)
def test_serve_demo_answers_with_the_printed_key_and_reuses_the_demo_next_time(
    tmp_path: Path, server_args: tuple[str, ...]
) -> None:
    with _serve(tmp_path, "--demo", *server_args) as first:
        account = _account(first, first.secret)
        assert account.status_code == 200, account.text
        demo_org = account.json()["data"]
        assert demo_org["name"] == "Leadbase Demo"
        assert len(demo_org["customers"]) == 1
        text = first.output.read_text()
        assert f"export LEADBASE_API_KEY={first.secret}" in text
        assert f"curl -s {first.base_url}/v1/account" in text
    # The default database URL, made absolute, in the directory serve ran in.
    assert (tmp_path / "leadbase.db").exists()

    with _serve(tmp_path, "--demo", *server_args) as second:
        assert second.secret != first.secret
        again = _account(second, second.secret)
        assert again.status_code == 200, again.text
        assert again.json()["data"]["id"] == demo_org["id"]
        assert again.json()["data"]["customers"] == demo_org["customers"]
        assert _account(second, first.secret).status_code == 200
        unknown = _account(second, "lb_live_" + "x" * 40)
        assert unknown.status_code == 401
        assert unknown.json()["error"]["code"] == "invalid_api_key"


@pytest.mark.parametrize("reuse_port", [True, False], ids=["like-granian", "plain"])
def test_serve_on_a_port_another_server_listens_on_exits_1_before_touching_anything(
    tmp_path: Path, reuse_port: bool
) -> None:
    # granian listens with SO_REUSEPORT: a second granian would share the port silently.
    with socket.socket() as other:
        if reuse_port:
            other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = subprocess.run(
            [str(LEADBASE), "serve", "--port", str(port)],
            cwd=tmp_path,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "address_in_use" in done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no database was created or migrated


@pytest.mark.parametrize(
    ("people", "synthetic", "line"),
    [
        (1_000, 1_000, "1,000 people (synthetic demo data)"),
        (72_022, 0, "72,022 people (imported)"),
        (5_000, 1_000, "5,000 people (1,000 of them synthetic demo data)"),
    ],
)
def test_the_demo_banner_labels_only_synthetic_people_as_demo_data(
    people: int, synthetic: int, line: str
) -> None:
    from leadbase.cli.serve import catalog_line

    assert catalog_line(people, synthetic) == line
