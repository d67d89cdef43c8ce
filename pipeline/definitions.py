"""The one Dagster `Definitions` of the pipeline: assets and checks, resources, the job, the
daily schedule and the input-folder sensor. `dagster dev -m pipeline.definitions` loads it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets import ALL_ASSETS
from pipeline.distributed import executor_def, executor_name_from_env
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource
from pipeline.sensors import build_input_folder_sensor
from pipeline.settings import expectations_dir_from_env, input_dir_from_env, warehouse_from_env
from pipeline.warehouse.layout import WarehouseLayout

JOB_NAME = "figures_job"

figures_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Read the input folder, extract and validate figures, publish the warehouse.",
    tags={"figures/writer": "warehouse"},
)

daily_schedule = dg.ScheduleDefinition(
    name="daily_figures",
    job=figures_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Runs the whole pipeline over the input folder every day at 05:00 UTC.",
)


def build_definitions(
    input_dir: str | Path | None = None,
    warehouse: str | None = None,
    *,
    expectations_dir: str | Path | None = None,
    executor: str | None = None,
) -> dg.Definitions:
    """Definitions for one input folder and warehouse (defaults: FIGURES_INPUT_DIR and
    FIGURES_WAREHOUSE, else `seeds/` and `warehouse/displacement.duckdb`) and one folder of
    suites (FIGURES_EXPECTATIONS_DIR, else the project's `expectations/`).

    `executor` ("in_process", "multiprocess" or "dask"; default FIGURES_EXECUTOR, else Dagster's
    default) runs the job's steps; see `pipeline.distributed` and docs/scale.md."""
    input_dir = str(input_dir or input_dir_from_env())
    warehouse = warehouse or warehouse_from_env()
    return dg.Definitions(
        executor=executor_def(executor or executor_name_from_env()),
        assets=ALL_ASSETS,
        jobs=[figures_job],
        schedules=[daily_schedule],
        sensors=[build_input_folder_sensor(figures_job)],
        resources={
            "settings": FiguresSettings(input_dir=input_dir, warehouse=warehouse),
            "duckdb": StagingDuckDBResource(database=str(WarehouseLayout(warehouse).staging)),
            "gx": GreatExpectationsResource(
                expectations_dir=str(expectations_dir or expectations_dir_from_env())
            ),
        },
    )


defs = build_definitions()
