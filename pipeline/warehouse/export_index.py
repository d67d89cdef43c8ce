"""Which documents an export has to write: each document's version in the published warehouse,
compared with the index of the previous export (`.index/segments.parquet`: which segment holds
which document, in which version; in a hidden folder, so that `exports/*.parquet` never
matches it).

A document's version is a hash of its `documents` row without the text (the id is derived
from the text; every bookkeeping column is in: `pipeline_version`, `ingested_at`, the source
file's fingerprint, size and time, `status`...) and of its number of figures. The pipeline
never edits a figure in place: a document whose figures change is read again, and its row
gets a new `ingested_at`. Rows edited by hand without touching their document are not seen:
export with `force=True` after such an edit.

Everything lives in temporary tables of the export's read-only connection (`_export_*`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipeline.warehouse.export_segments import OldSegment, SegmentPlan
from pipeline.warehouse.schema import TABLES

INDEX_FILE = ".index/segments.parquet"
# Left out of the version: derived from the document id, and the largest column to read.
UNVERSIONED_COLUMNS = frozenset({"text"})


@dataclass(frozen=True)
class SegmentRows:
    """Where a written segment's rows are: the rowid span of its rows in each table (to skip
    the rest of the table), its number of figures and, for partitioned figures, the ingest
    dates of its figures."""

    documents: tuple[int | None, int | None] = (None, None)
    figures: tuple[int | None, int | None] = (None, None)
    figure_rows: int = 0
    days: tuple[date, ...] = ()


Columns = list[list[str]]  # [name, type] of each column, in order


def catalog_columns(conn: duckdb.DuckDBPyConnection) -> dict[str, Columns]:
    """The columns of every table and view of the connection's database, by name (a table
    that is not there has no entry)."""
    # One read of the catalog for every table the export looks at: a lookup per table costs
    # about as much each.
    catalog: dict[str, Columns] = {}
    for table, name, sql_type in conn.execute(
        """
        SELECT table_name, column_name, data_type FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = current_schema()
        ORDER BY table_name, column_index
        """
    ).fetchall():
        catalog.setdefault(table, []).append([name, sql_type])
    return catalog


def load_current(conn: duckdb.DuckDBPyConnection, document_columns: Columns) -> None:
    """`_export_current`: one row per document id found in `documents` (whose columns are
    `document_columns`) or `figures`, with its version, the rowid span of its rows in both
    tables, its figures, ingest time and date, and source path."""
    present = {name for name, _ in document_columns}
    # Identifiers from our own schema, never from the data.
    versioned = [c for c in TABLES["documents"] if c in present and c not in UNVERSIONED_COLUMNS]
    row = ", ".join(f'"{column}"' for column in versioned)
    ingested = "min(ingested_at)" if "ingested_at" in present else "NULL::TIMESTAMP"
    source = "min(source_path)" if "source_path" in present else "NULL::VARCHAR"
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _export_current AS
        WITH d AS (
            SELECT document_id, count(*) AS n, sum(hash({row})::HUGEINT) AS content,
                   min(rowid) AS first_row, max(rowid) AS last_row, {ingested} AS ingested_at,
                   {source} AS source_path
            FROM documents GROUP BY document_id
        ), f AS (
            SELECT document_id, count(*) AS n, min(rowid) AS first_row, max(rowid) AS last_row
            FROM figures GROUP BY document_id
        )
        SELECT document_id, hash(d.n, d.content, f.n) AS version,
               d.first_row AS document_first, d.last_row AS document_last,
               f.first_row AS figure_first, f.last_row AS figure_last,
               coalesce(f.n, 0) AS figures, d.ingested_at, d.source_path,
               CAST(d.ingested_at AS DATE) AS ingest_date
        FROM d FULL OUTER JOIN f USING (document_id)
        """
    )


def load_previous(conn: duckdb.DuckDBPyConnection, index: Path | None) -> None:
    """`_export_previous`: the index of the previous export (empty without one)."""
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE _export_previous
            (document_id VARCHAR, version UBIGINT, segment INTEGER)
        """
    )
    if index is not None:
        conn.execute(
            """
            INSERT INTO _export_previous
            SELECT document_id, version, segment FROM read_parquet(?)
            """,
            [str(index)],
        )


_SURVIVORS = """
    _export_previous p JOIN _export_current c
    ON c.document_id = p.document_id AND c.version = p.version
