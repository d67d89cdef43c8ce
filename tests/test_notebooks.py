"""Every notebook in `notebooks/` runs from top to bottom against a warehouse built from the
seeds, found through FIGURES_WAREHOUSE as an analyst's notebook would find it."""

from __future__ import annotations

import nbformat
import pytest
from conftest import PROJECT
from nbclient import NotebookClient

from pipeline.settings import WAREHOUSE_ENV

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


def test_there_is_a_notebook():
    assert PROJECT / "notebooks" / "figures_overview.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_notebook_runs_against_the_seeded_warehouse(path, seeded_run, monkeypatch):
    _, _, warehouse = seeded_run
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))  # the kernel inherits the environment
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [output for output in outputs if output.output_type == "error"]
    if path.name == "figures_overview.ipynb":
        images = [output for output in outputs if "image/png" in output.get("data", {})]
        assert len(images) >= 3  # by category, by outlet, by date
