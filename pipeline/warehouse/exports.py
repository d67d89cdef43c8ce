"""The files published beside the warehouse in `exports/`, kept up to date at a cost that
follows what changed, not the size of the warehouse.

Layout (format `EXPORT_FORMAT`):

- `documents/part-N.parquet`, `figures/part-N.parquet`: the per-document tables as datasets of
  segments, each holding whole documents (a document's row and all its figures are in the
  segments with the same N). Read them with `read_parquet('exports/figures/*.parquet')`. With
  `partition_figures_by="ingest_date"` the figures are Hive partitions instead:
  `figures/ingest_date=YYYY-MM-DD/part-N.parquet` (`exports/figures/*/*.parquet`).
- `document_rejects.parquet`, `figure_rejects.parquet`, `validation_results.parquet`: the
  small tables, one file each, rewritten when their content changes.
- `figures_hxl.csv`: the count figures as one HXL-tagged CSV (see `export_hxl`).
- `manifest.json`: rows per file and per table, the segments and their files, the HXL tags.
- `.index/segments.parquet` (which segment holds which document, in which version) and
  `.hxl/part-N.csv` (each segment's CSV rows): bookkeeping for the next export.

An export compares each document's version with the index (see `export_index`), and plans
which segments to keep, rewrite, merge or add (see `export_segments`). It is built in a hidden
folder, where kept files are hard links of the current ones, and swapped in whole: a reader
sees the previous export or the new one, never half of one. A written segment always gets a
new number, so a file name never holds two different contents: a reader that listed the files
before a swap and opens them after gets the same bytes, or no file at all, never a mix.

Row order: inside each file, the table's published order (`schema.TABLE_ORDER`; the HXL rows
by document_id, start_char, end_char); across files, the order of the segments in the
manifest, which is the order of the HXL CSV's rows. A fresh export (no usable previous one, or
`force=True`) of the same warehouse always gives the same bytes (segments are cut by ingest
time and source path; their numbers continue those of the export it replaces). An incremental
export that reaches the same warehouse content gives the same rows in each table, but cut into
other segments, so the bytes differ and so does the order across files: compare exports with
ORDER BY.

An export in an older format, by another DuckDB version (the versions are DuckDB hashes), with
other options or over tables whose columns changed is rebuilt, never reused. DuckDB's memory
is capped while it writes (sorts spill to disk: the staged folder, or the host instance's own
folder when the file is attached to it, `pipeline.warehouse.host`); temporary folders of a killed
export are removed by the next one."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.warehouse import export_index as index
from pipeline.warehouse.export_folder import link_file, remove_leftovers, staged_folder, swap_in
from pipeline.warehouse.export_hxl import HXL_COLUMNS, HXL_FILE, assemble_hxl_csv, write_hxl_csv
from pipeline.warehouse.export_segments import SegmentPlan, plan_segments
from pipeline.warehouse.export_writer import (
    bounded_memory,
    table_fingerprints,
    write_empty_datasets,
    write_segments,
    write_table,
)
from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.reader import reading_published

__all__ = [
    "EXPORT_FORMAT",
    "HXL_COLUMNS",
    "HXL_FILE",
    "MANIFEST_FILE",
    "ExportResult",
    "write_exports",
    "write_hxl_csv",
]

# Bump when what the export writes changes: an export in an older format is never kept.
EXPORT_FORMAT = 3
SEGMENTED_TABLES: tuple[str, ...] = ("documents", "figures")
SMALL_TABLES: tuple[str, ...] = ("document_rejects", "figure_rejects", "validation_results")
MANIFEST_FILE = "manifest.json"
PARTITION_KEYS: tuple[str, ...] = ("ingest_date",)
SPILL_DIR = ".spill"


@dataclass(frozen=True)
class ExportChanges:
    """What an export changed: documents added (new or changed) and taken out (removed or
    changed), segments kept as they were, written, and dropped (rewritten or emptied)."""

    documents_added: int = 0
    documents_removed: int = 0
    segments_kept: int = 0
    segments_written: int = 0
    segments_dropped: int = 0


@dataclass(frozen=True)
class ExportResult:
    """What one export holds: the folder, the rows of each data file (relative path) and of
    each table. `skipped`: nothing had changed, no file was touched. `written`: the data files
    written by this export (the others are hard links of the previous export's)."""

    directory: Path
    files: dict[str, int] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    skipped: bool = False
    written: tuple[str, ...] = ()
    changes: ExportChanges = field(default_factory=ExportChanges)


@dataclass(frozen=True)
class _Previous:
    """The parts of the current export's manifest that the next export reuses."""

    manifest: dict[str, Any]
    segments: list[dict[str, Any]]
    next_id: int


@dataclass
class _Survey:
    """What the next export has to do, before anything is written."""

    previous: _Previous | None
    plan: SegmentPlan
    columns: dict[str, list[list[str]]]
    small: dict[str, dict[str, Any]]
    small_changed: list[str]
    changes: ExportChanges

    @property
    def unchanged(self) -> bool:
        if self.previous is None or not self.plan.unchanged or self.small_changed:
            return False
        return set(self.small) == set(self.previous.manifest.get("small_tables", {}))


def write_exports(
    warehouse: str | Path,
    *,
    exports_dir: str | Path | None = None,
    partition_figures_by: str | None = None,
    force: bool = False,
) -> ExportResult:
    """Bring `exports_dir` (default: `exports/` beside the warehouse) up to date with the
    published warehouse, writing only the segments and files whose content changed.

    `partition_figures_by="ingest_date"` writes the figures as Hive-style partitions
    (`figures/ingest_date=…/`) for object storage. `force=True` exports in full."""
    if partition_figures_by is not None and partition_figures_by not in PARTITION_KEYS:
        raise ValueError(
            f"cannot partition figures by {partition_figures_by!r}; choose one of {PARTITION_KEYS}"
        )
    target = Path(exports_dir) if exports_dir else WarehouseLayout(str(warehouse)).exports_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staged = staged_folder(target)
    # A local file is read through the process's host instance, which keeps its own spill
    # folder (it cannot move one once used); another instance spills into the staged folder.
    spill = None if WarehouseLayout(str(warehouse)).is_local_file else staged / SPILL_DIR
    try:
        with reading_published(str(warehouse)) as conn, bounded_memory(conn, spill):
            survey = _survey(conn, target, partition_figures_by, force)
            if not survey.unchanged:
                manifest, written = _stage(conn, survey, target, staged, partition_figures_by)
        if survey.unchanged:
            shutil.rmtree(staged)
            manifest = survey.previous.manifest
            return ExportResult(
                directory=target,
                files=manifest["rows"],
                tables=_table_rows(manifest),
                skipped=True,
                changes=survey.changes,
            )
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)
        manifest["warehouse"] = str(warehouse)
        (staged / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        swap_in(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return ExportResult(
        directory=target,
        files=manifest["rows"],
        tables=_table_rows(manifest),
        written=tuple(sorted(written)),
        changes=survey.changes,
    )


def _table_rows(manifest: dict[str, Any]) -> dict[str, int]:
    return {table: entry["rows"] for table, entry in manifest.get("tables", {}).items()}


def _read_previous(target: Path) -> _Previous | None:
    """The current export's manifest, when it is readable and in this format; None otherwise."""
    try:
        manifest = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
        segments = [
            {"id": int(s["id"]), "documents": int(s["documents"]), "files": dict(s["files"])}
            for s in manifest["segments"]
        ]
        next_id = int(manifest["next_segment"])
        if not isinstance(manifest["rows"], dict):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _Previous(manifest=manifest, segments=segments, next_id=next_id)


def _next_id(target: Path, previous: _Previous | None) -> int:
    """The number of the next new segment: after every segment the folder has held, so that
    a file name never holds other rows, even across a rebuild or a lost manifest."""
    on_disk = [
        int(match.group(1))
        for path in target.glob("**/part-*")
        if (match := re.fullmatch(r"part-(\d+)\.\w+", path.name))
    ]
    return max([previous.next_id if previous else 1, *(n + 1 for n in on_disk)])


def _reusable(
    previous: _Previous | None,
    target: Path,
    partition_figures_by: str | None,
    columns: dict[str, list[list[str]]],
) -> bool:
    """The export in `target` can be updated in place: same format, DuckDB version, options
    and columns, and every file it lists is there."""
    if previous is None:
        return False
    manifest = previous.manifest
    if (
        manifest.get("format") != EXPORT_FORMAT
        or manifest.get("duckdb") != duckdb.__version__
        or manifest.get("partition_figures_by") != partition_figures_by
        or manifest.get("columns") != columns
    ):
        return False
    listed = [*manifest["rows"], index.INDEX_FILE]
    listed += [name for segment in previous.segments for name in segment["files"]]
    return all((target / name).is_file() for name in listed)


def _survey(
    conn: duckdb.DuckDBPyConnection, target: Path, partition_figures_by: str | None, force: bool
) -> _Survey:
    """Compare the warehouse with the export in `target` and plan the next export."""
    previous = _read_previous(target)
    next_id = _next_id(target, previous)
    catalog = index.catalog_columns(conn)
    columns = {table: catalog.get(table, []) for table in SEGMENTED_TABLES}
    if force or not _reusable(previous, target, partition_figures_by, columns):
        previous = None
    index.load_current(conn, columns["documents"])
    index.load_previous(conn, target / index.INDEX_FILE if previous else None)
    old = index.old_segments(conn, [s["id"] for s in previous.segments]) if previous else []
    if old is None:  # the index does not match the manifest: start again
        previous, old = None, []
        index.load_previous(conn, None)
    added = index.count_new(conn)
    plan = plan_segments(old, added, next_id)
    # A warehouse made by an older pipeline may lack some of the small tables.
    small = table_fingerprints(conn, {t: catalog[t] for t in SMALL_TABLES if t in catalog})
    kept_small = previous.manifest.get("small_tables", {}) if previous else {}
    changes = ExportChanges(
        documents_added=added,
        documents_removed=sum(s.documents - s.surviving for s in old),
        segments_kept=len(plan.kept),
        segments_written=len(plan.written),
        segments_dropped=len(plan.dropped),
    )
    return _Survey(
        previous=previous,
        plan=plan,
        columns=columns,
        small=small,
        small_changed=[t for t in small if small[t] != kept_small.get(t)],
        changes=changes,
    )


def _stage(
    conn: duckdb.DuckDBPyConnection,
    survey: _Survey,
    target: Path,
    staged: Path,
    partition_figures_by: str | None,
) -> tuple[dict[str, Any], list[str]]:
    """Build the next export in `staged`; returns its manifest and the data files written."""
    partition_by_day = partition_figures_by is not None
    segments, written = _stage_segments(conn, survey, target, staged, partition_by_day)
    rows = {n: r for s in segments for n, r in s["files"].items() if not n.startswith(".")}
    if not survey.plan.segments:
        empty = write_empty_datasets(conn, staged, partition_by_day=partition_by_day)
        rows.update(empty)
        written += empty
    for name, count, new in _stage_small_tables(conn, survey, target, staged):
        rows[name] = count
        if new:
            written.append(name)
    rows[HXL_FILE], new = _stage_hxl_and_index(conn, survey, segments, target, staged)
    if new:
        written.append(HXL_FILE)
    return _manifest(survey, rows, segments, partition_figures_by), written


def _stage_segments(
    conn: duckdb.DuckDBPyConnection,
    survey: _Survey,
    target: Path,
    staged: Path,
    partition_by_day: bool,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Write the planned segments and link the kept ones; returns their manifest entries and
    the data files written."""
    plan = survey.plan
    before = {s["id"]: s for s in survey.previous.segments} if survey.previous else {}
    new: dict[int, dict[str, int]] = {}
    if plan.written:
        index.assign(conn, plan)
        where = index.segment_rows(conn)
        new = write_segments(conn, staged, where, partition_by_day=partition_by_day)
    entries, written = [], []
    for segment in plan.segments:
        if segment.rewrite:
            files = new[segment.id]
            written += [name for name in files if not name.startswith(".")]
        else:
            files = before[segment.id]["files"]
            for name in files:
                link_file(target / name, staged / name)
        entries.append({"id": segment.id, "documents": segment.documents, "files": files})
    return entries, written


def _stage_small_tables(
    conn: duckdb.DuckDBPyConnection, survey: _Survey, target: Path, staged: Path
) -> list[tuple[str, int, bool]]:
    """Each small table's file: written when its content changed, else linked; returns
    (file, rows, written)."""
    staged_files = []
    for table in survey.small:
        name = f"{table}.parquet"
        if survey.previous is None or table in survey.small_changed:
            staged_files.append((name, write_table(conn, table, staged / name), True))
        else:
            link_file(target / name, staged / name)
            staged_files.append((name, survey.previous.manifest["rows"][name], False))
    return staged_files


def _stage_hxl_and_index(
    conn: duckdb.DuckDBPyConnection,
    survey: _Survey,
    segments: list[dict[str, Any]],
    target: Path,
    staged: Path,
) -> tuple[int, bool]:
    """The HXL CSV (the fragments, in segment order) and the index, linked when no segment
    changed; returns the CSV's rows and whether it was written."""
    if survey.previous is not None and survey.plan.unchanged:
        for name in (HXL_FILE, index.INDEX_FILE):
            link_file(target / name, staged / name)
        return survey.previous.manifest["rows"][HXL_FILE], False
    fragments = [(n, r) for s in segments for n, r in s["files"].items() if n.endswith(".csv")]
    assemble_hxl_csv(staged / HXL_FILE, [staged / name for name, _ in fragments])
    index.write_index(conn, survey.plan, staged / index.INDEX_FILE)
    return sum(rows for _, rows in fragments), True


def _table_of(name: str) -> str:
    """The table a data file holds: its folder, or its name without the extension."""
    return name.split("/")[0].removesuffix(".parquet")


def _manifest(
    survey: _Survey,
    rows: dict[str, int],
    segments: list[dict[str, Any]],
    partition_figures_by: str | None,
) -> dict[str, Any]:
    figures = "figures/*/*.parquet" if partition_figures_by else "figures/*.parquet"
    paths = {"documents": "documents/*.parquet", "figures": figures}
    paths.update({table: f"{table}.parquet" for table in survey.small})
    tables = {
        table: {"path": path, "rows": sum(r for n, r in rows.items() if _table_of(n) == table)}
        for table, path in paths.items()
    }
    return {
        "format": EXPORT_FORMAT,
        "duckdb": duckdb.__version__,
        "partition_figures_by": partition_figures_by,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": tables,
        "rows": dict(sorted(rows.items())),
        "hxl_tags": {header: tag for header, tag, _ in HXL_COLUMNS},
        "columns": survey.columns,
        "small_tables": survey.small,
        "segments": segments,
        "next_segment": survey.plan.next_id,
    }
