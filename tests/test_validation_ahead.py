"""A small run's figures validated ahead by the GX worker, while the run quarantines, checks
and stages: taken when the rows to validate are the ones validated ahead, validated again
otherwise; either way the same tables, the same results and one stored result per suite."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import copy_seeds, read_table

import assets.validation
import assets.validation_ahead
from pipeline.runner import run_pipeline
from pipeline.warehouse.layout import WarehouseLayout

RESULT_COLUMNS = ["suite", "expectation", "severity", "success", "unexpected_count"]


@pytest.fixture
def takes(monkeypatch) -> list[str]:
    """ "taken" or "validated" for each single-chunk figures validation of the runs."""
    seen: list[str] = []
    real = assets.validation.take_figures_validated_ahead

    def spy(run_id, frame, texts):
        outcome = real(run_id, frame, texts)
        seen.append("validated" if outcome is None else "taken")
        return outcome

    monkeypatch.setattr(assets.validation, "take_figures_validated_ahead", spy)
    return seen


def _run(tmp_path, name: str):
    warehouse = tmp_path / name / "figures.duckdb"
    outcome = run_pipeline(copy_seeds(tmp_path / name / "input"), str(warehouse))
    assert outcome.success, outcome.failure_message()
    return warehouse


def _published(warehouse) -> dict[str, pd.DataFrame]:
    tables = {
        "figures": "SELECT * EXCLUDE (event_date) FROM figures ORDER BY figure_id",
        "documents": "SELECT document_id, status FROM documents ORDER BY document_id",
        "results": f"SELECT {', '.join(RESULT_COLUMNS)} FROM validation_results "
        "ORDER BY suite, expectation, severity",
    }
    return {name: read_table(warehouse, sql) for name, sql in tables.items()}


def _stored_results(warehouse, suite: str) -> int:
    validations = WarehouseLayout(str(warehouse)).gx_root / "gx" / "uncommitted" / "validations"
    return len(list((validations / suite).rglob("*.json")))


def _assert_same(left, right) -> None:
    for name, frame in _published(left).items():
        pd.testing.assert_frame_equal(frame, _published(right)[name], obj=name)


def test_a_small_run_takes_its_figures_validated_ahead(tmp_path, takes, monkeypatch):
    ahead = _run(tmp_path, "ahead")
    assert takes == ["taken"]
    monkeypatch.setattr(assets.validation, "validate_figures_ahead", lambda *a, **k: None)
    plain = _run(tmp_path, "plain")
    assert takes == ["taken", "validated"]
    _assert_same(ahead, plain)
    for warehouse in (ahead, plain):
        assert _stored_results(warehouse, "figures") == 1
        assert _stored_results(warehouse, "documents") == 1


def test_rows_other_than_the_ones_validated_ahead_are_validated_again(tmp_path, takes, monkeypatch):
    """As when a document is quarantined: the figures to validate are not the rows that were
    validated ahead (here one row fewer was validated ahead)."""
    real = assets.validation_ahead.validate_figures_ahead

    def one_row_short(conn, rows, *args, **kwargs):
        return real(conn, rows[:-1], *args, **kwargs)

    monkeypatch.setattr(assets.validation, "validate_figures_ahead", one_row_short)
    other = _run(tmp_path, "other")
    assert takes == ["validated"]
    monkeypatch.undo()
    _assert_same(other, _run(tmp_path, "ahead"))
    assert _stored_results(other, "figures") == 1  # the result held ahead was dropped
