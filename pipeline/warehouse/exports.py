"""The files published beside the warehouse in `exports/`: one Parquet file per table, an
HXL-tagged CSV of the count figures (one row per figure, tidy-long) and a manifest.

Exports are read from the published warehouse (read-only), written into a hidden temporary
folder and swapped in whole, so a reader of `exports/` sees the previous export or the new
one, never half of one.

The manifest records a fingerprint of the warehouse's content (rows and a hash of every row of
each table). When the published warehouse still has the fingerprint of the current export, the
data files are left as they are; only `validation_results.parquet` (the validation log gains
rows on every run) is refreshed, by a new folder that hard-links the unchanged files."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.reader import connect_read_only
from pipeline.warehouse.schema import TABLE_ORDER, TABLES

T = TypeVar("T")

EXPORT_TABLES: tuple[str, ...] = tuple(TABLES)  # documents, figures, rejects, validation_results
# Tables whose rows are a log of the runs rather than data: new rows on every run, so a change
# there refreshes their own Parquet file instead of the whole export.
LOG_TABLES: tuple[str, ...] = ("validation_results",)
# Bump when what the export writes changes: an export in an older format is never kept.
EXPORT_FORMAT = 2
HXL_FILE = "figures_hxl.csv"
MANIFEST_FILE = "manifest.json"
PARTITION_KEYS: tuple[str, ...] = ("ingest_date",)
# DuckDB's memory while it sorts and writes the files; beyond it, sorts spill to SPILL_DIR (in
# the staged folder, removed before the swap). A copy that still runs out of memory is run
# again without the cap.
EXPORT_MEMORY_LIMIT = "1GB"
SPILL_DIR = ".spill"
STALE_TEMP_SECONDS = 3600  # temporary folders older than this were left by a killed export

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
# The HXL CSV is written by DuckDB: the hashtag row is the first data row (every column cast to
# VARCHAR, `_part` 0 sorts it first), NULL and '' both become an empty unquoted field, and the
# options give what Python's csv.writer gives (CRLF, minimal quoting, '#' left unquoted).
HXL_COPY_SQL = f"""
    COPY (
        SELECT {", ".join(f'"{header}"' for header, _, _ in HXL_COLUMNS)}
        FROM (
            SELECT 0 AS _part, NULL::VARCHAR AS _document_id, NULL::INTEGER AS _start_char,
                NULL::INTEGER AS _end_char,
                {", ".join(f'CAST(? AS VARCHAR) AS "{header}"' for header, _, _ in HXL_COLUMNS)}
            UNION ALL
            SELECT 1, f.document_id, f.start_char, f.end_char,
                {", ".join(f"nullif(CAST({expression} AS VARCHAR), '')" for _, _, expression in HXL_COLUMNS)}
            FROM figures AS f LEFT JOIN documents AS d USING (document_id)
            WHERE f.kind = 'count'
        )
        ORDER BY _part, _document_id, _start_char, _end_char
    ) TO ? (FORMAT CSV, HEADER, DELIMITER ',', QUOTE '"', ESCAPE '"', NEW_LINE '\\r\\n', COMMENT '')
"""


@dataclass(frozen=True)
class ExportResult:
    """What one export holds: the folder and, per file (relative path), its rows.

    `skipped` is True when the warehouse's data had not changed since the export in the folder,
    so its data files were kept; `refreshed` names the files rewritten all the same (the
    validation log)."""

    directory: Path
    files: dict[str, int] = field(default_factory=dict)
    skipped: bool = False
    refreshed: tuple[str, ...] = ()


def _has_column(conn: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
            [table, column],
        ).fetchone()[0]
    )


def _present_tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
    ).fetchall()
    return {name for (name,) in rows}


def _copy_parquet(conn: duckdb.DuckDBPyConnection, table: str, target: Path) -> int:
    """The table, in its published order, as one Parquet file; returns its rows."""
    return conn.execute(
        f'COPY (SELECT * FROM "{table}" ORDER BY {TABLE_ORDER[table]}) TO ? (FORMAT PARQUET)',
        [str(target)],
    ).fetchone()[0]


def _copy_figures_partitioned(conn: duckdb.DuckDBPyConnection, target: Path) -> dict[str, int]:
    """Figures as Hive-style folders `figures/ingest_date=YYYY-MM-DD/*.parquet`. The ingest
    date is the day the document was first loaded where the warehouse records it
    (`documents.ingested_at`), else the day of this export."""
    if _has_column(conn, "documents", "ingested_at"):
        ingest = "coalesce(CAST(d.ingested_at AS DATE), current_date)"
    else:
        ingest = "current_date"
    conn.execute(
        f"""
        COPY (
            SELECT f.*, {ingest} AS ingest_date
            FROM figures AS f LEFT JOIN documents AS d USING (document_id)
            ORDER BY {", ".join("f." + key.strip() for key in TABLE_ORDER["figures"].split(","))}
        ) TO ? (FORMAT PARQUET, PARTITION_BY (ingest_date), OVERWRITE_OR_IGNORE)
        """,
        [str(target)],
    )
    counts = conn.execute(
        f"""
        SELECT {ingest} AS ingest_date, count(*)
        FROM figures AS f LEFT JOIN documents AS d USING (document_id)
        GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    return {f"{target.name}/ingest_date={day.isoformat()}": rows for day, rows in counts}


