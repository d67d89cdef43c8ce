"""The COPY statements of an export: one segment's files (its documents and figures as Parquet,
its HXL fragment), the small tables as single Parquet files, and DuckDB's memory cap while
they run.

Every file is written by DuckDB from the read-only connection to the published warehouse; the
paths are built by our own code and passed as parameters."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from pipeline.warehouse.export_hxl import write_hxl_fragment
from pipeline.warehouse.export_index import Columns, SegmentRows
from pipeline.warehouse.schema import TABLE_ORDER

T = TypeVar("T")

# DuckDB's memory while it sorts and writes the files; beyond it, sorts spill to the export's
# spill folder. A copy that still runs out of memory is run again without the cap.
EXPORT_MEMORY_LIMIT = "1GB"
HXL_FRAGMENTS = ".hxl"


# The figures of the segments an export writes are read from the warehouse in one scan per
# batch of segments (a segment's figures are spread over the rows of its run: one scan per
# segment would read the table again for each) into a temporary table of at most this many
# rows (more when one segment alone has more).
FIGURE_BATCH_ROWS = 1_000_000


def segment_name(segment: int) -> str:
    return f"part-{segment:06d}"


def _copy_rows(
    conn: duckdb.DuckDBPyConnection, table: str, source: str, params: list, target: Path
) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    return conn.execute(
        f"COPY (SELECT * FROM {source} ORDER BY {TABLE_ORDER[table]}) TO ? (FORMAT PARQUET)",
        [*params, str(target)],
    ).fetchone()[0]


def write_segments(
    conn: duckdb.DuckDBPyConnection,
    staged: Path,
    where: dict[int, SegmentRows],
    *,
    partition_by_day: bool,
) -> dict[int, dict[str, int]]:
    """Write the segments of `_export_assign` (located by `where`) into `staged`; returns each
    segment's files (relative path) and their rows."""
    written: dict[int, dict[str, int]] = {}
    for batch in _batches(where):
        capped(conn, None, lambda batch=batch: _load_figures(conn, batch, where))
        for segment in batch:
            written[segment] = _write_segment(
                conn, staged, segment, where[segment], partition_by_day=partition_by_day
            )
    conn.execute("DROP TABLE IF EXISTS _export_figures")
    return written


def _batches(where: dict[int, SegmentRows]) -> list[list[int]]:
    batches: list[list[int]] = [[]]
    rows = 0
    for segment in sorted(where):
        if batches[-1] and rows + where[segment].figure_rows > FIGURE_BATCH_ROWS:
            batches.append([])
            rows = 0
        batches[-1].append(segment)
        rows += where[segment].figure_rows
    return [batch for batch in batches if batch]


