"""Moving rows that failed an error rule out of a staged table into its quarantine table
(`document_rejects`, `figure_rejects`), and logging every validation in `validation_results`."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.warehouse.rows import rows_to_arrow

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


def record_validation(conn: duckdb.DuckDBPyConnection, results: pd.DataFrame) -> None:
    """Append one row per expectation evaluated to `validation_results`."""
    if results.empty:
        return
    conn.register("_results", rows_to_arrow("validation_results", results.to_dict("records")))
    conn.execute("INSERT INTO validation_results BY NAME SELECT * FROM _results")
    conn.unregister("_results")