def write_hxl_csv(conn: duckdb.DuckDBPyConnection, target: Path) -> int:
    """The count figures as CSV: a header row, the HXL hashtag row, then one row per figure.

    DuckDB streams the rows to the file (no row passes through Python); returns the figures
    written, the hashtag row not counted."""
    tags = [tag for _, tag, _ in HXL_COLUMNS]
    written = conn.execute(HXL_COPY_SQL, [*tags, str(target)]).fetchone()[0]
    return written - 1


def _table_fingerprint(conn: duckdb.DuckDBPyConnection, table: str) -> dict[str, Any]:
    """Rows, a digest of the columns (names and types) and the sum of every row's hash: the
    sum does not depend on the order of the rows, and any change of any value changes it."""
    columns = conn.execute(
        """
        SELECT column_name, data_type FROM information_schema.columns
        WHERE table_name = ? ORDER BY ordinal_position
        """,
        [table],
    ).fetchall()
    row = ", ".join(f'"{name}"' for name, _ in columns)
    rows, content = conn.execute(
        f'SELECT count(*), coalesce(sum(hash({row})::HUGEINT), 0) FROM "{table}"'
    ).fetchone()
    schema = hashlib.sha256(json.dumps(columns).encode()).hexdigest()[:16]
    return {"rows": rows, "columns": schema, "content": str(content)}


def warehouse_fingerprint(
    conn: duckdb.DuckDBPyConnection, *, partition_figures_by: str | None = None
) -> dict[str, Any]:
    """What the export's files depend on: the content of every exported table, the export
    format and options, and the DuckDB version (whose hash function it uses). Equal
    fingerprints give the same files."""
    present = _present_tables(conn)
    fingerprint: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "duckdb": duckdb.__version__,
        "partition_figures_by": partition_figures_by,
        "tables": {
            table: _table_fingerprint(conn, table) for table in EXPORT_TABLES if table in present
        },
    }
    if partition_figures_by == "ingest_date" and _undated_figures(conn):
        fingerprint["default_ingest_date"] = date.today().isoformat()  # they go under today
    return fingerprint


def _undated_figures(conn: duckdb.DuckDBPyConnection) -> int:
    """Figures whose document records no ingest time (partitioned under the export's day)."""
    if not _has_column(conn, "documents", "ingested_at"):
        return conn.execute("SELECT count(*) FROM figures").fetchone()[0]
    return conn.execute(
        """
        SELECT count(*) FROM figures AS f LEFT JOIN documents AS d USING (document_id)
        WHERE d.ingested_at IS NULL
        """
    ).fetchone()[0]


def _data_part(fingerprint: dict[str, Any]) -> dict[str, Any]:
    """The fingerprint without the log tables."""
    tables = {t: v for t, v in fingerprint.get("tables", {}).items() if t not in LOG_TABLES}
    return {**fingerprint, "tables": tables}


def _current_manifest(target: Path) -> dict[str, Any] | None:
    """The manifest of the export in `target` when it is readable and every file it lists is
    there; None otherwise (the folder is then exported again)."""
    try:
        manifest = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("rows"), dict):
        return None
    if not all((target / name).exists() for name in manifest["rows"]):
        return None
    return manifest


