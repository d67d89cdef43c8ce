"""Moving rows that failed an error rule out of a staged table into its quarantine table
(`document_rejects`, `figure_rejects`), and logging every validation in `validation_results`."""

from __future__ import annotations

import itertools
import math
from typing import Any

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


RESULT_KEYS = ("run_id", "suite", "expectation", "severity")

# One result of one expectation, with the columns of `validation_results`. Results are a few
# dozen rows per run: plain dicts cost a fraction of what pandas costs on frames this small.
ResultRow = dict[str, Any]


def result_records(results: pd.DataFrame) -> list[ResultRow]:
    """The rows of a validation's results frame as dicts of plain values (missing: None)."""
    return [
        {column: None if _missing(value) else value for column, value in row.items()}
        for row in results.to_dict("records")
    ]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def summarize_results(chunks: list[list[ResultRow]]) -> list[ResultRow]:
    """One row per expectation (sorted by `RESULT_KEYS`) for a run validated in one chunk or
    several: failed if any chunk failed, unexpected counts added up (a missing count is 0),
    the first exception kept, the latest evaluation time."""
    summary: dict[tuple, ResultRow] = {}
    for row in itertools.chain.from_iterable(chunks):
        key = tuple(row[column] for column in RESULT_KEYS)
        count = int(row["unexpected_count"] or 0)
        kept = summary.get(key)
        if kept is None:
            summary[key] = {
                **dict(zip(RESULT_KEYS, key, strict=True)),
                "success": bool(row["success"]),
                "unexpected_count": count,
                "exception": row["exception"],
                "evaluated_at": row["evaluated_at"],
            }
            continue
        kept["success"] = kept["success"] and bool(row["success"])
        kept["unexpected_count"] += count
        if kept["exception"] is None:
            kept["exception"] = row["exception"]
        kept["evaluated_at"] = max(kept["evaluated_at"], row["evaluated_at"])
    return [summary[key] for key in sorted(summary)]


def failed_results(results: list[ResultRow], *, critical: bool | None = None) -> list[ResultRow]:
    """The failed expectations of `results` by name: all of them, or only the error rules
    (`critical=True`) or only the others (`critical=False`)."""
    failed = [
        row
        for row in results
        if not row["success"] and (critical is None or (row["severity"] == "critical") == critical)
    ]
    return sorted(failed, key=lambda row: row["expectation"])


def record_validation(conn: duckdb.DuckDBPyConnection, results: list[ResultRow]) -> None:
    """Append one row per expectation evaluated to `validation_results`."""
    if not results:
        return
    conn.register("_results", rows_to_arrow("validation_results", results))
    conn.execute("INSERT INTO validation_results BY NAME SELECT * FROM _results")
    conn.unregister("_results")
