"""The `figures` command driven as a user would: a subprocess, its exit status and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AP_SEED, SEEDS, copy_seeds, read_table

from pipeline.contract import FIGURE_COLUMNS

FIGURES = Path(sys.executable).parent / "figures"


def figures(
    *args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None
):
    return subprocess.run(
        [str(FIGURES), *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=600,
    )


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["extract", "--help"]])
def test_every_command_has_help(args):
    result = figures(*args)
    assert result.returncode == 0
    assert b"usage: figures" in result.stdout


def test_run_builds_the_warehouse_and_prints_a_summary(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "out" / "displacement.duckdb"
    result = figures("run", "--input", str(input_dir), "--warehouse", str(warehouse))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "documents: 2 accepted, 0 rejected" in out
    assert "vehicles" in out and "fighters" in out
    assert "checks: 4 passed, 0 failed" in out
    assert str(warehouse) in out
    assert len(read_table(warehouse, "SELECT * FROM documents")) == 2


def test_run_reads_its_defaults_from_the_environment(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "env.duckdb"
    result = figures(
        "run", env={"FIGURES_INPUT_DIR": str(input_dir), "FIGURES_WAREHOUSE": str(warehouse)}
    )
    assert result.returncode == 0, result.stderr.decode()
    assert warehouse.exists()


def test_run_stays_quiet_when_piped(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    result = figures("run", "--input", str(input_dir), "--warehouse", str(tmp_path / "wh.duckdb"))
    assert result.returncode == 0
    assert b"\r" not in result.stderr  # no progress bar redraws


def test_run_fails_with_a_message_when_input_is_missing(tmp_path):
    result = figures(
        "run", "--input", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "wh.duckdb")
    )
    assert result.returncode != 0
    assert b"does not exist" in result.stderr


def test_run_exit_status_names_the_failed_blocking_check(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    suites = tmp_path / "expectations"
    suites.mkdir()
    for suite_file in (Path(__file__).parent.parent / "expectations").glob("*.json"):
        suite = json.loads(suite_file.read_text())
        if suite_file.stem == "documents":
            suite["expectations"].append(
                {
                    "type": "expect_column_to_exist",
                    "kwargs": {"column": "missing_column"},
                    "meta": {},
                    "severity": "critical",
                }
            )
        (suites / suite_file.name).write_text(json.dumps(suite))
    result = figures(
        "run",
        "--input",
        str(input_dir),
        "--warehouse",
        str(tmp_path / "wh.duckdb"),
        env={"FIGURES_EXPECTATIONS_DIR": str(suites)},
    )
    assert result.returncode == 1
    assert b"documents_error_rules" in result.stderr
    assert not (tmp_path / "wh.duckdb").exists()


def test_extract_prints_a_table_for_a_person():
    result = figures("extract", str(SEEDS / AP_SEED))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert out.splitlines()[0].split()[:3] == ["file", "mention", "value"]
    assert "at least 22" in out and "Some 300" in out


def test_extract_jsonl_has_the_figures_columns():
    result = figures("extract", "--jsonl", str(SEEDS / AP_SEED))
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert rows and all(set(FIGURE_COLUMNS) <= set(row) for row in rows)
    trucks = next(row for row in rows if row["mention"] == "at least 22")
    assert (trucks["value"], trucks["qualifier"], trucks["category"]) == (
        22,
        "at_least",
        "vehicles",
    )


def test_extract_reads_standard_input():
    result = figures(
        "extract", "--jsonl", "-", stdin=b"Floods\n\nNearly 5,000 people were evacuated.\n"
    )
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(row["mention"], row["value"], row["category"]) for row in rows] == [
        ("Nearly 5,000", 5000, "evacuees")
    ]


def test_extract_reports_a_rejected_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = figures("extract", str(empty))
    assert result.returncode == 1
    assert b"rejected" in result.stderr
