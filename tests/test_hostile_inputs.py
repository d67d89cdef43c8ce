"""The real pipeline over a folder of hostile inputs (random bytes, a 5 MB single line, SQL in
file names, 2,000 empty files, UTF-16 and Latin-1, symbolic-link loops): the run succeeds and
every file is one row, either accepted or rejected with a reason. The full-size case (50 MB,
10,000 files) is timed by benchmarks/hostile_inputs.py."""

from __future__ import annotations

import importlib.util
import time

import pytest
from conftest import PROJECT, read_table

_spec = importlib.util.spec_from_file_location(
    "hostile_inputs", PROJECT / "benchmarks" / "hostile_inputs.py"
)
hostile_inputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile_inputs)

ROWS_SQL = """
    SELECT source_path, status, reject_reason FROM documents
    UNION ALL
    SELECT source_path, 'quarantined' AS status, failed_rules AS reject_reason FROM document_rejects
"""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from pipeline.runner import run_pipeline

    root = tmp_path_factory.mktemp("hostile")
    expected = hostile_inputs.build_hostile_folder(
        root / "input", big_bytes=5_000_000, empty_files=2_000
    )
    warehouse = root / "warehouse" / "hostile.duckdb"
    began = time.perf_counter()
    outcome = run_pipeline(root / "input", str(warehouse))
    elapsed = time.perf_counter() - began
    return outcome, expected, warehouse, elapsed


def test_the_run_succeeds_in_reasonable_time(hostile_run):
    outcome, _, _, elapsed = hostile_run
    assert outcome.success, outcome.failure_message()
    assert elapsed < 120, f"{elapsed:.0f} s over the hostile folder"


def test_every_file_is_exactly_one_row(hostile_run):
    _, expected, warehouse, _ = hostile_run
    rows = read_table(warehouse, ROWS_SQL)
    counts = rows["source_path"].value_counts()
    assert set(counts.index) == set(expected), (
        f"missing: {sorted(set(expected) - set(counts.index))[:10]}, "
        f"unexpected: {sorted(set(counts.index) - set(expected))[:10]}"
    )
    assert (counts == 1).all(), counts[counts > 1].head(10).to_dict()


def test_every_rejected_file_says_why(hostile_run):
    _, expected, warehouse, _ = hostile_run
    rows = read_table(warehouse, ROWS_SQL).set_index("source_path")
    rejected = rows[rows["status"] != "ok"]
    assert rejected["reject_reason"].fillna("").str.strip().ne("").all()
    for path in ("random.bin", "loop.txt", "ping.txt", "up", "empty/00000.txt", "nul-in-text.txt"):
        assert rows.loc[path, "status"] != "ok", (path, expected[path])
    assert rows.loc["empty/01999.txt", "reject_reason"].startswith("empty")
    assert "loop" in rows.loc["loop.txt", "reject_reason"]


def test_odd_names_and_encodings_are_read_as_text(hostile_run):
    _, _, warehouse, _ = hostile_run
    rows = read_table(warehouse, ROWS_SQL).set_index("source_path")
    readable = [
        *hostile_inputs.SQL_NAMES,
        "new\nline name.txt",
        "utf16-bom.txt",
        "latin1.txt",
        "bad-\\xff-name.txt",
        "single-line.txt",
    ]
    for path in readable:
        assert rows.loc[path, "status"] == "ok", (path, rows.loc[path, "reject_reason"])
    texts = read_table(
        warehouse, "SELECT source_path, text FROM documents WHERE status = 'ok'"
    ).set_index("source_path")["text"]
    assert "Café réfugiés" in texts["latin1.txt"]
    assert "Over 500 tents" in texts["utf16-bom.txt"]


def test_the_warehouse_tables_survive_sql_in_file_names(hostile_run):
    _, _, warehouse, _ = hostile_run
    counts = read_table(
        warehouse,
        "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM figures) AS figures",
    )
    assert counts.loc[0, "documents"] > 2_000
    assert counts.loc[0, "figures"] > 0
