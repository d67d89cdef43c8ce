"""Shared fixtures: the project's folders, and a warehouse built once from the seeds by a real
in-process Dagster run into a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
SHARED = PROJECT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"
AP_SEED = "ap-children-flee-islamic-state.txt"
NYT_SEED = "nyt-desperate-exodus-from-isis-final-village.txt"


def copy_seeds(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.iterdir():
        shutil.copy(path, target / path.name)
    return target


OPEN_ELSEWHERE = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).close()"


def opens_in_another_process(path: Path) -> bool:
    """Whether another process can open the DuckDB file now (no process holds it for writing)."""
    return subprocess.run([sys.executable, "-c", OPEN_ELSEWHERE, str(path)]).returncode == 0


def read_table(warehouse: Path | str, sql: str, params: list | None = None) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).df()


@pytest.fixture(scope="session")
def seeded_run(tmp_path_factory):
    """(outcome, input folder, warehouse path) of one real run over a copy of the seeds."""
    from pipeline.runner import run_pipeline

    root = tmp_path_factory.mktemp("seeded")
    input_dir = copy_seeds(root / "input")
    warehouse = root / "warehouse" / "displacement.duckdb"
    outcome = run_pipeline(input_dir, str(warehouse))
    assert outcome.success, outcome.failure_message()
    return outcome, input_dir, warehouse


@pytest.fixture
def extractions(monkeypatch) -> list[str]:
    """The ids of the documents the pipeline runs the extractor on (`figure_rows`; a test's
    own calls of the imported function are not counted). Nothing extracted ahead is left."""
    import pipeline.figure_rows as figure_rows_module

    seen: list[str] = []
    real = figure_rows_module.figure_rows

    def counting(document):
        seen.append(document["document_id"])
        return real(document)

    monkeypatch.setattr(figure_rows_module, "figure_rows", counting)
    yield seen
    figure_rows_module.extract_ahead([])
