from __future__ import annotations

import json
import subprocess
import sys

from tests.cli.cli import invoke

_LOADED_MODULES = """
import json, sys
import leadbase.cli.main
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_the_command_does_not_import_the_server() -> None:
    # A fresh interpreter: this test process has imported the server long ago.
    output = subprocess.run(
        [sys.executable, "-c", _LOADED_MODULES], check=True, capture_output=True, text=True
    ).stdout
    loaded = json.loads(output)
    heavy = ("litestar", "sqlalchemy", "alembic", "msgspec", "granian", "uvicorn")
    assert [name for name in loaded if name.split(".")[0] in heavy] == []
    assert [name for name in loaded if name.startswith("leadbase.server")] == []


def test_help_lists_the_operator_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0, result.output
    for command in ("serve", "db", "admin"):
        assert f" {command} " in result.stdout


def test_unknown_command_is_a_usage_error() -> None:
    result = invoke("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in result.stderr
