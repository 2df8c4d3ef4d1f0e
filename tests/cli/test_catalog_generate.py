from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.cli import assert_failed, assert_failed_json, invoke, invoke_json

FILES = ("companies.csv", "people.csv", "openings.csv", "truth.csv", "queries.csv", "manifest.json")


def _count_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as file:
        return sum(1 for _ in csv.reader(file)) - 1


def test_generate_writes_the_catalog_and_prints_a_summary(tmp_path: Path) -> None:
    result = invoke(
        "catalog", "generate", "--people", "500", "--queries", "40", "--out", str(tmp_path),
        "--as-of", "2025-01-15",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Synthetic catalog in {tmp_path} (seed 1, as of 2025-01-15)"
    assert lines[1].split() == ["companies", "100"]
    assert lines[2].split() == ["people", "500", "450", "people", "+", "50", "duplicates"]
    assert lines[3].split() == ["openings", "50"]
    assert lines[4].split()[:2] == ["queries", "40"]
    assert lines[5].startswith("650 rows in ")
    assert "rows/s" in lines[5] and "people/s" in lines[5]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(FILES)
    assert _count_rows(tmp_path / "people.csv") == 500
    assert _count_rows(tmp_path / "companies.csv") == 100
    assert _count_rows(tmp_path / "openings.csv") == 50
    assert _count_rows(tmp_path / "queries.csv") == 40


def test_json_summary_reports_counts_and_speed(tmp_path: Path) -> None:
    summary = invoke_json(
        "catalog", "generate", "--people", "300", "--companies", "20", "--openings", "7",
        "--duplicates", "0.2", "--queries", "10", "--seed", "4", "--as-of", "2025-03-01",
        "--out", str(tmp_path),
    )  # fmt: skip

    timings = {key: summary.pop(key) for key in ("seconds", "rows_per_second", "people_per_second")}
    assert summary == {
        "out_dir": str(tmp_path),
        "seed": 4,
        "as_of": "2025-03-01",
        "duplicate_rate": 0.2,
        "companies": 20,
        "people": 300,
        "entities": 240,
        "duplicates": 60,
        "openings": 7,
        "queries": 10,
        "source": "synthetic",
        "rows": 327,
    }
    assert timings["seconds"] > 0
    assert timings["rows_per_second"] > 0
    assert timings["people_per_second"] > 0


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = invoke(
            "catalog", "generate", "--people", "400", "--seed", "9", "--as-of", "2025-01-15",
            "--out", str(tmp_path / name),
        )  # fmt: skip
        assert result.exit_code == 0, result.output

    for file in FILES:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_negative_counts_fail_with_invalid_parameter_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("catalog", "generate", "--people", "-5", "--queries", "-1", "--out", str(out))

    assert_failed(result, "invalid_parameter")
    assert "people: must be 0 or more" in result.stderr
    assert "queries: must be 0 or more" in result.stderr
    assert not out.exists()


def test_negative_counts_fail_as_json_for_scripts(tmp_path: Path) -> None:
    result = invoke(
        "catalog", "generate", "--people", "10", "--companies", "-1", "--duplicates", "1",
        "--out", str(tmp_path / "out"), "--json",
    )  # fmt: skip

    error = assert_failed_json(result, "invalid_parameter")
    assert error["param"] == "companies"
    assert error["details"] == {
        "companies": "must be 0 or more",
        "duplicate_rate": "must be at least 0 and less than 1",
    }


def test_an_unwritable_output_fails_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")

    result = invoke("catalog", "generate", "--people", "10", "--out", str(blocker / "out"))

    assert_failed(result, "output_not_writable")
    assert f"Cannot write to {blocker / 'out'}" in result.stderr


def test_a_malformed_date_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("catalog", "generate", "--as-of", "15/01/2025", "--out", str(tmp_path))

    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert not any(tmp_path.iterdir())


def test_files_do_not_depend_on_the_interpreters_hash_seed(tmp_path: Path) -> None:
    # Sets and dicts of strings iterate in hash order; nothing written may depend on it.
    for hash_seed in ("1", "2"):
        command = [
            sys.executable, "-m", "leadbase.cli.main", "catalog", "generate", "--people", "1500",
            "--queries", "100", "--as-of", "2025-01-15", "--out", str(tmp_path / hash_seed),
        ]  # fmt: skip
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(command, env=environment, check=True, capture_output=True)

    for file in FILES:
        assert (tmp_path / "1" / file).read_bytes() == (tmp_path / "2" / file).read_bytes()
