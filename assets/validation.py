"""What the validation assets share: validating the rows a run added with the Great
Expectations suite of their table (in chunks of documents, so memory stays flat), quarantining
what fails an error rule, and the two asset checks each validated asset reports with its
materialization: the error rules (blocking) and the warning rules, with the unexpected counts
and a sample of the quarantined rows.

Great Expectations runs once per chunk, in the validated asset, and the checks report what it
found: they are evaluated by the step that validated (the outcome is in hand there), not by
steps of their own that would read it back from the staging database."""

import contextlib
import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import duckdb as duckdb_module
import pandas as pd

from assets.validation_ahead import (
    FIGURE_ORDER,
    drop_figures_validated_ahead,
    take_figures_validated_ahead,
    validate_figures_ahead,
)
from pipeline.figure_rows import extract_ahead, figure_rows_ahead
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource
from pipeline.warehouse.documents_store import new_accepted_documents
from pipeline.warehouse.previews import markdown_preview, markdown_records
from pipeline.warehouse.quarantine import (
    QUARANTINE_TABLES,
    ResultRow,
    failed_results,
    quarantine_rows,
    record_validation,
    result_records,
    summarize_results,
)
from pipeline.warehouse.transaction import transaction

if TYPE_CHECKING:
    from pipeline.validation.validate import TableValidation

# What each suite validates in the staging database: the rows of one chunk of new documents,
# whose ids are in {chunk}: `_new_documents` itself when they all fit in one chunk, else the
# registered frame `_chunk` (both names are ours, never read from input).
CHUNK_ROWS_SQL: dict[str, str] = {
    "documents": "SELECT d.* FROM documents d JOIN {chunk} USING (document_id)",
    "figures": f"SELECT f.* FROM figures f JOIN {{chunk}} USING (document_id) ORDER BY {FIGURE_ORDER}",
}
CHUNK_TEXTS_SQL = """
    SELECT d.document_id, d.text FROM documents d JOIN {chunk} USING (document_id)
    ORDER BY d.document_id
"""
FAILING_COLUMNS = ["expectation", "severity", "unexpected_count"]  # of failed results shown
QUARANTINE_SAMPLE_SQL: dict[str, str] = {
    "documents": "SELECT * EXCLUDE (text) FROM document_rejects WHERE run_id = ? ORDER BY source_path LIMIT 5",
    "figures": "SELECT * EXCLUDE (sentence) FROM figure_rejects WHERE run_id = ? ORDER BY figure_id LIMIT 5",
}


def _new_document_chunks(
    conn: duckdb_module.DuckDBPyConnection, size: int
) -> tuple[int, list[pd.DataFrame | None]]:
    """How many documents are new, and their ids chunk by chunk: None for a single chunk (the
    rows are then read by joining `_new_documents` itself, nothing to register)."""
    (new_documents,) = conn.execute("SELECT count(*) FROM _new_documents").fetchone()
    if new_documents <= size:
        return new_documents, [None] if new_documents else []
    ids = [
        row[0]
        for row in conn.execute(
            "SELECT document_id FROM _new_documents ORDER BY document_id"
        ).fetchall()
    ]
    chunks = [
        pd.DataFrame({"document_id": ids[start : start + size]}, dtype="string")
        for start in range(0, len(ids), size)
    ]
    return new_documents, chunks


