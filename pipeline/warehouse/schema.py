"""The warehouse tables: the contract's columns plus the bookkeeping columns the pipeline
needs, the quarantine tables, the validation log, and the staging-only work tables."""

from __future__ import annotations

import duckdb

from pipeline.contract import DOCUMENT_COLUMNS, FIGURE_COLUMNS

# Columns beyond the contract (the contract allows tables to gain columns).
DOCUMENT_EXTRA_COLUMNS: dict[str, str] = {
    "url": "VARCHAR",
    "source_file": "VARCHAR",  # the input file a document came from (one file may hold many records)
    "source_fingerprint": "VARCHAR",  # sha256 of the file's bytes and its sidecar's: unchanged files are skipped
    "encoding": "VARCHAR",
    "source_size": "BIGINT",  # bytes of the file (+ its sidecar's) when read: unchanged files are not opened
    "source_mtime_ns": "BIGINT",  # latest st_mtime_ns of the file and its sidecar when read
    "pipeline_version": "VARCHAR",  # the code that made the row (pipeline.code_version)
    "ingested_at": "TIMESTAMP",  # when the run that read the file started (UTC)
}
FIGURE_EXTRA_COLUMNS: dict[str, str] = {
    "location_iso3": "VARCHAR",
}
QUARANTINE_EXTRA_COLUMNS: dict[str, str] = {
    "failed_rules": "VARCHAR",
    "run_id": "VARCHAR",
}

TABLES: dict[str, dict[str, str]] = {
    "documents": {**DOCUMENT_COLUMNS, **DOCUMENT_EXTRA_COLUMNS},
    "figures": {**FIGURE_COLUMNS, **FIGURE_EXTRA_COLUMNS},
    "document_rejects": {**DOCUMENT_COLUMNS, **DOCUMENT_EXTRA_COLUMNS, **QUARANTINE_EXTRA_COLUMNS},
    "figure_rejects": {**FIGURE_COLUMNS, **FIGURE_EXTRA_COLUMNS, **QUARANTINE_EXTRA_COLUMNS},
    "validation_results": {
        "run_id": "VARCHAR",
        "suite": "VARCHAR",
        "expectation": "VARCHAR",
        "severity": "VARCHAR",
        "success": "BOOLEAN",
        "unexpected_count": "BIGINT",
        "exception": "VARCHAR",
        "evaluated_at": "TIMESTAMP",
    },
}

# Work tables that live only in the staging database of a run; dropped before publishing.
STAGING_TABLES: dict[str, dict[str, str]] = {
    "_new_documents": {"document_id": "VARCHAR"},
}

# Sort keys that make every published table come out in the same order on every run.
TABLE_ORDER: dict[str, str] = {
    "documents": "source_path, document_id",
    "figures": "document_id, start_char, end_char",
    "document_rejects": "run_id, source_path, document_id",
    "figure_rejects": "run_id, document_id, start_char, end_char",
    "validation_results": "evaluated_at, run_id, suite, expectation",
}


def _create_table_sql(name: str, columns: dict[str, str]) -> str:
    body = ", ".join(f'"{column}" {sql_type}' for column, sql_type in columns.items())
    return f'CREATE TABLE IF NOT EXISTS "{name}" ({body})'


def _columns(conn: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    # pragma_table_info looks up one table; the catalog-wide views (information_schema,
    # duckdb_columns()) cost tens of milliseconds on a fresh connection.
    return {
        row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", [name]).fetchall()
    }


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create every published and staging table that does not exist yet, and add any column
    a newer version of the pipeline has introduced. Existing tables are left as they are."""
    for name, columns in {**TABLES, **STAGING_TABLES}.items():
        conn.execute(_create_table_sql(name, columns))
        existing = _columns(conn, name)
        for column, sql_type in columns.items():
            if column not in existing:
                conn.execute(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {sql_type}')


def drop_staging_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for name in STAGING_TABLES:
        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
