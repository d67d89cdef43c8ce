"""Running the pipeline's job under a multi-process or distributed Dagster executor.

`executor_def(name)` maps a name ("in_process", "multiprocess", "dask") to a Dagster executor;
`pipeline.definitions` uses it for `build_definitions(executor=...)` and `$FIGURES_EXECUTOR`.
Executors other than in-process run every step in another process (a Dask worker, possibly on
another machine), which rebuilds the job by importing this module and calling `figures_job`;
so the input folder, warehouse and suites travel in the run config (`run_config_for`), never in
Python objects. Steps share nothing but the staging DuckDB file, which only one step opens at a
time (the job is a chain; two checks of one asset may start together and then wait on the file
lock through DuckDBResource's retries). "dask" is dagster-dask's executor with Dagster's own
step scheduling (`dependency_aware_dask_executor`), so a failed step or blocking check stops
the steps after it."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg

EXECUTOR_ENV = "FIGURES_EXECUTOR"
EXECUTOR_NAMES = ("in_process", "multiprocess", "dask")


def executor_name_from_env() -> str | None:
    """`$FIGURES_EXECUTOR` if set (one of EXECUTOR_NAMES), else None (Dagster's default)."""
    name = os.environ.get(EXECUTOR_ENV) or None
    if name is not None and name not in EXECUTOR_NAMES:
        raise ValueError(f"{EXECUTOR_ENV}={name!r}: expected one of {', '.join(EXECUTOR_NAMES)}")
    return name


def executor_def(name: str | None) -> dg.ExecutorDefinition | None:
    """The Dagster executor called `name`; None keeps Dagster's default (multiprocess for runs
    launched from the UI or a schedule, in-process for `figures run`)."""
    if name is None:
        return None
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "dask":
        return dependency_aware_dask_executor()
    raise ValueError(f"unknown executor {name!r}: expected one of {', '.join(EXECUTOR_NAMES)}")


# dagster-dask's cluster types and the class each one starts (imported only when used).
_DASK_CLUSTERS = {
    "local": "dask.distributed:LocalCluster",
    "ssh": "dask.distributed:SSHCluster",
    "yarn": "dask_yarn:YarnCluster",
    "kube": "dask_kubernetes:KubeCluster",
    **{name: f"dask_jobqueue:{name.upper()}Cluster" for name in ("pbs", "sge", "lsf", "oar")},
    "moab": "dask_jobqueue:MoabCluster",
    "slurm": "dask_jobqueue:SLURMCluster",
}


@functools.cache
def dependency_aware_dask_executor() -> dg.ExecutorDefinition:
    """dagster-dask's executor (same name and config), scheduled like the multiprocess one.

    dagster-dask 0.29 submits every step at once, ordered only by Dask futures, and a future
    whose step failed still counts as done: so steps downstream of a failure, including
    `published_warehouse` after a failed *blocking* check, run anyway. This executor submits a
    step only when Dagster's own plan (`ActiveExecution`) says its upstream steps succeeded, and
    records the others as skipped, exactly as the in-process and multiprocess executors do."""
    from dagster._core.execution.plan.active import ActiveExecution
    from dagster._core.executor.base import Executor
    from dagster._core.executor.init import InitExecutorContext
    from dagster._utils.error import serializable_error_info_from_exc_info
    from dagster_dask.executor import (
        DaskExecutor,
        dask_executor,
        get_dask_resource_requirements,
        query_on_dask_worker,
    )

    class DependencyAwareDaskExecutor(DaskExecutor):
        def _cluster(self, job_name: str):
            if self.cluster_type == "existing":
                return self.cluster_configuration["address"]
            if self.cluster_type not in _DASK_CLUSTERS:
                raise ValueError(f"unknown Dask cluster type {self.cluster_type!r}")
            module, _, name = _DASK_CLUSTERS[self.cluster_type].partition(":")
            return getattr(importlib.import_module(module), name)(**self.build_dict(job_name))

        def execute(self, plan_context, execution_plan) -> Iterator[dg.DagsterEvent]:
            import dask.distributed

            if not plan_context.instance.is_persistent:
                raise dg.DagsterInvariantViolationError(
                    "the Dask executor needs a persistent DagsterInstance (DAGSTER_HOME)"
                )
            run = plan_context.dagster_run
            with (
                dask.distributed.Client(self._cluster(plan_context.job_name)) as client,
                ActiveExecution(execution_plan, retry_mode=self.retries) as active,
            ):
                running: dict[Any, str] = {}
                idle = (
                    0  # passes with nothing to run: the plan is stuck, let ActiveExecution say why
                )
                while (not active.is_complete or running) and idle < 3:
                    steps = active.get_steps_to_execute()
                    idle = 0 if steps or running else idle + 1
                    for step in steps:
                        future = client.submit(
                            query_on_dask_worker,
                            [],
                            plan_context.reconstructable_job,
                            run,
                            plan_context.run_config,
                            [step.key],
                            plan_context.instance.get_ref(),
                            active.get_known_state(),
                            key=f"{plan_context.job_name}.{run.run_id}.{step.key}",
                            resources=get_dask_resource_requirements(step.tags),
                            pure=False,
                        )
                        running[future] = step.key
                    if running:
                        done, _ = dask.distributed.wait(
                            list(running), return_when="FIRST_COMPLETED"
                        )
                        for future in done:
                            key = running.pop(future)
                            try:
                                events = future.result()
                            except Exception:
                                step_context = plan_context.for_step(active.get_step_by_key(key))
                                events = [
                                    self.log_failure_or_retry_event_after_error(
                                        step_context,
                                        serializable_error_info_from_exc_info(sys.exc_info()),
                                        active.get_known_state(),
                                    )
                                ]
                            for event in events:
                                yield event
                                active.handle_event(event)
                            active.verify_complete(plan_context, key)
                    yield from active.plan_events_iterator(plan_context)

    @dg.executor(
        name="dask",
        config_schema=dask_executor.config_schema,
        requirements=dg.multiple_process_executor_requirements(),
    )
    def figures_dask_executor(init_context: InitExecutorContext) -> Executor:
        """Runs each step on a Dask cluster, once its upstream steps have succeeded."""
        ((cluster_type, cluster_configuration),) = init_context.executor_config["cluster"].items()
        return DependencyAwareDaskExecutor(cluster_type, cluster_configuration)

    return figures_dask_executor


def figures_job(executor: str | None = None) -> dg.JobDefinition:
    """The pipeline's job with the named executor (default `$FIGURES_EXECUTOR`). Module-level so
    that every worker process can rebuild it (see `reconstructable_figures_job`)."""
    from pipeline.definitions import JOB_NAME, build_definitions

    return build_definitions(executor=executor or executor_name_from_env()).resolve_job_def(
        JOB_NAME
    )


def reconstructable_figures_job(executor: str) -> dg.ReconstructableJob:
    """The job as a recipe other processes can rebuild: `pipeline.distributed.figures_job`
    called with the same executor name (which must match in the orchestrator and the workers)."""
    return dg.build_reconstructable_job(
        "pipeline.distributed", "figures_job", reconstructable_kwargs={"executor": executor}
    )


def run_config_for(
    input_dir: str | Path,
    warehouse: str,
    *,
    expectations_dir: str | Path | None = None,
    executor_config: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run config pointing every resource at one input folder and warehouse, so steps rebuilt
    in other processes (or machines) read and write the same places."""
    from pipeline.settings import expectations_dir_from_env
    from pipeline.warehouse.layout import WarehouseLayout

    layout = WarehouseLayout(warehouse)
    if layout.is_local_file:  # workers may start in another folder
        warehouse = str(Path(warehouse).resolve())
        layout = WarehouseLayout(warehouse)
    config: dict[str, Any] = {
        "resources": {
            "settings": {
                "config": {
                    "input_dir": str(Path(input_dir).resolve()),
                    "warehouse": warehouse,
                    # a step already runs in a worker process; Dask workers are daemonic and
                    # may not start extraction processes of their own
                    "extraction_workers": 1,
                    "ingestion_workers": 1,
                }
            },
            "duckdb": {"config": {"database": str(layout.staging)}},
            "gx": {
                "config": {
                    "expectations_dir": str(
                        Path(expectations_dir or expectations_dir_from_env()).resolve()
                    )
                }
            },
        },
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
    }
    if executor_config is not None:
        config["execution"] = {"config": dict(executor_config)}
    return config


def local_dask_config(n_workers: int = 2, *, dashboard: str | None = None) -> dict[str, Any]:
    """Executor config for a Dask cluster on this machine: one thread per worker process, and
    no dashboard unless an address is given (":8787"), so parallel runs never fight for a port."""
    local = {"n_workers": n_workers, "threads_per_worker": 1, "dashboard_address": dashboard}
    return {"cluster": {"local": local}}


def execute_distributed(
    input_dir: str | Path,
    warehouse: str,
    instance: dg.DagsterInstance,
    *,
    executor: str = "dask",
    executor_config: Mapping[str, Any] | None = None,
    expectations_dir: str | Path | None = None,
) -> dg.ExecuteJobResult:
    """Run the whole job under `executor` on a persistent `instance` (required by every
    out-of-process executor). For "dask" the default is a local two-worker cluster."""
    if executor == "dask" and executor_config is None:
        executor_config = local_dask_config()
    return dg.execute_job(
        reconstructable_figures_job(executor),
        instance=instance,
        run_config=run_config_for(
            input_dir,
            warehouse,
            expectations_dir=expectations_dir,
            executor_config=executor_config,
        ),
        raise_on_error=False,
    )
