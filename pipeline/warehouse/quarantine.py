"""Moving rows that failed an error rule out of a staged table into its quarantine table
(`document_rejects`, `figure_rejects`), and logging every validation in `validation_results`."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.warehouse.rows import rows_to_arrow
from pipeline.warehouse.schema import TABLES

QUARANTINE_TABLES: dict[str, tuple[str, str]] = {
    # table -> (quarantine table, id column)
    "documents": ("document_rejects", "document_id"),
    "figures": ("figure_rejects", "figure_id"),
}


def quarantine_rows(conn: duckdb.DuckDBPyConnection, table: str, rejected: pd.DataFrame) -> int:
    """Move `rejected` rows (with `failed_rules` and `run_id`) from `table` to its quarantine.

    A quarantined document takes its figures with it, so no figure is left without its text."""
    if rejected.empty:
        return 0
    target, id_column = QUARANTINE_TABLES[table]
    conn.register("_rejected", rows_to_arrow(target, rejected.to_dict("records")))
    conn.execute(f'INSERT INTO "{target}" BY NAME SELECT * FROM _rejected')
    if table == "documents":
        conn.execute(
            """
            INSERT INTO figure_rejects BY NAME
            SELECT f.*, 'document quarantined: ' || r.failed_rules AS failed_rules, r.run_id
            FROM figures f JOIN _rejected r USING (document_id)
            """
        )
        conn.execute("DELETE FROM figures WHERE document_id IN (SELECT document_id FROM _rejected)")
        conn.execute(
            "DELETE FROM _new_documents WHERE document_id IN (SELECT document_id FROM _rejected)"
        )
    conn.execute(
        f'DELETE FROM "{table}" WHERE "{id_column}" IN (SELECT "{id_column}" FROM _rejected)'
    )
    conn.unregister("_rejected")
    return len(rejected)


RESULT_KEYS = ["run_id", "suite", "expectation", "severity"]


def summarize_results(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per expectation for a run validated in several chunks: failed if any chunk
    failed, unexpected counts added up, the first exception kept."""
    if not chunks:
        return pd.DataFrame(columns=list(TABLES["validation_results"]))
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0].copy()
    frame["unexpected_count"] = pd.to_numeric(frame["unexpected_count"]).fillna(0)
    if len(chunks) == 1 and not frame.empty and not frame.duplicated(RESULT_KEYS).any():
        # Already one row per expectation: only sorted as the grouping would (which costs
        # ~10 ms on a few dozen rows, twice in every run).
        return frame.sort_values(RESULT_KEYS, ignore_index=True)[_SUMMARY_COLUMNS]
    summary = frame.groupby(RESULT_KEYS, sort=True, as_index=False).agg(
        success=("success", "all"),
        unexpected_count=("unexpected_count", "sum"),
        exception=("exception", "first"),
        evaluated_at=("evaluated_at", "max"),
    )
    return summary


_SUMMARY_COLUMNS = [*RESULT_KEYS, "success", "unexpected_count", "exception", "evaluated_at"]


def record_outcome(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    validated: int,
    quarantined: int,
    table_error: str | None,
) -> None:
    """What the checks of this run report for `table` (a staging-only table)."""
    conn.execute("DELETE FROM _validation_outcomes WHERE suite = ?", [table])
    conn.execute(
        "INSERT INTO _validation_outcomes VALUES (?, ?, ?, ?)",
        [table, validated, quarantined, table_error],
    )


def record_validation(conn: duckdb.DuckDBPyConnection, results: pd.DataFrame) -> None:
    """Append one row per expectation evaluated to `validation_results`."""
    if results.empty:
        return
    conn.register("_results", rows_to_arrow("validation_results", results.to_dict("records")))
    conn.execute("INSERT INTO validation_results BY NAME SELECT * FROM _results")
    conn.unregister("_results")
