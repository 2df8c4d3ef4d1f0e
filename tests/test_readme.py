"""The README's two commands are the front door: CI must run exactly the test one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    before_sections = text.split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", before_sections)


def test_the_readme_opens_with_a_serve_command_and_a_test_command() -> None:
    serve, test = _readme_commands()
    assert serve.endswith("leadbase serve --demo")
    assert '-e ".[server]"' in serve
    assert test.endswith(".venv/bin/pytest")
    assert '-e ".[dev]"' in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text()
    assert f"\n{test} || status=$?\n" in ci
    assert "export CI=true" in ci
