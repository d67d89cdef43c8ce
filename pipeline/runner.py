"""Running the whole pipeline in-process (what `figures run` does), one run per warehouse at a
time, and describing the outcome: steps that failed, checks that passed or failed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.validation.worker import start_worker
from pipeline.warehouse.layout import WarehouseLayout


class WarehouseBusy(RuntimeError):
    """Another run is writing the same warehouse."""


@dataclass
class CheckOutcome:
    name: str
    asset: str
    passed: bool
    severity: str
    description: str


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    failed_steps: list[tuple[str, str]] = field(default_factory=list)  # (step, error message)
    checks: list[CheckOutcome] = field(default_factory=list)
    materializations: dict[str, dict] = field(default_factory=dict)  # asset -> metadata values

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [check for check in self.checks if not check.passed]

    def failure_message(self) -> str:
        """Which step or blocking check stopped the run, in a sentence a person can act on."""
        lines = []
        for check in self.failed_checks:
            if check.severity == "ERROR":
                lines.append(
                    f"blocking check {check.name} on {check.asset} failed: {check.description}"
                )
        for step, message in self.failed_steps:
            if not any(step in line for line in lines):
                lines.append(f"step {step} failed: {message}")
        return "; ".join(lines) or "the run failed"


def run_pipeline(
    input_dir: str | Path,
    warehouse: str,
    *,
    expectations_dir: str | Path | None = None,
    lock_timeout: float = 0,
) -> RunOutcome:
    """Materialize every asset and check over `input_dir` into `warehouse`, in this process.

    Raises WarehouseBusy when another run holds the warehouse's run lock longer than
    `lock_timeout` seconds."""
    layout = WarehouseLayout(warehouse)
    layout.run_lock.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(layout.run_lock))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout as error:
        raise WarehouseBusy(
            f"another run is writing {warehouse} (lock {layout.run_lock})"
        ) from error
    try:
        # Before Dagster loads: GX imports on the other core meanwhile (see the worker module).
        start_worker(layout.gx_root, Path(expectations_dir) if expectations_dir else None)
        import dagster as dg

        from pipeline.definitions import JOB_NAME, build_definitions

        definitions = build_definitions(input_dir, warehouse, expectations_dir=expectations_dir)
        job = definitions.resolve_job_def(JOB_NAME)
        logging.getLogger("dagster").setLevel(logging.WARNING)
        with dg.DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            )
    finally:
        lock.release()
    outcome = RunOutcome(success=result.success, run_id=result.run_id)
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:
            error = error.cause  # the user code's own exception, not Dagster's wrapper
        message = error.message.strip().splitlines()[-1] if error else "unknown error"
        outcome.failed_steps.append((event.step_key, message))
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        outcome.materializations[materialization.asset_key.to_user_string()] = {
            key: value.value for key, value in materialization.metadata.items()
        }
    for evaluation in result.get_asset_check_evaluations():
        outcome.checks.append(
            CheckOutcome(
                name=evaluation.check_name,
                asset=evaluation.asset_key.to_user_string(),
                passed=evaluation.passed,
                severity=evaluation.severity.value,
                description=evaluation.description or "",
            )
        )
    return outcome