"""
_NEW = """
    _export_current c WHERE NOT EXISTS (
        SELECT 1 FROM _export_previous p
        WHERE p.document_id = c.document_id AND p.version = c.version
    )
"""


def old_segments(conn: duckdb.DuckDBPyConnection, order: list[int]) -> list[OldSegment] | None:
    """The previous export's segments in `order` with their surviving documents; None when
    the index does not hold exactly the segments of `order` (then nothing is reused)."""
    counts = {
        segment: (documents, surviving)
        for segment, documents, surviving in conn.execute(
            """
            SELECT p.segment, count(*), count(c.document_id)
            FROM _export_previous p LEFT JOIN _export_current c
            ON c.document_id = p.document_id AND c.version = p.version
            GROUP BY p.segment
            """
        ).fetchall()
    }
    if set(counts) != set(order) or len(order) != len(set(order)):
        return None
    return [OldSegment(id, *counts[id]) for id in order]


def count_new(conn: duckdb.DuckDBPyConnection) -> int:
    """Documents that are new, or changed since the previous export."""
    return conn.execute(f"SELECT count(*) FROM {_NEW}").fetchone()[0]


def assign(conn: duckdb.DuckDBPyConnection, plan: SegmentPlan) -> None:
    """`_export_assign`: the documents of every segment to write (document_id, version,
    segment, ingest_date). New documents are numbered by ingest time, then source path (the
    order in which the pipeline appends them), so that a segment holds documents read
    together, and the removal of an input folder or of the oldest files touches few segments."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _export_map (old_segment INTEGER, chunk INTEGER, segment INTEGER)"
    )
    mapping = [
        (source, None, segment.id) for segment in plan.written for source in segment.sources
    ] + [(None, chunk, segment.id) for segment in plan.written for chunk in segment.chunks]
    if mapping:
        conn.executemany("INSERT INTO _export_map VALUES (?, ?, ?)", mapping)
    new = max(count_new(conn), 1)
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _export_assign AS
        SELECT c.document_id, c.version, m.segment,
               coalesce(c.ingest_date, current_date) AS ingest_date
        FROM {_SURVIVORS} JOIN _export_map m ON m.old_segment = p.segment
        UNION ALL
        SELECT n.document_id, n.version, m.segment, coalesce(n.ingest_date, current_date)
        FROM (
            SELECT c.document_id, c.version, c.ingest_date,
                   (row_number() OVER (
                       ORDER BY c.ingested_at NULLS LAST, c.source_path NULLS LAST, c.document_id
                   ) - 1)
                       * ? // ? AS chunk
            FROM {_NEW}
        ) AS n JOIN _export_map m ON m.chunk = n.chunk
        """,
        [plan.chunks, new],
    )


def segment_rows(conn: duckdb.DuckDBPyConnection) -> dict[int, SegmentRows]:
    """Where the rows of each segment in `_export_assign` are."""
    spans = conn.execute(
        """
        SELECT a.segment, min(c.document_first), max(c.document_last),
               min(c.figure_first), max(c.figure_last), sum(c.figures)::BIGINT,
               list(DISTINCT a.ingest_date ORDER BY a.ingest_date)
                   FILTER (WHERE c.figure_first IS NOT NULL)
        FROM _export_assign a JOIN _export_current c USING (document_id)
        GROUP BY a.segment
        """
    ).fetchall()
    return {
        segment: SegmentRows(
            documents=(doc_first, doc_last),
            figures=(fig_first, fig_last),
            figure_rows=figure_rows,
            days=tuple(days or ()),
        )
        for segment, doc_first, doc_last, fig_first, fig_last, figure_rows, days in spans
    }


def write_index(conn: duckdb.DuckDBPyConnection, plan: SegmentPlan, target: Path) -> int:
    """The index of the new export: the kept segments' entries and the written ones'."""
    kept = [segment.id for segment in plan.kept]
    target.parent.mkdir(parents=True, exist_ok=True)
    written = "SELECT document_id, version, segment FROM _export_assign" if plan.written else ""
    return conn.execute(
        f"""
        COPY (
            SELECT document_id, version, segment FROM _export_previous
            WHERE list_contains(?::INTEGER[], segment)
            {"UNION ALL " + written if written else ""}
            ORDER BY segment, document_id
        ) TO ? (FORMAT PARQUET)
        """,
        [kept, str(target)],
    ).fetchone()[0]
