"""The staging database shared open between the steps of a small in-process run: held until
released (another process cannot open it meanwhile), and the same tables whether a run holds
it or lets each step open and close it; and what a small run does ahead: its figures extracted
while its documents are validated, its Data Docs rendered while it checks and publishes."""

from __future__ import annotations

import dagster as dg
import pytest
from conftest import copy_seeds, opens_in_another_process, read_table

from assets import ALL_ASSETS
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource
from pipeline.warehouse.layout import WarehouseLayout


def test_a_held_database_stays_open_until_released(tmp_path):
    path = tmp_path / "staging.duckdb"
    resource = StagingDuckDBResource(database=str(path))
    resource.hold_open()
    with resource.get_connection() as conn:
        conn.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert not opens_in_another_process(path)  # the step's connection is closed; the hold is not
    with resource.get_connection() as conn:
        assert conn.execute("SELECT x FROM t").fetchone() == (1,)
    resource.release()
    assert opens_in_another_process(path)
    resource.release()  # releasing twice is harmless


def _run(input_dir, warehouse, hold_max: int, batch_size: int = 500) -> None:
    settings = FiguresSettings(
        input_dir=str(input_dir),
        warehouse=str(warehouse),
        small_run_max_documents=hold_max,
        batch_size=batch_size,
    )
    result = dg.materialize(
        ALL_ASSETS,
        resources={
            "settings": settings,
            "duckdb": StagingDuckDBResource(database=str(WarehouseLayout(str(warehouse)).staging)),
            "gx": GreatExpectationsResource(),
        },
    )
    assert result.success


COMPARED = {
    "documents": "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY document_id",
    "figures": "SELECT * FROM figures ORDER BY figure_id",
}


def test_holding_the_database_or_not_gives_the_same_tables(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    held, apart = tmp_path / "held" / "wh.duckdb", tmp_path / "apart" / "wh.duckdb"
    for _ in "first run", "a file added":
        _run(input_dir, held, hold_max=2_000)
        _run(input_dir, apart, hold_max=0)
        (input_dir / "more.txt").write_text("At least 40 families fled floods in Sindh on Monday.")
    for table, sql in COMPARED.items():
        ours, theirs = read_table(held, sql), read_table(apart, sql)
        assert len(ours) > 0, table
        assert ours.equals(theirs), table
    assert not WarehouseLayout(str(held)).staging.exists()  # published, nothing left open


def test_only_a_small_run_has_its_data_docs_rendered_ahead(tmp_path, monkeypatch):
    asked: list[tuple[str, object]] = []
    validate = GreatExpectationsResource.validate
    keep = GreatExpectationsResource.keep_validated_ahead

    def spy(self, table, frame, **kwargs):
        asked.append((table, kwargs.get("then_prepare_data_docs")))
        return validate(self, table, frame, **kwargs)

    def keeping(self, **kwargs):  # the figures validated ahead, when a GX worker runs
        kept = keep(self, **kwargs)
        if kept:
            asked.append(("figures", kwargs.get("then_prepare_data_docs")))
        return kept

    monkeypatch.setattr(GreatExpectationsResource, "validate", spy)
    monkeypatch.setattr(GreatExpectationsResource, "keep_validated_ahead", keeping)
    input_dir = copy_seeds(tmp_path / "input")
    small, large = tmp_path / "small" / "wh.duckdb", tmp_path / "large" / "wh.duckdb"
    _run(input_dir, small, hold_max=2_000)
    docs = WarehouseLayout(str(small)).data_docs_dir
    assert asked == [("documents", None), ("figures", docs)]  # after the last validation only
    asked.clear()
    _run(input_dir, large, hold_max=0)
    assert asked == [("documents", None), ("figures", None)]


@pytest.fixture
def extracted_ahead(monkeypatch) -> list[list[str]]:
    """The document ids of each extraction ahead the run asks for."""
    import assets.validation

    calls: list[list[str]] = []
    real = assets.validation.extract_ahead

    def spy(documents):
        documents = list(documents)
        calls.append([document["document_id"] for document in documents])
        return real(documents)

    monkeypatch.setattr(assets.validation, "extract_ahead", spy)
    return calls


def test_a_small_run_extracts_each_document_once_while_validating_it(
    tmp_path, extractions, extracted_ahead
):
    import pipeline.figure_rows as figure_rows_module

    input_dir = copy_seeds(tmp_path / "input")
    _run(input_dir, tmp_path / "small" / "wh.duckdb", hold_max=2_000)
    accepted = read_table(tmp_path / "small" / "wh.duckdb", "SELECT document_id FROM documents")
    assert [sorted(ids) for ids in extracted_ahead] == [sorted(accepted["document_id"])]
    assert sorted(extractions) == sorted(accepted["document_id"])  # ahead only, then taken
    assert not figure_rows_module._AHEAD


def test_nothing_is_extracted_ahead_for_extraction_in_worker_processes(tmp_path, extracted_ahead):
    input_dir = copy_seeds(tmp_path / "input")
    for number in range(3):  # 5 documents, batches of 1: staged_figures starts workers
        (input_dir / f"more-{number}.txt").write_text(f"At least {40 + number} families fled.")
    warehouse = tmp_path / "small" / "wh.duckdb"
    _run(input_dir, warehouse, hold_max=2_000, batch_size=1)
    assert extracted_ahead == []
    assert len(read_table(warehouse, "SELECT * FROM figures")) > 0
