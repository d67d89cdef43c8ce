"""Validation inside real runs: rows failing an error rule are quarantined with their rule and
run id while the good rows are published; warning rules report and keep the rows."""

from __future__ import annotations

import dataclasses

import dagster as dg
import pandas as pd
import pytest
from conftest import copy_seeds, read_table

import pipeline.figure_rows
from assets import ALL_ASSETS
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource
from pipeline.runner import run_pipeline
from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.quarantine import RESULT_KEYS, result_records, summarize_results


def _with_extra_figures(monkeypatch, make_extra):
    """Make the extractor add `make_extra(real_figures)` to the figures of the AP seed."""
    real_extract = pipeline.figure_rows.extract_figures

    def extract(text, context=None):
        figures = real_extract(text, context)
        if text.startswith("Children flee Islamic State"):
            figures = figures + make_extra(figures)
        return figures

    monkeypatch.setattr(pipeline.figure_rows, "extract_figures", extract)


def _bad_figures(figures):
    trucks = next(f for f in figures if f.mention == "at least 22")
    militants = next(f for f in figures if f.mention == "Some 300")
    hundreds = next(f for f in figures if f.mention == "several hundred")
    return [
        # bounds the wrong way round, at the offsets of a real mention shifted by one
        dataclasses.replace(
            trucks,
            start_char=trucks.start_char + 1,
            mention=trucks.mention[1:],
            qualifier="range",
            value_low=30,
            value_high=20,
            value=30,
        ),
        dataclasses.replace(
            militants,
            start_char=militants.start_char + 1,
            mention=militants.mention[1:],
            category="aliens",
        ),
        dataclasses.replace(
            hundreds, start_char=hundreds.start_char + 1, mention="not what the text says"
        ),
    ]


@pytest.fixture
def quarantine_run(tmp_path, monkeypatch):
    _with_extra_figures(monkeypatch, _bad_figures)
    warehouse = tmp_path / "wh.duckdb"
    outcome = run_pipeline(copy_seeds(tmp_path / "input"), str(warehouse))
    return outcome, warehouse


def test_rows_failing_error_rules_are_quarantined_and_the_rest_published(quarantine_run):
    outcome, warehouse = quarantine_run
    assert outcome.success, outcome.failure_message()
    rejects = read_table(warehouse, "SELECT * FROM figure_rejects ORDER BY start_char")
    assert len(rejects) == 3
    assert set(rejects["run_id"]) == {outcome.run_id}
    rules = dict(zip(rejects["mention"], rejects["failed_rules"], strict=True))
    assert "value_low" in rules["t least 22"] and "value_high" in rules["t least 22"]
    assert "category" in rules["ome 300"]
    assert "mention_matches_offsets" in rules["not what the text says"]

    published = read_table(warehouse, "SELECT * FROM figures")
    assert {"at least 22", "Some 300", "several hundred"} <= set(published["mention"])
    assert not set(rejects["figure_id"]) & set(published["figure_id"])
    assert outcome.materializations["validated_figures"]["rows_quarantined"] == 3
    error_check = next(c for c in outcome.checks if c.name == "figures_error_rules")
    assert error_check.passed

    results = read_table(
        warehouse,
        "SELECT * FROM validation_results WHERE run_id = ? AND suite = 'figures'",
        [outcome.run_id],
    )
    failed = results[~results["success"]]
    assert set(failed["severity"]) == {"critical"}
    assert failed["unexpected_count"].min() >= 1


def test_a_failing_warning_rule_keeps_the_rows_and_records_the_result(tmp_path, monkeypatch):
    def implausible(figures):
        militants = next(f for f in figures if f.mention == "Some 300")
        return [
            dataclasses.replace(
                militants,
                start_char=militants.start_char + 1,
                mention=militants.mention[1:],
                value=5_000_000_000,
            )
        ]

    _with_extra_figures(monkeypatch, implausible)
    warehouse = tmp_path / "wh.duckdb"
    outcome = run_pipeline(copy_seeds(tmp_path / "input"), str(warehouse))
    assert outcome.success
    assert 5_000_000_000 in set(read_table(warehouse, "SELECT value FROM figures")["value"])
    assert read_table(warehouse, "SELECT count(*) AS n FROM figure_rejects")["n"][0] == 0
    warning = next(c for c in outcome.checks if c.name == "figures_warning_rules")
    assert (warning.passed, warning.severity) == (False, "WARN")
    results = read_table(
        warehouse,
        "SELECT * FROM validation_results WHERE run_id = ? AND severity = 'warning' AND NOT success",
        [outcome.run_id],
    )
    assert len(results) == 1 and results["unexpected_count"][0] == 1