def _read_chunk(
    conn: duckdb_module.DuckDBPyConnection, table: str, chunk: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The `table` rows of one chunk of new documents, and for figures the documents' texts."""
    source = "_new_documents" if chunk is None else "_chunk"
    if chunk is not None:
        conn.register("_chunk", chunk)
    try:
        frame = conn.execute(CHUNK_ROWS_SQL[table].format(chunk=source)).df()
        texts = (
            conn.execute(CHUNK_TEXTS_SQL.format(chunk=source)).df() if table == "figures" else None
        )
    finally:
        if chunk is not None:
            conn.unregister("_chunk")
    return frame, texts


def validation_check_specs(table: str, asset: str) -> list[dg.AssetCheckSpec]:
    """The checks the validated asset of `table` reports with its materialization (see
    `validate_and_quarantine`): the error rules, blocking (a failure stops the run before
    anything is published), and the warning rules (reported; the rows stay published)."""
    return [
        dg.AssetCheckSpec(
            error_rules_check(table),
            asset=asset,
            blocking=True,
            description=f"The `{table}` suite's error rules hold on every row to be published: "
            "the suite ran on every new row, and each row that failed an error rule was moved "
            "to quarantine. Blocking: a failure (such as a missing column) stops the run "
            "before anything is published.",
        ),
        dg.AssetCheckSpec(
            warning_rules_check(table),
            asset=asset,
            description=f"The `{table}` suite's warning rules (such as the plausibility ceiling "
            "on people figures): reported, the rows stay published.",
        ),
    ]


def error_rules_check(table: str) -> str:
    return f"{table}_error_rules"


def warning_rules_check(table: str) -> str:
    return f"{table}_warning_rules"


def _validate_meanwhile(
    validate: Callable[[], "TableValidation"], meanwhile: Callable[[], None]
) -> "TableValidation":
    """`validate()`, which mostly waits for the GX worker, on a thread, while `meanwhile()`
    does later work of the run on the core GX leaves idle."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate") as pool:
        pending = pool.submit(validate)
        meanwhile()
        return pending.result()


def _checkpoint(conn: duckdb_module.DuckDBPyConnection) -> None:
    """Write the rows staged so far into the staging file: a checkpoint publishing would
    otherwise wait for."""
    # Only an early start of work the publish step's checkpoint does in any case; it cannot
    # run while another connection writes (none does, outside a Dask/multiprocess run's
    # concurrent reader), and then it is left to that step.
    with contextlib.suppress(duckdb_module.TransactionException):
        conn.execute("CHECKPOINT")


def _validated_ahead_or(
    validate: Callable[[], "TableValidation"],
    gx: GreatExpectationsResource,
    run_id: str,
    frame: pd.DataFrame,
    texts: pd.DataFrame,
    *,
    gx_root: Path,
    then_prepare_data_docs: Path | None,
) -> "TableValidation":
    """The figures' validation: the one made ahead when it validated these very rows, kept
    for the Data Docs as this validation's own result would be, else `validate()` (also
    when the worker no longer holds the result made ahead)."""
    ahead = take_figures_validated_ahead(run_id, frame, texts)
    if ahead is not None and gx.keep_validated_ahead(
        gx_root=gx_root, then_prepare_data_docs=then_prepare_data_docs
    ):
        return ahead
    return validate()


def _extract_figures_ahead(
    conn: duckdb_module.DuckDBPyConnection, then_validate: Callable[[list[dict]], None] | None
) -> None:
    """Extract the figures of the new accepted documents for `staged_figures` to take
    (`pipeline.figure_rows.extract_ahead`), then hand their rows to `then_validate`."""
    documents = list(itertools.chain.from_iterable(new_accepted_documents(conn, 1_000)))
    try:
        extract_ahead(documents)
    except Exception:  # noqa: BLE001 - staged_figures extracts again and reports the error
        extract_ahead([])
        return
    if then_validate is not None:
        # Only ahead of need: if it cannot start, `validated_figures` validates as usual.
        with contextlib.suppress(Exception):
            then_validate(figure_rows_ahead())


def validate_and_quarantine(
    table: str,
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: StagingDuckDBResource,
    gx: GreatExpectationsResource,
    *,
    last_of_run: bool = False,
) -> dg.MaterializeResult:
    """Validate this run's new rows of `table` chunk by chunk, move the rows failing an error
    rule to quarantine, record one result per expectation for the run, and report both checks
    of `validation_check_specs`.

    While GX validates, this process does later work of the run on the other core:
    - `last_of_run` (no validation follows): its GX time, the longest, is when the rows
      staged so far are written into the staging file (a checkpoint the documents' shorter
      validation would wait for). In a small run (`FiguresSettings.is_small_run`), once its
      last chunk's result is stored, the GX worker renders the Data Docs while the run checks
      and publishes; a large run's are rendered at the end, since rendered here they would
      add the worker's memory to this step's, the run's peak;
    - the documents of a small run that `staged_figures` extracts in this process: the
      figures of the new accepted documents are extracted for it to take, if they pass, and
      (validated in one chunk) the GX worker validates them ahead, right after the documents
      (`assets.validation_ahead`): the figures' own validation takes that result when its
      rows are the ones validated ahead."""
    run_id = context.run.run_id
    validated = quarantined = 0
    table_error: str | None = None
    chunk_results: list[list[ResultRow]] = []
    with duckdb.get_connection() as conn:
        new_documents, chunks = _new_document_chunks(conn, settings.validation_batch_documents)
        small_run = settings.is_small_run(new_documents)
        prepare_docs = last_of_run and small_run
        # Rows extracted ahead are taken only by an extraction in this process.
        extract_ahead_here = (
            small_run and table == "documents" and settings.workers_for(new_documents) == 1
        )
        # ... and validated ahead only when the figures are validated in one chunk.
        validate_ahead = (
            partial(
                validate_figures_ahead,
                conn,
                texts_sql=CHUNK_TEXTS_SQL.format(chunk="_new_documents"),
                gx=gx,
                gx_root=settings.layout.gx_root,
                run_id=run_id,
            )
            if extract_ahead_here and chunks == [None]
            else None
        )
        if table == "documents":
            drop_figures_validated_ahead()  # one an earlier run left untaken
        for number, chunk in enumerate(chunks, start=1):
            frame, texts = _read_chunk(conn, table, chunk)
            if frame.empty:
                continue
            docs_dir = (
                settings.layout.data_docs_dir if prepare_docs and number == len(chunks) else None
            )
            validate = partial(
                gx.validate,
                table,
                frame,
                gx_root=settings.layout.gx_root,
                run_id=run_id,
                documents_text=texts,
                then_prepare_data_docs=docs_dir,
            )
            if table == "figures" and chunk is None:
                validate = partial(
                    _validated_ahead_or,
                    validate,
                    gx,
                    run_id,
                    frame,
                    texts,
                    gx_root=settings.layout.gx_root,
                    then_prepare_data_docs=docs_dir,
                )
            if last_of_run:
                outcome = _validate_meanwhile(validate, partial(_checkpoint, conn))
            elif extract_ahead_here:
                outcome = _validate_meanwhile(
                    validate, partial(_extract_figures_ahead, conn, validate_ahead)
                )
            else:
                outcome = validate()
            validated += len(frame)
            chunk_results.append(result_records(outcome.results))
            if outcome.table_error:
                table_error = outcome.table_error
                break
            with transaction(conn):
                quarantined += quarantine_rows(conn, table, outcome.rejected)
        results = summarize_results(chunk_results)
        with transaction(conn):
            record_validation(conn, results)
        errors = error_rules_result(
            table, conn, run_id, results, validated, quarantined, table_error
        )
    warnings = warning_rules_result(table, results)
    if table_error:
        context.log.error(f"{table}: the whole table failed validation: {table_error}")
    failed = failed_results(results)
    return dg.MaterializeResult(
        check_results=[errors, warnings],
        metadata={
            "rows_validated": validated,
            "rows_quarantined": quarantined,
            "expectations_evaluated": len(results),
            "expectations_failed": len(failed),
            "table_error": table_error or "",
            "failed_expectations": dg.MetadataValue.md(
                markdown_records(failed, FAILING_COLUMNS, max_rows=50)
            ),
        },
    )


def error_rules_result(
    table: str,
    conn: duckdb_module.DuckDBPyConnection,
    run_id: str,
    results: list[ResultRow],
    validated: int,
    quarantined: int,
    table_error: str | None,
) -> dg.AssetCheckResult:
    """Passed when the suite could run on every new row (no table-level failure) and no row
    that failed an error rule is left in the table to publish (looked up, not assumed); with
    the failing error rules of `results` and a sample of this run's quarantined rows."""
    quarantine_table, id_column = QUARANTINE_TABLES[table]
    sample = conn.execute(QUARANTINE_SAMPLE_SQL[table], [run_id]).df()
    (left_behind,) = conn.execute(
        f"""SELECT count(*) FROM "{table}" WHERE "{id_column}" IN
            (SELECT "{id_column}" FROM "{quarantine_table}" WHERE run_id = ?)""",
        [run_id],
    ).fetchone()
    if table_error:
        description = f"the suite could not run on the table: {table_error}"
    elif left_behind:
        description = f"{left_behind} rows that failed an error rule are still in {table}"
    else:
        description = f"{validated} new rows validated; {quarantined} failed an error rule and were quarantined"
    failing = failed_results(results, critical=True)
    return dg.AssetCheckResult(
        check_name=error_rules_check(table),
        passed=table_error is None and left_behind == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata={
            "rows_validated": validated,
            "rows_quarantined": quarantined,
            "unexpected_count": sum(row["unexpected_count"] for row in failing),
            "failing_expectations": dg.MetadataValue.md(
                markdown_records(failing, FAILING_COLUMNS, max_rows=50)
            ),
            "quarantine_sample": dg.MetadataValue.md(markdown_preview(sample, max_rows=5)),
        },
    )


def warning_rules_result(table: str, results: list[ResultRow]) -> dg.AssetCheckResult:
    """Failed (severity WARN) when a warning rule failed on this run's new rows, as `results`
    (what `record_validation` just recorded for the run and `table`) say."""
    failing = failed_results(results, critical=False)
    return dg.AssetCheckResult(
        check_name=warning_rules_check(table),
        passed=not failing,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(failing)} warning rules fail; their rows stay published",
        metadata={
            "unexpected_count": sum(row["unexpected_count"] for row in failing),
            "failing_expectations": dg.MetadataValue.md(
                markdown_records(failing, FAILING_COLUMNS, max_rows=50)
            ),
        },
    )
