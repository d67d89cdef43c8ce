"""What the validation assets and checks share: validating the rows a run added with the
Great Expectations suite of their table, quarantining what fails an error rule, and turning
results into check outcomes with the unexpected counts and a sample of failing rows."""

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from pipeline.resources import FiguresSettings, GreatExpectationsResource
from pipeline.warehouse.previews import markdown_preview
from pipeline.warehouse.quarantine import quarantine_rows, record_validation

# What each suite validates in the staging database: the rows this run added.
NEW_ROWS_SQL: dict[str, str] = {
    "documents": "SELECT d.* FROM documents d JOIN _new_documents USING (document_id)",
    "figures": "SELECT f.* FROM figures f JOIN _new_documents USING (document_id)",
}
NEW_TEXTS_SQL = (
    "SELECT d.document_id, d.text FROM documents d JOIN _new_documents USING (document_id)"
)
QUARANTINE_SQL: dict[str, str] = {
    "documents": "SELECT * EXCLUDE (text) FROM document_rejects WHERE run_id = ? ORDER BY source_path",
    "figures": "SELECT * EXCLUDE (sentence) FROM figure_rejects WHERE run_id = ? ORDER BY figure_id",
}


def _validate_new_rows(
    table: str, conn, gx: GreatExpectationsResource, settings: FiguresSettings, run_id: str
):
    frame = conn.execute(NEW_ROWS_SQL[table]).df()
    texts = conn.execute(NEW_TEXTS_SQL).df() if table == "figures" else None
    return gx.validate(
        table, frame, gx_root=settings.layout.gx_root, run_id=run_id, documents_text=texts
    )


def validate_and_quarantine(
    table: str,
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: DuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    with duckdb.get_connection() as conn:
        outcome = _validate_new_rows(table, conn, gx, settings, context.run.run_id)
        record_validation(conn, outcome.results)
        quarantined = 0 if outcome.table_error else quarantine_rows(conn, table, outcome.rejected)
    results = outcome.results
    failed = results[~results["success"].astype(bool)]
    if outcome.table_error:
        context.log.error(f"{table}: the whole table failed validation: {outcome.table_error}")
    return dg.MaterializeResult(
        metadata={
            "rows_validated": len(outcome.passed) + len(outcome.rejected),
            "rows_passed": len(outcome.passed),
            "rows_quarantined": quarantined,
            "expectations_evaluated": len(results),
            "expectations_failed": len(failed),
            "table_error": outcome.table_error or "",
            "failed_expectations": dg.MetadataValue.md(
                markdown_preview(
                    failed[["expectation", "severity", "unexpected_count"]], max_rows=50
                )
            ),
        }
    )


def error_rules_result(table: str, context, settings, duckdb, gx) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        outcome = _validate_new_rows(table, conn, gx, settings, context.run.run_id)
        quarantined = conn.execute(QUARANTINE_SQL[table], [context.run.run_id]).df()
    results = outcome.results
    failing = results[(results["severity"] == "critical") & ~results["success"].astype(bool)]
    return dg.AssetCheckResult(
        passed=outcome.table_error is None and failing.empty,
        severity=dg.AssetCheckSeverity.ERROR,
        description=outcome.table_error
        or f"{len(failing)} error rules fail on the rows to publish",
        metadata={
            "unexpected_count": int(failing["unexpected_count"].fillna(0).sum()),
            "failing_expectations": dg.MetadataValue.md(
                markdown_preview(failing[["expectation", "unexpected_count"]], max_rows=50)
            ),
            "quarantined_this_run": len(quarantined),
            "quarantine_sample": dg.MetadataValue.md(markdown_preview(quarantined, max_rows=5)),
        },
    )


def warning_rules_result(table: str, context, duckdb) -> dg.AssetCheckResult:
    with duckdb.get_connection() as conn:
        failing = conn.execute(
            """
            SELECT expectation, unexpected_count FROM validation_results
            WHERE run_id = ? AND suite = ? AND severity <> 'critical' AND NOT success
            ORDER BY expectation
            """,
            [context.run.run_id, table],
        ).df()
    return dg.AssetCheckResult(
        passed=failing.empty,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(failing)} warning rules fail; their rows stay published",
        metadata={
            "unexpected_count": int(pd.to_numeric(failing["unexpected_count"]).fillna(0).sum()),
            "failing_expectations": dg.MetadataValue.md(markdown_preview(failing, max_rows=50)),
        },
    )
