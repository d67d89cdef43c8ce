"""The GX speedups change no outcome: metric ids are GX's own, a memoised validation stores
exactly what GX's `ValidationDefinition.run` stores, memos last one validation only, and an
edited suite file is registered again."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import PROJECT
from test_validation_rules import TODAY, _documents, _figures

from pipeline.validation import open_context, speedups, validate_table
from pipeline.validation.context import import_gx, validation_definition
from pipeline.validation.helpers import ROW_COLUMN, with_helpers
from pipeline.validation.suites import EXPECTATIONS_DIR, read_suite_dict, suite_columns
from pipeline.validation.validate import _run_suite, _store

PARAMETERS = {"plausibility_ceiling": 1_000_000_000, "today": TODAY.isoformat(), "run_id": "r"}


@pytest.fixture(scope="module")
def gx():
    return import_gx()


def _subset(table: str):
    frame = _figures() if table == "figures" else _documents()
    checked = with_helpers(table, frame, documents_text=_documents(), today=TODAY)
    wanted = [c for c in suite_columns(read_suite_dict(table)) if c in checked.columns]
    return checked[list(dict.fromkeys([*wanted, ROW_COLUMN]))].set_index(ROW_COLUMN)


def test_the_pinned_gx_is_patched(gx):
    assert gx.__version__.startswith(speedups.SUPPORTED_GX), "new GX: re-read the patched code"
    assert speedups.install() == sorted(
        [
            "ExpectationConfiguration.to_domain_obj",
            "Expectation.configuration",
            "IDDict.to_id",
            "PandasExecutionEngine._apply_row_condition_filter",
            "PandasExecutionEngine.get_domain_records",
            "Validator._generate_metric_dependency_subgraphs_for_each_expectation_configuration",
        ]
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"column": "value", "batch_id": "b", "row_condition": None},
        {"column": "kind", "value_set": ["count", "age"], "mostly": 1.0, "batch_id": "b"},
        {"row_condition": {"column": {"name": "kind"}, "operator": "==", "parameter": "x"}, "t": 1},
        {"a": [1, 2.5, True, None, {"b": "c"}], "z": -0.0},
        {"a": float("nan"), "b": 1},  # GX writes NaN as null
        {"a": np.int64(3), "b": (1, 2)},  # numpy and tuples take GX's own path
        {"a": {1: "x"}, "b": 2},  # non-string keys become strings
        {"a": dt.date(2026, 1, 1), "b": 2},
        {"only": "one"},
        {},
    ],
)
def test_metric_ids_are_the_ones_gx_computes(gx, kwargs):
    from great_expectations.core.id_dict import IDDict

    original = speedups._ORIGINALS["IDDict.to_id"]
    value = IDDict(kwargs)
    assert value.to_id() == original(value)
    if len(kwargs) > 1:
        keys = list(kwargs)[:1]
        assert value.to_id(id_keys=keys) == original(value, id_keys=keys)
        assert value.to_id(id_ignore_keys=keys) == original(value, id_ignore_keys=keys)


START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _run(vd, rows, name: str):
    from great_expectations.core.run_identifier import RunIdentifier

    return _run_suite(vd, rows, PARAMETERS, RunIdentifier(run_name=name, run_time=START))


def _stored_as_gx_stores(context, vd, subset, ours, key) -> bool:
    """Store `ours` (run "ours") and what GX's own `ValidationDefinition.run` stores for the
    same rows, outside any memo; whether the two stored results are the same."""
    from great_expectations.core.run_identifier import RunIdentifier

    _store(context, key, ours)
    vd.run(
        batch_parameters={"dataframe": subset},
        expectation_parameters=PARAMETERS,
        result_format={"result_format": "BASIC", "partial_unexpected_count": 20},
        run_id=RunIdentifier(run_name="theirs", run_time=START),
    )
    store = context.validation_results_store
    stored = {k.run_id.run_name: store.get(k).to_json_dict() for k in store.list_keys()}
    for result in stored.values():
        result["meta"]["run_id"]["run_name"] = "x"
        result["meta"]["batch_markers"].pop("ge_load_time")
    return stored["ours"] == stored["theirs"]


@pytest.mark.parametrize("table", ["figures", "documents"])
def test_a_memoised_validation_stores_what_gx_stores(gx, tmp_path, table):
    context = open_context(tmp_path / ".gx")
    vd = validation_definition(context, table)
    subset = _subset(table)
    ours, key = _run(vd, subset, "ours")
    assert key.run_id.run_name == "ours" and not ours.success  # the frames hold bad rows
    assert _stored_as_gx_stores(context, vd, subset, ours, key)


@pytest.mark.parametrize("table", ["figures", "documents"])
def test_a_validation_on_kept_graphs_stores_what_gx_stores(gx, tmp_path, monkeypatch, table):
    context = open_context(tmp_path / ".gx")
    vd = validation_definition(context, table)
    subset = _subset(table)
    keys = []
    graph_key = speedups._graph_key
    monkeypatch.setattr(
        speedups, "_graph_key", lambda *args: keys.append(graph_key(*args)) or keys[-1]
    )
    speedups._GRAPHS.clear()
    _run(vd, subset.iloc[: len(subset) // 2], "first")
    ours, key = _run(vd, subset, "ours")
    assert keys[0] == keys[1] and keys[0] in speedups._GRAPHS  # the second used the kept graphs
    kept_graphs, _ = speedups._GRAPHS[keys[0]]
    assert all(graph.graph._execution_engine is None for graph in kept_graphs)  # no batch kept
    assert not ours.success and _stored_as_gx_stores(context, vd, subset, ours, key)


def test_graphs_are_kept_for_a_few_suites_only(gx, monkeypatch):
    monkeypatch.setattr(speedups, "GRAPHS_KEPT", 1)
    for table in "documents", "figures":
        outcome = validate_table(
            table,
            _figures() if table == "figures" else _documents(),
            documents_text=_documents(),
            run_id="r",
            today=TODAY,
        )
        assert outcome.table_error is None
    assert len(speedups._GRAPHS) == 1


def test_memos_last_one_validation(gx):
    from great_expectations.expectations import ExpectColumnValuesToBeInSet

    expectation = ExpectColumnValuesToBeInSet(column="kind", value_set=["a"])
    with speedups.memoised():
        first = expectation.configuration
        assert expectation.configuration is first
    assert expectation.configuration is not first
    expectation.value_set = ["a", "b"]
    with speedups.memoised():
        assert expectation.configuration.kwargs["value_set"] == ["a", "b"]


def test_only_small_filtered_frames_are_kept(gx, monkeypatch):
    from great_expectations.execution_engine import PandasExecutionEngine

    frame = _subset("figures")
    filtered = []

    def counting_filter(self, data, row_condition, domain_kwargs):
        filtered.append(row_condition)
        return data.query(row_condition)

    memoised_filter = speedups._apply_row_condition_filter(counting_filter)
    engine = PandasExecutionEngine()
    for limit, filters in ((10_000, 1), (0, 3)):
        monkeypatch.setattr(speedups, "KEPT_RECORDS_MAX_ROWS", limit)
        filtered.clear()
        with speedups.memoised():
            frames = [memoised_filter(engine, frame, 'kind == "count"', {}) for _ in range(3)]
        assert len(filtered) == filters
        assert all(f.equals(frames[0]) for f in frames) and 0 < len(frames[0]) < len(frame)
    filtered.clear()
    memoised_filter(engine, frame, 'kind == "count"', {})
    memoised_filter(engine, frame, 'kind == "count"', {})
    assert len(filtered) == 2  # outside a validation nothing is kept


def test_a_suite_file_edited_in_place_applies_to_the_next_validation(tmp_path):
    suites = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, suites)
    context = open_context(tmp_path / ".gx")

    def rejected() -> set[str]:
        outcome = validate_table(
            "figures",
            _figures(),
            documents_text=_documents(),
            run_id="r",
            today=TODAY,
            context=context,
            expectations_dir=suites,
        )
        return set(outcome.rejected["figure_id"])

    assert "badcat" in rejected()
    path = suites / "figures.json"
    suite = json.loads(path.read_text())
    for expectation in suite["expectations"]:
        if (
            expectation["kwargs"].get("column") == "category"
            and "value_set" in expectation["kwargs"]
        ):
            expectation["kwargs"]["value_set"].append("aliens")
    path.write_text(json.dumps(suite))
    assert "badcat" not in rejected()


def test_the_switch_leaves_gx_unpatched():
    code = (
        "from pipeline.validation.context import import_gx\n"
        "from pipeline.validation import speedups\n"
        "import_gx()\n"
        "from great_expectations.core.id_dict import IDDict\n"
        "assert speedups.install() == [] and IDDict.to_id.__module__.startswith('great_exp')\n"
    )
    env = {**os.environ, speedups.SWITCH_ENV: "0"}
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, check=True)