def _load_figures(
    conn: duckdb.DuckDBPyConnection, batch: list[int], where: dict[int, SegmentRows]
) -> None:
    """`_export_figures`: the figures of the segments of `batch`, with their segment and
    ingest date, read in one scan of the rowid span that holds them."""
    spans = [where[segment].figures for segment in batch if where[segment].figure_rows]
    first = min((span[0] for span in spans), default=None)
    last = max((span[1] for span in spans), default=None)
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE _export_figures AS
        SELECT a.segment AS _export_segment, a.ingest_date AS _export_day, f.*
        FROM figures AS f JOIN _export_assign AS a USING (document_id)
        WHERE f.rowid BETWEEN ? AND ? AND list_contains(?::INTEGER[], a.segment)
        """,
        [first, last, batch],
    )


_SEGMENT_DOCUMENTS = """(
    SELECT * FROM documents
    WHERE rowid BETWEEN ? AND ?
      AND document_id IN (SELECT document_id FROM _export_assign WHERE segment = ?)
)"""
_SEGMENT_FIGURES = """(
    SELECT * EXCLUDE (_export_segment, _export_day) FROM _export_figures
    WHERE _export_segment = ?
)"""
_SEGMENT_DAY_FIGURES = """(
    SELECT * EXCLUDE (_export_segment, _export_day) FROM _export_figures
    WHERE _export_segment = ? AND _export_day = ?
)"""


def _write_segment(
    conn: duckdb.DuckDBPyConnection,
    staged: Path,
    segment: int,
    rows: SegmentRows,
    *,
    partition_by_day: bool,
) -> dict[str, int]:
    """One segment's files. Flat: `documents/part-N.parquet`, `figures/part-N.parquet`;
    partitioned figures: `figures/ingest_date=YYYY-MM-DD/part-N.parquet` for each day the
    segment has figures. The HXL fragment is `.hxl/part-N.csv`."""
    name = segment_name(segment)
    files: dict[str, int] = {}

    def copy(relative: str, table: str, source: str, params: list) -> None:
        path = staged / relative
        files[relative] = capped(conn, path, lambda: _copy_rows(conn, table, source, params, path))

    documents = f"documents/{name}.parquet"
    copy(documents, "documents", _SEGMENT_DOCUMENTS, [*rows.documents, segment])
    if partition_by_day:
        for day in rows.days:
            relative = f"figures/ingest_date={day.isoformat()}/{name}.parquet"
            copy(relative, "figures", _SEGMENT_DAY_FIGURES, [segment, day])
    else:
        copy(f"figures/{name}.parquet", "figures", _SEGMENT_FIGURES, [segment])
    fragment = f"{HXL_FRAGMENTS}/{name}.csv"
    path = staged / fragment
    path.parent.mkdir(exist_ok=True)
    files[fragment] = capped(
        conn,
        path,
        lambda: write_hxl_fragment(
            conn,
            path,
            figures=_SEGMENT_FIGURES,
            documents="read_parquet(?)",
            params=[segment, str(staged / documents)],
        ),
    )
    return files


def write_empty_datasets(
    conn: duckdb.DuckDBPyConnection, staged: Path, *, partition_by_day: bool
) -> dict[str, int]:
    """A warehouse without documents: a file without rows (but with the columns) per dataset,
    so that reading `documents/*.parquet` still works."""
    tables = ("documents",) if partition_by_day else ("documents", "figures")
    files = {}
    for table in tables:
        relative = f"{table}/{segment_name(0)}.parquet"
        files[relative] = _copy_rows(conn, table, f'"{table}"', [], staged / relative)
    (staged / "figures").mkdir(exist_ok=True)
    return files


def write_table(conn: duckdb.DuckDBPyConnection, table: str, target: Path) -> int:
    """The whole table, in its published order, as one Parquet file; returns its rows."""
    return capped(conn, target, lambda: _copy_rows(conn, table, f'"{table}"', [], target))


def table_fingerprints(
    conn: duckdb.DuckDBPyConnection, tables: dict[str, Columns]
) -> dict[str, dict[str, Any]]:
    """For each of `tables` (name -> its columns): rows, a digest of the columns (names and
    types) and the sum of every row's hash (does not depend on the order of the rows; any
    change of any value changes it). For the small tables only: it reads every row. One
    statement for all of them."""
    if not tables:
        return {}
    # Table and column names from the catalog of our own schema, never from the data.
    parts = [
        f"SELECT {number} AS n, count(*), coalesce(sum(hash("
        + ", ".join(f'"{name}"' for name, _ in columns)
        + f')::HUGEINT), 0) FROM "{table}"'
        for number, (table, columns) in enumerate(tables.items())
    ]
    counted = {
        number: (rows, content)
        for number, rows, content in conn.execute(" UNION ALL ".join(parts)).fetchall()
    }
    fingerprints = {}
    for number, (table, columns) in enumerate(tables.items()):
        rows, content = counted[number]
        schema = hashlib.sha256(json.dumps(columns).encode()).hexdigest()[:16]
        fingerprints[table] = {"rows": rows, "columns": schema, "content": str(content)}
    return fingerprints


@contextlib.contextmanager
def bounded_memory(conn: duckdb.DuckDBPyConnection, spill: Path | None) -> Iterator[None]:
    """Cap DuckDB's memory at EXPORT_MEMORY_LIMIT, spilling into `spill` (None: where the
    instance spills already), for the duration; the previous limit is restored after (the
    instance may be shared within the process)."""
    before = conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    conn.execute(f"SET memory_limit = '{EXPORT_MEMORY_LIMIT}'")
    if spill is not None:
        with contextlib.suppress(duckdb.Error):  # a shared instance may have spilled elsewhere
            conn.execute("SET temp_directory = '{}'".format(str(spill).replace("'", "''")))
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):  # never hide the error of a copy
            # DuckDB shows the limit rounded ("18.8 GiB") and has no exact readout: setting
            # that back would lower a long-lived instance's default limit, so the default is
            # reset; a limit someone set comes back as shown.
            conn.execute("RESET memory_limit")
            if conn.execute("SELECT current_setting('memory_limit')").fetchone()[0] != before:
                conn.execute(f"SET memory_limit = '{before}'")


def capped(conn: duckdb.DuckDBPyConnection, target: Path | None, copy: Callable[[], T]) -> T:
    """Run one copy under the memory cap; when DuckDB runs out of memory all the same, remove
    what it wrote to `target` and run the copy again without the cap."""
    try:
        return copy()
    except duckdb.OutOfMemoryException:
        if target is not None and target.is_dir():
            shutil.rmtree(target)
        elif target is not None:
            target.unlink(missing_ok=True)
        conn.execute("RESET memory_limit")
        return copy()
