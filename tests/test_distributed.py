"""The same job under dagster-dask on a local two-worker Dask cluster publishes exactly the
tables the in-process run publishes; and the executor is a configuration choice."""

from __future__ import annotations

import dagster as dg
import pytest
from conftest import read_table

from pipeline.definitions import JOB_NAME, build_definitions
from pipeline.distributed import (
    EXECUTOR_ENV,
    execute_distributed,
    executor_def,
    local_dask_config,
    run_config_for,
)
from pipeline.warehouse.schema import TABLE_ORDER, TABLES

# Columns that differ between any two runs by design: run ids and clock times.
RUN_SPECIFIC = {"run_id"} | {
    column for columns in TABLES.values() for column, kind in columns.items() if kind == "TIMESTAMP"
}
COMPARED = ("documents", "figures", "document_rejects", "figure_rejects")


def _table(warehouse, name):
    frame = read_table(warehouse, f'SELECT * FROM "{name}" ORDER BY {TABLE_ORDER[name]}')
    return frame.drop(columns=[c for c in frame.columns if c in RUN_SPECIFIC]).reset_index(
        drop=True
    )


def test_the_executor_is_a_configuration_choice(monkeypatch, tmp_path):
    assert executor_def(None) is None
    assert executor_def("in_process") is dg.in_process_executor
    assert executor_def("multiprocess") is dg.multiprocess_executor
    assert executor_def("dask").name == "dask"
    with pytest.raises(ValueError):
        executor_def("spark")
    job = build_definitions(tmp_path, str(tmp_path / "wh.duckdb"), executor="dask")
    assert job.resolve_job_def(JOB_NAME).executor_def.name == "dask"
    monkeypatch.setenv(EXECUTOR_ENV, "multiprocess")
    job = build_definitions(tmp_path, str(tmp_path / "wh.duckdb")).resolve_job_def(JOB_NAME)
    assert job.executor_def is dg.multiprocess_executor


def test_run_config_points_every_resource_at_the_same_warehouse(tmp_path):
    config = run_config_for(tmp_path / "in", str(tmp_path / "wh.duckdb"))["resources"]
    assert config["settings"]["config"]["warehouse"] == str(tmp_path / "wh.duckdb")
    assert config["duckdb"]["config"]["database"].endswith("/.staging/wh.duckdb")
    remote = run_config_for(tmp_path / "in", "md:figures")["resources"]
    assert remote["settings"]["config"]["warehouse"] == "md:figures"


def test_every_check_is_evaluated_in_the_step_of_its_asset():
    """Each validated asset reports its checks itself. A check that were a step of its own
    could, under an executor that runs two steps at once (multiprocess, Dask), still be
    reading the staging file when the publish step renames it. The error rules are blocking,
    so a failure stops the run before the publish step."""
    from assets import ALL_ASSETS

    job = build_definitions().resolve_job_def(JOB_NAME)
    assert {node.name for node in job.graph.nodes} == {asset.op.name for asset in ALL_ASSETS}
    specs = [spec for asset in ALL_ASSETS for spec in asset.check_specs]
    assert {spec.name for spec in specs if spec.blocking} == {
        "documents_error_rules",
        "figures_error_rules",
    }
    assert {spec.name for spec in specs if not spec.blocking} == {
        "documents_warning_rules",
        "figures_warning_rules",
    }


def test_dask_run_publishes_the_same_tables_as_in_process(seeded_run, tmp_path):
    _, input_dir, local = seeded_run
    distributed = tmp_path / "dask" / "figures.duckdb"
    with dg.instance_for_test() as instance:
        result = execute_distributed(
            input_dir, str(distributed), instance, executor_config=local_dask_config(2)
        )
        failures = [
            (event.step_key, event.step_failure_data.error.message.strip().splitlines()[-1])
            for event in result.all_events
            if event.is_step_failure
        ]
        assert result.success, failures
        steps = {event.step_key for event in result.all_events if event.is_step_success}
        assert {"staged_documents", "staged_figures", "published_warehouse"} <= steps

    for name in COMPARED:
        expected, actual = _table(local, name), _table(distributed, name)
        assert len(expected) == len(actual), name
        assert expected.equals(actual), name
    assert len(_table(distributed, "figures")) > 0


def test_a_failed_step_stops_every_step_after_it_under_dask(tmp_path):
    """Stock dagster-dask 0.29 would go on to run (and publish) after a failed step or a failed
    blocking check; our Dask executor skips what depends on a failure, as Dagster's own do."""
    with dg.instance_for_test() as instance:
        result = execute_distributed(
            tmp_path / "missing",
            str(tmp_path / "wh.duckdb"),
            instance,
            executor_config=local_dask_config(1),
        )
        started = [event.step_key for event in result.all_events if event.is_step_start]
    assert not result.success
    assert started == ["staged_documents"]
    assert not (tmp_path / "wh.duckdb").exists()
