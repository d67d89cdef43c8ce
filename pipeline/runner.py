"""Running the whole pipeline in-process (what `figures run` does), one run per warehouse at a
time, and describing the outcome: steps that failed, checks that passed or failed."""

from __future__ import annotations

import atexit
import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.validation.worker import start_worker, warm_up_worker
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


class PipelineSession:
    """The pipeline loaded once for one input folder and warehouse, run as often as needed.

    Loading is most of a small run's cost: Dagster and pandas imports, the definitions, and
    GX imported in the validation worker. `figures run` makes one session and runs it once;
    `figures watch` keeps one and runs it whenever the input folder changes, so an
    incremental run costs only its own work."""

    def __init__(
        self,
        input_dir: str | Path,
        warehouse: str,
        *,
        expectations_dir: str | Path | None = None,
    ) -> None:
        self.input_dir = Path(input_dir)
        self.warehouse = warehouse
        self.layout = WarehouseLayout(warehouse)
        self._expectations_dir = Path(expectations_dir) if expectations_dir else None
        self._job = None
        self._instance = None
        self._last_run_id: str | None = None

    def _load(self):
        # Before Dagster loads: GX imports on the other core meanwhile (see the worker module).
        # Also on later runs, in case the worker died: it is restarted, not waited for.
        start_worker(self.layout.gx_root, self._expectations_dir)
        if self._job is None:
            from pipeline.definitions import JOB_NAME, build_definitions

            definitions = build_definitions(
                self.input_dir, self.warehouse, expectations_dir=self._expectations_dir
            )
            self._job = definitions.resolve_job_def(JOB_NAME)
            logging.getLogger("dagster").setLevel(logging.WARNING)
            # Dagster, pandas and the definitions stay loaded for the session's life: left
            # out of garbage collection, a full collection during a run scans only what the
            # run makes, not the whole loaded heap (each took ~0.1 s).
            gc.freeze()
            # For a session never closed: a normal teardown (registered again, it would pile up
            # in a process that makes many sessions, and unregistering is idempotent).
            atexit.unregister(gc.unfreeze)
            atexit.register(gc.unfreeze)
        return self._job

    def run(self, *, lock_timeout: float = 0) -> RunOutcome:
        """Materialize every asset and check, in this process.

        Raises WarehouseBusy when another run holds the warehouse's run lock longer than
        `lock_timeout` seconds (a negative timeout waits as long as it takes)."""
        self.layout.run_lock.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.layout.run_lock))
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout as error:
            raise WarehouseBusy(
                f"another run is writing {self.warehouse} (lock {self.layout.run_lock})"
            ) from error
        try:
            job = self._load()
            if self._instance is None:
                from pipeline.instance import ephemeral_instance

                self._instance = ephemeral_instance()
            elif self._last_run_id is not None:
                # The in-memory instance is kept (it takes 0.1 s to make); old runs' events
                # are not, so a long-lived session does not grow.
                self._instance.delete_run(self._last_run_id)
            result = job.execute_in_process(
                instance=self._instance,
                raise_on_error=False,
                run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            )
        finally:
            lock.release()
        self._last_run_id = result.run_id
        return _outcome_of(result)

    def warm_up(self) -> None:
        """Set up now what a run otherwise sets up the first time it has new documents: the
        place gazetteer (~0.05 s from its cache) and, in the GX worker, each suite's first
        validation (~0.2 s; a synthetic frame, nothing stored). A long-lived session calls
        this while it waits, so that the first change it sees costs no more than later ones."""
        from pipeline.extraction.gazetteer import get_index

        get_index()
        warm_up_worker(self.layout.gx_root)

    def close(self) -> None:
        """Let go of Dagster's in-memory instance (the GX worker stops with the process), and
        give the loaded heap back to garbage collection."""
        if self._instance is not None:
            self._instance.dispose()
            self._instance = None
        if self._job is not None:
            self._job = None
            gc.unfreeze()

    def __enter__(self) -> PipelineSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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
    with PipelineSession(input_dir, warehouse, expectations_dir=expectations_dir) as session:
        return session.run(lock_timeout=lock_timeout)


def _outcome_of(result) -> RunOutcome:
    """What a person or a caller needs from Dagster's execution result."""
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
