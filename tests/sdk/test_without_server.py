"""`pip install leadbase` (no server extra) is enough for the SDK and the client commands:
they run in a process where the server's packages cannot be imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import Tenant

SERVER_PACKAGES = (
    "litestar",
    "msgspec",
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "psycopg",
    "granian",
    "uvicorn",
    "uvloop",
    "structlog",
    "prometheus_client",
    "limits",
    "redis",
    "phonenumbers",
    "tldextract",
    "cleanco",
    "nameparser",
    "anyascii",
    "rapidfuzz",
)
BLOCKER = f'''
import sys

BLOCKED = {SERVER_PACKAGES!r}


class _Blocker:
    """Imports of the server's packages fail, as they would without the server extra."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED or name.startswith("leadbase.server"):
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
        return None


sys.meta_path.insert(0, _Blocker())
'''
LEADBASE = Path(sys.executable).parent / "leadbase"


@pytest.fixture
def blocked_env(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "sitecustomize.py").write_text(BLOCKER)
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEADBASE_")}
    return {**env, "PYTHONPATH": path}


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_the_blocker_blocks(blocked_env: dict[str, str]) -> None:
    done = run(blocked_env, sys.executable, "-c", "import sqlalchemy")
    assert done.returncode == 1 and "blocked" in done.stderr


def test_the_sdk_imports_and_builds_a_client(blocked_env: dict[str, str]) -> None:
    code = (
        "import json, sys, leadbase\n"
        "client = leadbase.Leadbase(api_key='lb_live_x')\n"
        "print(json.dumps(sorted(name for name in sys.modules if name.startswith('leadbase'))))\n"
    )
    done = run(blocked_env, sys.executable, "-c", code)
    assert done.returncode == 0, done.stderr
    assert "leadbase._client" in json.loads(done.stdout)


@pytest.mark.parametrize(
    "args",
    [("--help",), ("enrich", "--help"), ("search", "people", "--help"), ("account", "--help")],
    ids=["leadbase", "enrich", "search", "account"],
)
def test_the_client_commands_help(blocked_env: dict[str, str], args: tuple[str, ...]) -> None:
    done = run(blocked_env, str(LEADBASE), *args)
    assert done.returncode == 0, done.stderr
    assert "Usage: leadbase" in done.stdout


def test_the_client_commands_talk_to_a_server(
    blocked_env: dict[str, str], server: str, acme: Tenant, tmp_path: Path
) -> None:
    done = run(
        blocked_env,
        str(LEADBASE),
        "account",
        "--json",
        "--api-key",
        acme.secret,
        "--base-url",
        server,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == acme.org_id
    source = tmp_path / "people.csv"
    source.write_text("email\nnobody@acme.com\n")
    output = tmp_path / "out.csv"
    done = run(
        blocked_env,
        str(LEADBASE),
        "enrich",
        str(source),
        "-o",
        str(output),
        "--api-key",
        acme.secret,
        "--base-url",
        server,
    )
    assert done.returncode == 0, done.stderr
    assert "no_match" in output.read_text()


def test_a_server_command_says_what_to_install(blocked_env: dict[str, str]) -> None:
    done = run(blocked_env, str(LEADBASE), "db", "current")
    assert done.returncode == 1
    assert "leadbase[server]" in done.stderr
