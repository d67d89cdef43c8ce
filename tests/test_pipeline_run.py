"""End-to-end runs of the real Dagster job into a DuckDB file in a temporary folder: the seeds'
rows, the contract's columns, incremental and idempotent reruns, failed runs that leave the
previous warehouse intact."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import AP_SEED, NYT_SEED, copy_seeds, read_table

from pipeline.contract import DOCUMENT_COLUMNS, FIGURE_COLUMNS
from pipeline.runner import run_pipeline
from pipeline.settings import PROJECT_EXPECTATIONS_DIR

ALL_TABLES = ("documents", "figures", "document_rejects", "figure_rejects")


def snapshot(warehouse) -> dict[str, pd.DataFrame]:
    """Every published table, in a stable order, for comparing runs."""
    frames = {}
    for table in ALL_TABLES:
        frame = read_table(warehouse, f"SELECT * FROM {table}")
        frames[table] = frame.sort_values(list(frame.columns[:4])).reset_index(drop=True)
    return frames


def assert_same_tables(before: dict, after: dict) -> None:
    for table in ALL_TABLES:
        pd.testing.assert_frame_equal(before[table], after[table], check_dtype=True)


def test_seed_documents_are_accepted_with_their_metadata(seeded_run):
    _, _, warehouse = seeded_run
    docs = read_table(warehouse, "SELECT * FROM documents ORDER BY source_path")
    assert list(docs.columns[: len(DOCUMENT_COLUMNS)]) == list(DOCUMENT_COLUMNS)
    docs = docs.set_index("source_path")
    assert set(docs.index) == {AP_SEED, NYT_SEED}
    assert (docs["status"] == "ok").all()
    ap, nyt = docs.loc[AP_SEED], docs.loc[NYT_SEED]
    assert ap["title"] == "Children flee Islamic State"
    assert ap["outlet"] == "The Associated Press"
    assert ap["byline"] == "Sarah El Deeb"
    assert ap["dateline"] == "BAGHOUZ, Syria"
    assert nyt["title"] == "A desperate exodus from ISIS' final village"
    assert nyt["dateline"] == "DEIR AL-ZOUR PROVINCE, SYRIA"
    assert nyt["outlet"]
    assert "Join ST's Telegram channel" not in nyt["text"]
    assert "PHOTO: NY TIMES" not in nyt["text"]


def test_seed_figures_follow_the_contract(seeded_run):
    _, _, warehouse = seeded_run
    figures = read_table(
        warehouse,
        """SELECT f.*, d.text FROM figures f JOIN documents d USING (document_id)
           WHERE kind = 'count' ORDER BY document_id, start_char""",
    )
    assert list(figures.columns[: len(FIGURE_COLUMNS)]) == list(FIGURE_COLUMNS)
    for row in figures.itertuples():
        assert row.text[row.start_char : row.end_char] == row.mention
        assert row.figure_id == f"{row.document_id}:{row.start_char}-{row.end_char}"
    by_mention = figures.set_index("mention")
    trucks = by_mention.loc["at least 22"]
    assert (trucks.value, trucks.value_low, trucks.qualifier) == (22, 22, "at_least")
    assert pd.isna(trucks.value_high)
    assert (trucks.category, trucks.unit) == ("vehicles", "trucks")
    militants = by_mention.loc["Some 300"]
    assert (militants.value, militants.qualifier, militants.category, militants.unit) == (
        300,
        "approximate",
        "fighters",
        "militants",
    )
    assert pd.isna(militants.value_low) and pd.isna(militants.value_high)


def test_run_reports_checks_and_materializations(seeded_run):
    outcome, _, _ = seeded_run
    assert {check.name for check in outcome.checks} == {
        "documents_error_rules",
        "documents_warning_rules",
        "figures_error_rules",
        "figures_warning_rules",
    }
    assert all(check.passed for check in outcome.checks if check.severity == "ERROR")
    staged = outcome.materializations["staged_documents"]
    assert staged["new_accepted"] == 2 and staged["new_rejected"] == 0
    assert outcome.materializations["published_warehouse"]["rows_documents"] == 2


def test_rerun_on_unchanged_input_leaves_tables_identical(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "wh.duckdb"
    assert run_pipeline(input_dir, str(warehouse)).success
    first = snapshot(warehouse)
    again = run_pipeline(input_dir, str(warehouse))
    assert again.success
    assert again.materializations["staged_documents"]["unchanged_files"] == 2
    assert again.materializations["staged_figures"]["documents_extracted"] == 0
    assert_same_tables(first, snapshot(warehouse))
    ids = read_table(warehouse, "SELECT figure_id FROM figures")["figure_id"]
    assert ids.is_unique


def test_incremental_run_processes_only_new_and_changed_files(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "wh.duckdb"
    assert run_pipeline(input_dir, str(warehouse)).success
    before = read_table(warehouse, "SELECT document_id, source_path FROM documents")

    (input_dir / "new.txt").write_text("Floods\n\nAbout 3,000 people were evacuated on Monday.\n")
    ap = input_dir / AP_SEED
    ap.write_text(ap.read_text() + "\nAt least 12 civilians were killed.\n")
    outcome = run_pipeline(input_dir, str(warehouse))
    assert outcome.success
    staged = outcome.materializations["staged_documents"]
    assert (staged["new_accepted"], staged["unchanged_files"]) == (2, 1)
    assert outcome.materializations["staged_figures"]["documents_extracted"] == 2

    after = read_table(
        warehouse, "SELECT document_id, source_path FROM documents ORDER BY source_path"
    )
    assert list(after["source_path"]) == sorted([AP_SEED, NYT_SEED, "new.txt"])
    old_ap_id = before.set_index("source_path").loc[AP_SEED, "document_id"]
    assert old_ap_id not in set(after["document_id"])
    orphans = read_table(
        warehouse,
        "SELECT count(*) AS n FROM figures WHERE document_id NOT IN (SELECT document_id FROM documents)",
    )
    assert orphans["n"][0] == 0
    mentions = set(read_table(warehouse, "SELECT mention FROM figures")["mention"])
    assert {"About 3,000", "At least 12"} <= mentions

    (input_dir / "new.txt").unlink()
    outcome = run_pipeline(input_dir, str(warehouse))
    assert outcome.success and outcome.materializations["staged_documents"]["removed_files"] == 1
    assert "new.txt" not in set(
        read_table(warehouse, "SELECT source_path FROM documents")["source_path"]
    )


def test_bad_files_become_rejected_rows_and_good_files_still_load(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    (input_dir / "empty.txt").write_bytes(b"")
    (input_dir / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (input_dir / "copy.txt").write_bytes((input_dir / AP_SEED).read_bytes())
    (input_dir / "records.jsonl").write_text(
        json.dumps({"text": "About 500 families were displaced by floods.", "title": "Floods"})
        + "\n{not json\n"
    )
    outcome = run_pipeline(input_dir, str(tmp_path / "wh.duckdb"))
    assert outcome.success, outcome.failure_message()
    docs = read_table(tmp_path / "wh.duckdb", "SELECT * FROM documents").set_index("source_path")
    assert docs.loc[AP_SEED, "status"] == "ok" and docs.loc[NYT_SEED, "status"] == "ok"
    rejected = docs[docs["status"] == "rejected"]
    assert rejected["reject_reason"].notna().all()
    reasons = rejected["reject_reason"].str.lower()
    assert "empty" in reasons.loc["empty.txt"]
    assert "binary" in reasons.loc["image.png"]
    assert reasons.loc["copy.txt"] == f"duplicate of {AP_SEED}"
    jsonl_rows = docs[docs.index.str.startswith("records.jsonl")]
    assert sorted(jsonl_rows["status"]) == ["ok", "rejected"]


def test_failed_table_validation_leaves_the_previous_warehouse_intact(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "wh.duckdb"
    assert run_pipeline(input_dir, str(warehouse)).success
    published_bytes = warehouse.read_bytes()
    before = snapshot(warehouse)

    suites = tmp_path / "expectations"
    shutil.copytree(PROJECT_EXPECTATIONS_DIR, suites)
    suite = json.loads((suites / "figures.json").read_text())
    suite["expectations"].append(
        {
            "type": "expect_column_to_exist",
            "kwargs": {"column": "no_such_column"},
            "meta": {},
            "severity": "critical",
        }
    )
    (suites / "figures.json").write_text(json.dumps(suite, indent=2))
    (input_dir / "new.txt").write_text("Quake\n\nAt least 40 people were killed.\n")

    outcome = run_pipeline(input_dir, str(warehouse), expectations_dir=suites)
    assert not outcome.success
    assert "figures_error_rules" in outcome.failure_message()
    assert warehouse.read_bytes() == published_bytes
    assert_same_tables(before, snapshot(warehouse))


@pytest.mark.parametrize("name", ["it's; DROP TABLE documents; --.txt", 'quote "x".txt'])
def test_hostile_file_names_are_stored_verbatim(tmp_path, name):
    input_dir = tmp_path / "input"
    input_dir.mkdir()
    (input_dir / name).write_text("Floods\n\nSome 200 people fled.\n")
    warehouse = tmp_path / "wh.duckdb"
    assert run_pipeline(input_dir, str(warehouse)).success
    assert list(read_table(warehouse, "SELECT source_path FROM documents")["source_path"]) == [name]


def test_rows_made_by_other_code_are_processed_again(tmp_path, monkeypatch):
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "wh.duckdb"
    assert run_pipeline(input_dir, str(warehouse)).success
    monkeypatch.setattr("assets.documents.processing_version", lambda: "a-newer-version")
    outcome = run_pipeline(input_dir, str(warehouse))
    assert outcome.success
    assert outcome.materializations["staged_documents"]["new_accepted"] == 2
    versions = read_table(warehouse, "SELECT DISTINCT pipeline_version FROM documents")
    assert list(versions["pipeline_version"]) == ["a-newer-version"]


def test_a_rerun_with_nothing_new_validates_nothing(tmp_path):
    """Unchanged input costs little: nothing validated, no Data Docs rebuild, and GX never
    imported in the run's own process (the validation worker is stopped unused)."""
    input_dir = copy_seeds(tmp_path / "input")
    warehouse = tmp_path / "wh.duckdb"
    assert run_pipeline(input_dir, str(warehouse)).success
    script = (
        "import sys\n"
        "from pipeline.runner import run_pipeline\n"
        f"outcome = run_pipeline({str(input_dir)!r}, {str(warehouse)!r})\n"
        "assert outcome.success, outcome.failure_message()\n"
        "done = outcome.materializations\n"
        "print(done['data_docs']['rebuilt'], 'great_expectations' in sys.modules,\n"
        "      done['validated_documents']['rows_validated'],\n"
        "      done['validated_figures']['rows_validated'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "0", "0"]
