"""Running the ``leadbase`` command in-process, the way an operator's shell would."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from leadbase.cli.main import app

_runner = CliRunner()


def invoke(*args: str) -> Result:
    return _runner.invoke(app, list(args))


def invoke_json(*args: str) -> Any:
    """Run a command with --json, require success, and return the parsed document."""
    result = invoke(*args, "--json")
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}"
    return json.loads(result.stdout)


def assert_failed(result: Result, code: str) -> None:
    """The command reported ``code`` on stderr and exited with status 1 (not a crash)."""
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert f"error {code}:" in result.stderr


def assert_failed_json(result: Result, code: str) -> dict[str, Any]:
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    assert error["code"] == code
    return error