def _run_in_chunks(input_dir, warehouse, documents_per_chunk: int) -> dg.ExecuteInProcessResult:
    settings = FiguresSettings(
        input_dir=str(input_dir),
        warehouse=str(warehouse),
        validation_batch_documents=documents_per_chunk,
    )
    return dg.materialize(
        ALL_ASSETS,
        resources={
            "settings": settings,
            "duckdb": StagingDuckDBResource(database=str(WarehouseLayout(str(warehouse)).staging)),
            "gx": GreatExpectationsResource(),
        },
    )


def test_validating_in_chunks_quarantines_and_records_what_one_chunk_does(tmp_path, monkeypatch):
    # One chunk reads the new rows by joining `_new_documents`; several register each chunk.
    _with_extra_figures(monkeypatch, _bad_figures)
    input_dir = copy_seeds(tmp_path / "input")
    whole, chunked = tmp_path / "whole" / "wh.duckdb", tmp_path / "chunked" / "wh.duckdb"
    assert _run_in_chunks(input_dir, whole, documents_per_chunk=5_000).success
    assert _run_in_chunks(input_dir, chunked, documents_per_chunk=1).success
    compared = {
        "figures": "SELECT * FROM figures ORDER BY figure_id",
        "rejects": "SELECT * EXCLUDE (run_id) FROM figure_rejects ORDER BY figure_id",
        "results": "SELECT suite, expectation, severity, success, unexpected_count "
        "FROM validation_results ORDER BY suite, expectation",
    }
    for name, sql in compared.items():
        ours, theirs = read_table(chunked, sql), read_table(whole, sql)
        assert len(ours) > 0, name
        assert ours.equals(theirs), name
    assert len(read_table(whole, compared["rejects"])) == 3


def test_data_docs_are_built_beside_the_warehouse(seeded_run):
    _, _, warehouse = seeded_run
    index = warehouse.parent / "data_docs" / "index.html"
    assert index.exists()
    assert "figures" in index.read_text()


def _results(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["expectation", "severity", "success", "unexpected_count", "exception"]
    )
    frame.insert(0, "run_id", "r")
    frame.insert(1, "suite", "figures")
    frame["unexpected_count"] = frame["unexpected_count"].astype("Int64")
    frame["evaluated_at"] = pd.Timestamp("2026-11-22T10:00:00Z")
    return frame


ONE_CHUNK_CASES = {
    "all passed": [("b", "critical", True, 0, None), ("a", "warning", True, 0, None)],
    "counts missing": [("z", "critical", True, None, None), ("y", "critical", False, 3, None)],
    "an exception": [("m", "critical", False, None, "KeyError: x"), ("n", "info", True, 0, None)],
    "same name, two severities": [
        ("a", "warning", False, 2, None),
        ("a", "critical", True, 0, None),
    ],
    "a repeated expectation": [("a", "critical", True, 0, None), ("a", "critical", False, 4, None)],
    "none": [],
}


@pytest.mark.parametrize("case", ONE_CHUNK_CASES)
def test_one_chunk_is_summarised_as_the_grouping_would(case):
    chunk = _results(ONE_CHUNK_CASES[case])
    grouped = (
        chunk.assign(unexpected_count=pd.to_numeric(chunk["unexpected_count"]).fillna(0))
        .groupby(list(RESULT_KEYS), sort=True, as_index=False)
        .agg(
            success=("success", "all"),
            unexpected_count=("unexpected_count", "sum"),
            exception=("exception", "first"),
            evaluated_at=("evaluated_at", "max"),
        )
    )
    summary = summarize_results([result_records(chunk)])
    assert summary == result_records(grouped)
    for row in summary:
        assert type(row["success"]) is bool and type(row["unexpected_count"]) is int


def test_chunks_are_combined_per_expectation():
    first = _results([("a", "critical", True, 0, None), ("b", "warning", False, 2, None)])
    second = _results([("a", "critical", False, 1, "ValueError"), ("b", "warning", False, 3, None)])
    summary = {
        row["expectation"]: row
        for row in summarize_results([result_records(first), result_records(second)])
    }
    assert summary["a"]["success"] is False and summary["a"]["unexpected_count"] == 1
    assert summary["a"]["exception"] == "ValueError"
    assert summary["b"]["unexpected_count"] == 5
