"""The Dagster resources of the pipeline: its settings (folders, limits), the run's staging
database (dagster-duckdb's resource, able to stay open for a whole run) and the Great
Expectations runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from pipeline.settings import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_PLAUSIBILITY_CEILING,
    PROJECT_EXPECTATIONS_DIR,
)
from pipeline.warehouse.host import attached, close_when_idle
from pipeline.warehouse.layout import WarehouseLayout


class FiguresSettings(dg.ConfigurableResource):
    """Where the pipeline reads texts and publishes the warehouse, and its limits."""

    input_dir: str = Field(description="Folder of input texts (FIGURES_INPUT_DIR).")
    warehouse: str = Field(
        description="Published DuckDB file or connection string (FIGURES_WAREHOUSE)."
    )
    max_document_bytes: int = Field(
        default=DEFAULT_MAX_DOCUMENT_BYTES, description="Files larger than this are rejected."
    )
    batch_size: int = Field(
        default=500, description="Documents per batch for loading and extraction."
    )
    small_run_max_documents: int = Field(
        default=2_000,
        description="Runs that stage at most this many new documents are small: they keep the "
        "staging database open from step to step and have the Data Docs rendered while they "
        "check and publish (hundredths of a second each). Larger runs close the database after "
        "each step, which hands DuckDB's memory back, and render the Data Docs at the end, "
        "beside the exports rather than beside their largest validation.",
    )

    def is_small_run(self, new_documents: int) -> bool:
        return new_documents <= self.small_run_max_documents

    validation_batch_documents: int = Field(
        default=5_000,
        description="New documents validated per Great Expectations run (bounds memory).",
    )
    ingestion_workers: int = Field(
        default=0,
        description="Processes for reading new files; 0 uses every core once hundreds of files are new.",
    )
    extraction_workers: int = Field(
        default=0, description="Processes for extraction; 0 uses every core for large inputs."
    )

    @property
    def layout(self) -> WarehouseLayout:
        return WarehouseLayout(self.warehouse)

    @property
    def reading_workers(self) -> int:
        return self.ingestion_workers or (os.cpu_count() or 1)

    def workers_for(self, documents: int) -> int:
        """Processes worth starting for this many documents (small inputs stay in-process)."""
        if documents < 4 * self.batch_size:
            return 1
        return self.extraction_workers or (os.cpu_count() or 1)


class StagingDuckDBResource(DuckDBResource):
    """dagster-duckdb's resource on the run's staging database, which the steps of one run
    can share open.

    Every step opens its own connection. Opening the file as a DuckDB instance and closing it
    again (a checkpoint) costs ~40 ms on a small warehouse, a large part of a small run's
    cost. While `hold_open` holds it, the file stays attached to the process's host instance
    (`pipeline.warehouse.host`): each step's connection is a new connection to it, for well
    under a millisecond, and the first one costs ~2 ms instead of ~30. That spans the run
    with the in-process executor; with multiprocess or Dask each step has its own copy of
    the resource, and the hold ends with its step.

    An open database also keeps DuckDB's buffers and the rows not yet checkpointed in
    memory, so only small runs keep the hold (`FiguresSettings.small_run_max_documents`):
    with 100,000 new documents, holding it raised the run's peak from 1.7 to 2.1 GB. A
    `connection_config` applies to an instance of its own, so with one set every connection
    is opened as dagster-duckdb opens it."""

    _held: ExitStack | None = PrivateAttr(default=None)

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._held is None or self.connection_config:
            with super().get_connection() as conn:
                yield conn
        else:
            with attached(self.database) as conn:
                yield conn

    def hold_open(self) -> None:
        """Keep the staging database open until `release` or the end of the run. Call it only
        once the staging file is in place (`copy_published`)."""
        if self._held is None:
            held = ExitStack()
            if self.connection_config:
                held.enter_context(super().get_connection())
            else:
                held.enter_context(attached(self.database))
            self._held = held

    def release(self, *, hand_back_memory: bool = False) -> None:
        """Let go of the hold. The file is closed (what was written checkpointed) once the
        last step's connection on it is closed too, before it is renamed or removed.

        `hand_back_memory` (a large run): then also close the host instance, so that the
        memory DuckDB kept for it does not add up with the later steps' peaks."""
        if self._held is not None:
            held, self._held = self._held, None
            held.close()
            if hand_back_memory and not self.connection_config:
                close_when_idle()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self.release()


