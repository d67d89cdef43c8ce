"""Reading and replacing documents in the staging database: what earlier runs already
loaded (so unchanged files are skipped), and swapping in the rows of new or changed files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pandas as pd

from pipeline.warehouse.rows import rows_to_arrow


@dataclass(frozen=True)
class KnownSources:
    """What the warehouse already holds, keyed the way ingestion asks for it."""

    fingerprints: dict[str, str]  # source file -> fingerprint of its bytes (and sidecar)
    content: dict[str, str]  # document_id of an ok document -> its source_path


def known_sources(conn: duckdb.DuckDBPyConnection, pipeline_version: str) -> KnownSources:
    """Files whose rows can be kept as they are: made by this version of the code, and not
    rejected as duplicates (those are judged again: the document they duplicated may have gone)."""
    fingerprints = dict(
        conn.execute(
            """
            SELECT source_file, any_value(source_fingerprint)
            FROM documents
            WHERE source_file IS NOT NULL
            GROUP BY source_file
            HAVING bool_and(coalesce(reject_reason, '') NOT LIKE 'duplicate of %')
               AND bool_and(pipeline_version IS NOT DISTINCT FROM ?)
            """,
            [pipeline_version],
        ).fetchall()
    )
    content = dict(
        conn.execute(
            "SELECT document_id, source_path FROM documents WHERE status = 'ok'"
        ).fetchall()
    )
    return KnownSources(fingerprints=fingerprints, content=content)


def _register_files(conn: duckdb.DuckDBPyConnection, files: Iterable[str]) -> None:
    conn.register("_files", pd.DataFrame({"source_file": sorted(set(files))}, dtype="string"))


def delete_files(conn: duckdb.DuckDBPyConnection, files: Iterable[str]) -> None:
    """Remove every row that came from these input files: documents, figures, quarantine."""
    _register_files(conn, files)
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE _gone AS
        SELECT document_id FROM documents WHERE source_file IN (SELECT source_file FROM _files)
        UNION SELECT document_id FROM document_rejects
              WHERE source_file IN (SELECT source_file FROM _files)
        """
    )
    for table in ("figures", "figure_rejects", "documents", "document_rejects"):
        conn.execute(f'DELETE FROM "{table}" WHERE document_id IN (SELECT document_id FROM _gone)')
    conn.unregister("_files")


def delete_files_not_in(conn: duckdb.DuckDBPyConnection, present: Iterable[str]) -> list[str]:
    """Remove the rows of input files that are no longer in the input folder; return them."""
    _register_files(conn, present)
    gone = [
        row[0]
        for row in conn.execute(
            """
            SELECT DISTINCT source_file FROM (
                SELECT source_file FROM documents UNION ALL SELECT source_file FROM document_rejects
            ) WHERE source_file IS NOT NULL
              AND source_file NOT IN (SELECT source_file FROM _files)
            ORDER BY 1
            """
        ).fetchall()
    ]
    conn.unregister("_files")
    if gone:
        delete_files(conn, gone)
    return gone


def insert_documents(conn: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Append new document rows and mark them as new in this run (for extraction and checks)."""
    if not rows:
        return
    conn.register("_incoming", rows_to_arrow("documents", rows))
    conn.execute("INSERT INTO documents BY NAME SELECT * FROM _incoming")
    conn.execute("INSERT INTO _new_documents SELECT document_id FROM _incoming")
    conn.unregister("_incoming")
