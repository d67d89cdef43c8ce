"""The HXL-tagged CSV of the count figures (`figures_hxl.csv`): its columns and hashtags, the
CSV fragment of one segment (written by DuckDB, no header) and the whole file (the header and
hashtag rows, then the fragments' bytes in segment order).

The rows are formatted the way Python's csv.writer formats them: CRLF, minimal quoting, NULL
and '' both an empty unquoted field, '#' left unquoted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipeline.warehouse.export_folder import concatenate

HXL_FILE = "figures_hxl.csv"

# The HXL CSV: (column header, HXL hashtag, SQL expression over figures f / documents d).
HXL_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("figure_id", "#meta+figure+id", "f.figure_id"),
    ("document_id", "#meta+document+id", "f.document_id"),
    ("category", "#indicator+code", "f.category"),
    ("value", "#indicator+value+num", "f.value"),
    ("value_low", "#indicator+value+num+min", "f.value_low"),
    ("value_high", "#indicator+value+num+max", "f.value_high"),
    ("qualifier", "#indicator+qualifier", "f.qualifier"),
    ("unit", "#indicator+unit", "f.unit"),
    ("location", "#loc+name", "f.location"),
    ("location_iso3", "#country+code", "f.location_iso3"),
    ("event_date", "#date+occurred", "f.event_date"),
    ("published_date", "#date+reported", "d.published_date"),
    ("outlet", "#meta+source", "d.outlet"),
    ("url", "#meta+url", "d.url"),
    ("mention", "#meta+mention", "f.mention"),
)

# Every value is cast to VARCHAR so that DuckDB quotes it as csv.writer quotes a string.
_SELECT = ", ".join(
    f"nullif(CAST({expression} AS VARCHAR), '') AS \"{header}\""
    for header, _, expression in HXL_COLUMNS
)
_CSV_OPTIONS = "FORMAT CSV, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NEW_LINE '\\r\\n', COMMENT ''"


def hxl_head() -> bytes:
    """The header row and the HXL hashtag row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([header for header, _, _ in HXL_COLUMNS])
    writer.writerow([tag for _, tag, _ in HXL_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def fragment_sql(figures: str, documents: str) -> str:
    """COPY of the count figures of `figures` joined with `documents` (FROM items with the
    tables' columns, from our own code), in (document_id, start_char, end_char) order; the
    target file is the statement's last parameter."""
    return f"""
        COPY (
            SELECT {_SELECT}
            FROM {figures} AS f LEFT JOIN {documents} AS d USING (document_id)
            WHERE f.kind = 'count'
            ORDER BY f.document_id, f.start_char, f.end_char
        ) TO ? ({_CSV_OPTIONS})
    """


def write_hxl_fragment(
    conn: duckdb.DuckDBPyConnection,
    target: Path,
    *,
    figures: str = "figures",
    documents: str = "documents",
    params: list | None = None,
) -> int:
    """The CSV rows (no header) of the count figures of `figures` (default: the whole table)
    with their `documents`; `params` fill the FROM items' placeholders. Returns the rows."""
    return conn.execute(
        fragment_sql(figures, documents), [*(params or []), str(target)]
    ).fetchone()[0]


def write_hxl_csv(conn: duckdb.DuckDBPyConnection, target: Path) -> int:
    """Every count figure of the warehouse as one CSV: a header row, the HXL hashtag row, then
    one row per figure. DuckDB streams the rows (no row passes through Python); returns the
    figures written."""
    body = target.with_name(f".{target.name}.rows")
    try:
        rows = write_hxl_fragment(conn, body)
        assemble_hxl_csv(target, [body])
    finally:
        body.unlink(missing_ok=True)
    return rows


def assemble_hxl_csv(target: Path, fragments: Iterable[Path]) -> None:
    """The CSV from its fragments, in the order given."""
    concatenate(target, hxl_head(), fragments)