def _link_tree(source: Path, staged: Path, *, skip: set[str]) -> None:
    """Hard-link every file of `source` into `staged` (same names, same inodes, so the files
    keep their bytes and mtimes), except the relative paths in `skip`; copies where the file
    system cannot link."""
    for folder, _, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        (staged / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            if (relative / name).as_posix() in skip:
                continue
            try:
                os.link(Path(folder) / name, staged / relative / name)
            except OSError:
                shutil.copy2(Path(folder) / name, staged / relative / name)


def _write_manifest(staged: Path, manifest: dict[str, Any]) -> None:
    (staged / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    platform or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _swap_in(staged: Path, target: Path) -> None:
    """Make `staged` the folder at `target`; the previous folder is removed."""
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the previous export
        return
    previous = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, previous)
    os.rename(staged, target)
    shutil.rmtree(previous)


def _remove_leftovers(target: Path) -> None:
    """Temporary folders of exports that were killed part-way."""
    now = time.time()
    for pattern, min_age in (
        (f".{target.name}.old-*", 0),
        (f".{target.name}.tmp-*", STALE_TEMP_SECONDS),
    ):
        for leftover in target.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime >= min_age:
                    shutil.rmtree(leftover)


def write_exports(
    warehouse: str | Path,
    *,
    exports_dir: str | Path | None = None,
    partition_figures_by: str | None = None,
    force: bool = False,
) -> ExportResult:
    """Export the published warehouse: `<table>.parquet` for each table, `figures_hxl.csv`
    and `manifest.json`, into `exports_dir` (default: `exports/` beside the warehouse).

    `partition_figures_by="ingest_date"` also writes the figures as Hive-style partitions
    (`figures/ingest_date=…/`) for object storage.

    When the folder already holds an export of the same data (same fingerprint, see
    `warehouse_fingerprint`), nothing is written, or, when only the validation log gained rows,
    only `validation_results.parquet` and the manifest are; `force=True` exports in full."""
    if partition_figures_by is not None and partition_figures_by not in PARTITION_KEYS:
        raise ValueError(
            f"cannot partition figures by {partition_figures_by!r}; choose one of {PARTITION_KEYS}"
        )
    layout = WarehouseLayout(str(warehouse))
    target = Path(exports_dir) if exports_dir else layout.exports_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    previous = None if force else _current_manifest(target)
    staged: Path | None = None
    try:
        with connect_read_only(str(warehouse)) as conn:
            fingerprint = warehouse_fingerprint(conn, partition_figures_by=partition_figures_by)
            kept = previous.get("fingerprint") if previous else None
            if isinstance(kept, dict) and _data_part(kept) == _data_part(fingerprint):
                if kept == fingerprint:
                    return ExportResult(directory=target, files=previous["rows"], skipped=True)
                staged = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
                names, files = _refresh_logs(conn, target, staged, previous, fingerprint)
                _swap_in(staged, target)
                return ExportResult(directory=target, files=files, skipped=True, refreshed=names)
            staged = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
            staged.mkdir()
            spill = staged / SPILL_DIR
            with _bounded_memory(conn, spill):
                files = _write_files(conn, staged, partition_figures_by)
        shutil.rmtree(spill, ignore_errors=True)
        manifest = {
            "warehouse": str(warehouse),
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": files,
            "hxl_tags": {header: tag for header, tag, _ in HXL_COLUMNS},
            "fingerprint": fingerprint,
        }
        _write_manifest(staged, manifest)
        _swap_in(staged, target)
    except BaseException:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        raise
    return ExportResult(directory=target, files=files)


def _write_files(
    conn: duckdb.DuckDBPyConnection, staged: Path, partition_figures_by: str | None
) -> dict[str, int]:
    """Every file of a full export into `staged`; returns each file's rows."""
    files: dict[str, int] = {}
    present = _present_tables(conn)
    for table in EXPORT_TABLES:
        if table in present:
            path = staged / f"{table}.parquet"
            files[path.name] = _capped(
                conn, path, lambda t=table, p=path: _copy_parquet(conn, t, p)
            )
    if partition_figures_by == "ingest_date":
        path = staged / "figures"
        files.update(_capped(conn, path, lambda: _copy_figures_partitioned(conn, path)))
    path = staged / HXL_FILE
    files[HXL_FILE] = _capped(conn, path, lambda: write_hxl_csv(conn, path))
    return files


@contextlib.contextmanager
def _bounded_memory(conn: duckdb.DuckDBPyConnection, spill: Path) -> Iterator[None]:
    """Cap DuckDB's memory at EXPORT_MEMORY_LIMIT, spilling into `spill`, for the duration;
    the previous limit is restored after (the instance may be shared within the process)."""
    before = conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    conn.execute(f"SET memory_limit = '{EXPORT_MEMORY_LIMIT}'")
    with contextlib.suppress(duckdb.Error):  # a shared instance may have spilled elsewhere
        conn.execute("SET temp_directory = '{}'".format(str(spill).replace("'", "''")))
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):  # never hide the error of a copy
            conn.execute(f"SET memory_limit = '{before}'")


def _capped(conn: duckdb.DuckDBPyConnection, target: Path, copy: Callable[[], T]) -> T:
    """Run one copy under the memory cap; when DuckDB runs out of memory all the same, remove
    what it wrote and run the copy again without the cap."""
    try:
        return copy()
    except duckdb.OutOfMemoryException:
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        conn.execute("RESET memory_limit")
        return copy()


def _refresh_logs(
    conn: duckdb.DuckDBPyConnection,
    target: Path,
    staged: Path,
    previous: dict[str, Any],
    fingerprint: dict[str, Any],
) -> tuple[tuple[str, ...], dict[str, int]]:
    """Stage the export in `target` again with the log tables whose content changed written
    anew and every other file hard-linked; returns the rewritten files and every file's rows."""
    kept = previous["fingerprint"].get("tables", {})
    changed = [table for table in LOG_TABLES if fingerprint["tables"].get(table) != kept.get(table)]
    names = [f"{table}.parquet" for table in changed]
    _link_tree(target, staged, skip={*names, MANIFEST_FILE})
    files = {name: rows for name, rows in previous["rows"].items() if name not in names}
    for table, name in zip(changed, names, strict=True):
        if table in fingerprint["tables"]:
            files[name] = _copy_parquet(conn, table, staged / name)
    manifest = {
        **previous,
        "refreshed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": files,
        "fingerprint": fingerprint,
    }
    _write_manifest(staged, manifest)
    return tuple(names), files
