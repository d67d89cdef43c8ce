"""The Dagster definitions load, and the schedule and the sensor evaluate."""

from __future__ import annotations

import dagster as dg
from conftest import copy_seeds

from pipeline.definitions import JOB_NAME, build_definitions, defs
from pipeline.resources import FiguresSettings


def test_module_definitions_load():
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == {
        "staged_documents",
        "validated_documents",
        "staged_figures",
        "validated_figures",
        "published_warehouse",
        "data_docs",
        "warehouse_exports",
    }
    checks = {key.name for key in graph.asset_check_keys}
    assert checks == {
        "documents_error_rules",
        "documents_warning_rules",
        "figures_error_rules",
        "figures_warning_rules",
    }
    assert defs.resolve_job_def(JOB_NAME)


def test_every_asset_has_a_description_and_group():
    for spec in defs.resolve_all_asset_specs():
        assert spec.description, spec.key
        assert spec.group_name in {"staging", "validation", "published"}


def test_the_daily_schedule_evaluates():
    schedule = defs.resolve_schedule_def("daily_figures")
    assert schedule.cron_schedule == "0 5 * * *"
    with dg.build_schedule_context() as context:
        run_requests = schedule.evaluate_tick(context).run_requests
    assert len(run_requests) == 1


def test_the_sensor_starts_a_run_when_files_change(tmp_path):
    input_dir = copy_seeds(tmp_path / "input")
    definitions = build_definitions(input_dir, str(tmp_path / "wh.duckdb"))
    sensor = definitions.resolve_sensor_def("input_folder_sensor")
    resources = {
        "settings": FiguresSettings(input_dir=str(input_dir), warehouse=str(tmp_path / "wh.duckdb"))
    }
    with dg.instance_for_test() as instance:
        first = sensor.evaluate_tick(
            dg.build_sensor_context(instance=instance, resources=resources)
        )
        assert len(first.run_requests) == 1
        unchanged = sensor.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor, resources=resources)
        )
        assert not unchanged.run_requests and unchanged.skip_message
        (input_dir / "new.txt").write_text("About 100 people fled.")
        changed = sensor.evaluate_tick(
            dg.build_sensor_context(instance=instance, cursor=first.cursor, resources=resources)
        )
        assert len(changed.run_requests) == 1
        assert changed.run_requests[0].run_key != first.run_requests[0].run_key
