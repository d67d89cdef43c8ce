"""`figures sql`: a read-only query against the published warehouse, printed as a table, CSV,
JSON or JSON lines."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest
from conftest import PROJECT
from test_exports import make_warehouse

from pipeline.cli import main
from pipeline.cli_sql import format_table
from pipeline.settings import WAREHOUSE_ENV


@pytest.fixture
def warehouse(tmp_path):
    return make_warehouse(tmp_path / "displacement.duckdb")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["sql", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_prints_an_aligned_table_with_a_row_count(warehouse, capsys):
    status, out, _ = run(
        capsys,
        "SELECT category, value, event_date FROM figures WHERE kind = 'count' ORDER BY value",
        "--warehouse",
        str(warehouse),
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["category", "value", "event_date"]
    assert lines[2].split() == ["evacuees", "300", "2019-03-05"]
    assert lines[3].split() == ["displaced", "20000"]  # NULL prints empty
    assert lines[-1] == "(2 rows)"


def test_csv_json_and_jsonl(warehouse, capsys):
    sql = "SELECT figure_id, value, event_date FROM figures WHERE kind = 'count' ORDER BY value"
    status, out, _ = run(capsys, sql, "--warehouse", str(warehouse), "--csv")
    assert status == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["figure_id", "value", "event_date"],
        ["d1:0:8", "300", "2019-03-05"],
        ["d1:22:49", "20000", ""],
    ]
    status, out, _ = run(capsys, sql, "--warehouse", str(warehouse), "--json")
    assert json.loads(out) == [
        {"figure_id": "d1:0:8", "value": 300, "event_date": "2019-03-05"},
        {"figure_id": "d1:22:49", "value": 20000, "event_date": None},
    ]
    status, out, _ = run(capsys, sql, "--warehouse", str(warehouse), "--jsonl")
    assert [json.loads(line)["value"] for line in out.splitlines()] == [300, 20000]


def test_parameters_fill_placeholders(warehouse, capsys):
    status, out, _ = run(
        capsys,
        "SELECT mention FROM figures WHERE category = ? AND value >= ?",
        "-p",
        "displaced",
        "-p",
        "1000",
        "--warehouse",
        str(warehouse),
        "--csv",
    )
    assert status == 0
    assert list(csv.reader(io.StringIO(out))) == [["mention"], ["Between 20,000 and 30,000"]]


def test_views_and_lists_print(warehouse, capsys):
    status, out, _ = run(
        capsys,
        "SELECT * FROM figure_summary ORDER BY category",
        "--warehouse",
        str(warehouse),
        "--json",
    )
    assert status == 0
    assert [row["category"] for row in json.loads(out)] == ["displaced", "evacuees"]
    status, out, _ = run(capsys, "SELECT [1, 2] AS values_list", "--warehouse", str(warehouse))
    assert "[1, 2]" in out


def test_the_warehouse_comes_from_the_environment(warehouse, capsys, monkeypatch):
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
    status, out, _ = run(capsys, "SELECT count(*) AS n FROM documents", "--csv")
    assert status == 0 and out.splitlines() == ["n", "2"]


def test_the_warehouse_is_opened_read_only(warehouse, capsys):
    status, _, err = run(capsys, "DELETE FROM figures", "--warehouse", str(warehouse))
    assert status == 1 and "read-only" in err
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM figures").fetchone() == (3,)


def test_errors_are_reported_with_an_exit_status(tmp_path, warehouse, capsys):
    status, _, err = run(capsys, "SELECT nope FROM figures", "--warehouse", str(warehouse))
    assert status == 1 and err.startswith("figures sql:")
    status, _, err = run(capsys, "SELECT 1", "--warehouse", str(tmp_path / "missing.duckdb"))
    assert status == 2 and "figures run" in err


def test_max_rows_and_width_shorten_the_table():
    text = format_table(["a", "b"], [(1, "x" * 50), (2, None)], total=5, max_width=10)
    lines = text.splitlines()
    assert lines[2] == "1  xxxxxxxxx…"
    assert lines[3].rstrip() == "2"
    assert lines[-1] == "(first 2 of 5 rows; --max-rows to see more)"


def test_the_command_runs_from_a_shell_and_reads_sql_from_stdin(warehouse):
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "sql", "-", "--warehouse", str(warehouse), "--csv"],
        input="SELECT status FROM documents ORDER BY status",
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["status", "ok", "rejected"]
