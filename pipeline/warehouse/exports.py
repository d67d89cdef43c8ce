"""The files published beside the warehouse in `exports/`: one Parquet file per table, an
HXL-tagged CSV of the count figures (one row per figure, tidy-long) and a manifest.

Exports are read from the published warehouse (read-only), written into a hidden temporary
folder and swapped in whole, so a reader of `exports/` sees the previous export or the new
one, never half of one."""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import json
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.reader import connect_read_only
from pipeline.warehouse.schema import TABLE_ORDER, TABLES

EXPORT_TABLES: tuple[str, ...] = tuple(TABLES)  # documents, figures, rejects, validation_results
HXL_FILE = "figures_hxl.csv"
MANIFEST_FILE = "manifest.json"
PARTITION_KEYS: tuple[str, ...] = ("ingest_date",)
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
HXL_SQL = f"""
    SELECT {", ".join(expression for _, _, expression in HXL_COLUMNS)}
    FROM figures AS f LEFT JOIN documents AS d USING (document_id)
    WHERE f.kind = 'count'
    ORDER BY f.document_id, f.start_char, f.end_char
"""


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote: the folder and, per file (relative path), its rows."""

    directory: Path
    files: dict[str, int] = field(default_factory=dict)


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
    conn.execute(
        f'COPY (SELECT * FROM "{table}" ORDER BY {TABLE_ORDER[table]}) TO ? (FORMAT PARQUET)',
        [str(target)],
    )
    return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


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


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_hxl_csv(conn: duckdb.DuckDBPyConnection, target: Path) -> int:
    """The count figures as CSV: a header row, the HXL hashtag row, then one row per figure."""
    rows = conn.execute(HXL_SQL).fetchall()
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _, _ in HXL_COLUMNS])
        writer.writerow([tag for _, tag, _ in HXL_COLUMNS])
        for row in rows:
            writer.writerow([_cell(value) for value in row])
    return len(rows)


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
) -> ExportResult:
    """Export the published warehouse: `<table>.parquet` for each table, `figures_hxl.csv`
    and `manifest.json`, into `exports_dir` (default: `exports/` beside the warehouse).

    `partition_figures_by="ingest_date"` also writes the figures as Hive-style partitions
    (`figures/ingest_date=…/`) for object storage."""
    if partition_figures_by is not None and partition_figures_by not in PARTITION_KEYS:
        raise ValueError(
            f"cannot partition figures by {partition_figures_by!r}; choose one of {PARTITION_KEYS}"
        )
    layout = WarehouseLayout(str(warehouse))
    target = Path(exports_dir) if exports_dir else layout.exports_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    staged = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    staged.mkdir()
    files: dict[str, int] = {}
    try:
        with connect_read_only(str(warehouse)) as conn:
            present = _present_tables(conn)
            for table in EXPORT_TABLES:
                if table in present:
                    files[f"{table}.parquet"] = _copy_parquet(
                        conn, table, staged / f"{table}.parquet"
                    )
            if partition_figures_by == "ingest_date":
                files.update(_copy_figures_partitioned(conn, staged / "figures"))
            files[HXL_FILE] = write_hxl_csv(conn, staged / HXL_FILE)
        manifest = {
            "warehouse": str(warehouse),
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": files,
            "hxl_tags": {header: tag for header, tag, _ in HXL_COLUMNS},
        }
        (staged / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap_in(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return ExportResult(directory=target, files=files)