class GreatExpectationsResource(dg.ConfigurableResource):
    """Runs the Great Expectations 1.x suites kept as files in `expectations/` on DataFrames.

    GX has no DuckDB data source, so tables are read into pandas first. GX runs in the
    validation worker `figures run` starts ahead of need (`pipeline/validation/worker.py`);
    without one it is imported here on the first validation, so definitions load fast."""

    expectations_dir: str = Field(
        default=str(PROJECT_EXPECTATIONS_DIR),
        description="Folder of GX suite JSON files, one per table (FIGURES_EXPECTATIONS_DIR).",
    )
    plausibility_ceiling: int = Field(
        default=DEFAULT_PLAUSIBILITY_CEILING,
        description="People figures above this are flagged by a warning rule.",
    )

    def validate(
        self,
        table: str,
        frame: pd.DataFrame,
        *,
        gx_root: Path,
        run_id: str,
        documents_text: pd.DataFrame | None = None,
        then_prepare_data_docs: Path | None = None,
    ):
        """Validate `frame` with the suite of `table` in the file context at `gx_root`: in the
        validation worker `figures run` started, else in this process.

        `then_prepare_data_docs` (for a run's last validation): the worker renders the Data
        Docs for that folder once the result is stored, while the run goes on, and
        `build_data_docs` then only swaps them in. Without a worker it does nothing."""
        from pipeline.validation.worker import PREPARE_DOCS, in_worker_or_here

        return in_worker_or_here(
            "validate",
            **self._arguments(table, frame, gx_root, run_id, documents_text),
            **({PREPARE_DOCS: str(then_prepare_data_docs)} if then_prepare_data_docs else {}),
        )

    def _arguments(
        self,
        table: str,
        frame: pd.DataFrame,
        gx_root: Path,
        run_id: str,
        documents_text: pd.DataFrame | None,
    ) -> dict:
        """The arguments of `validate_table` in the worker (or here) for one validation."""
        return {
            "gx_root": gx_root,
            "table": table,
            "frame": frame,
            "documents_text": documents_text,
            "run_id": run_id,
            "plausibility_ceiling": self.plausibility_ceiling,
            "expectations_dir": Path(self.expectations_dir),
        }

    def validate_ahead(
        self,
        table: str,
        frame: pd.DataFrame,
        *,
        gx_root: Path,
        run_id: str,
        documents_text: pd.DataFrame | None = None,
    ):
        """`validate` ahead of need, in the validation worker only: the result is not stored
        (for Data Docs) unless `keep_validated_ahead` is the worker's next request. None when
        no worker is running (nothing is validated here)."""
        from pipeline.validation.worker import HOLD, WorkerFailed, running_worker

        worker = running_worker()
        if worker is None:
            return None
        try:
            return worker.validate(
                **self._arguments(table, frame, gx_root, run_id, documents_text), **{HOLD: True}
            )
        except WorkerFailed:
            return None

    def keep_validated_ahead(
        self, *, gx_root: Path, then_prepare_data_docs: Path | None = None
    ) -> bool:
        """Store the result `validate_ahead` returned last, as `validate` would have (then
        prepare the Data Docs, see `validate`); False when the worker holds none (it was
        dropped by a later request, or the worker is gone)."""
        from pipeline.validation.worker import WorkerFailed, running_worker

        worker = running_worker()
        if worker is None:
            return False
        try:
            return worker.store_held(gx_root=gx_root, prepare_data_docs=then_prepare_data_docs)
        except WorkerFailed:
            return False

    def build_data_docs(self, *, gx_root: Path, target_dir: Path) -> Path:
        """Build the Data Docs site of the context at `gx_root` into `target_dir`."""
        from pipeline.validation.worker import in_worker_or_here

        return in_worker_or_here("build_data_docs", gx_root=gx_root, target_dir=target_dir)
