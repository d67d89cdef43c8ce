"""The suite files: GX loads them as written, the generator reproduces them, and importing
the package leaves GX unloaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import contract
from pipeline.validation import EXPECTATIONS_DIR, SUITE_NAMES, load_suite
from pipeline.validation.build_suites import write_suites
from pipeline.validation.suites import expectation_label, read_suite_dict

REPO = Path(__file__).resolve().parents[1]


def test_import_does_not_load_great_expectations():
    code = (
        "import sys, pipeline.validation\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'great_expectations']\n"
        "assert not loaded, loaded[:5]\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_generator_reproduces_committed_files(tmp_path):
    for path in write_suites(tmp_path):
        committed = EXPECTATIONS_DIR / path.name
        assert path.read_text() == committed.read_text(), f"{path.name} differs: regenerate?"


@pytest.mark.parametrize("name", SUITE_NAMES)
def test_gx_round_trips_the_file(name):
    raw = read_suite_dict(name)
    suite = load_suite(name)
    dumped = json.loads(json.dumps(suite.to_json_dict(), default=str))
    dumped.pop("id", None)
    for exp in dumped["expectations"]:
        exp.pop("id", None)
    assert dumped == raw
    assert {e.severity.value for e in suite.expectations} <= {"critical", "warning", "info"}


def test_suites_cover_the_contract():
    for name, columns in (
        ("documents", contract.DOCUMENT_COLUMNS),
        ("figures", contract.FIGURE_COLUMNS),
    ):
        raw = read_suite_dict(name)
        exists = {
            e["kwargs"]["column"]
            for e in raw["expectations"]
            if e["type"] == "expect_column_to_exist"
        }
        assert exists == set(columns)
        labels = [expectation_label(e["type"], e["kwargs"], e["meta"]) for e in raw["expectations"]]
        assert len(labels) == len(set(labels)), "expectation labels must be unique"
    figures = read_suite_dict("figures")
    category = next(
        e
        for e in figures["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "category"
    )
    assert category["kwargs"]["value_set"] == list(contract.CATEGORIES)
