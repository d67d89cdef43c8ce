"""The `warehouse_exports` asset: Parquet datasets of every published table and an HXL-tagged
CSV of the figures, kept up to date in `exports/` beside the warehouse after each publish. It
is written by `assets.beside_warehouse`, along with the Data Docs."""

from collections import Counter

import dagster as dg

from assets.publishing import published_warehouse
from pipeline.resources import FiguresSettings
from pipeline.warehouse.exports import HXL_FILE, ExportResult, write_exports


class ExportConfig(dg.Config):
    """Options of the export (run config of `reports_beside_warehouse`)."""

    partition_figures_by_ingest_date: bool = False


DESCRIPTION = """Files for people and tools that do not speak DuckDB: `documents/*.parquet` and
`figures/*.parquet` (segments of whole documents), one Parquet file for each quarantine table and
for validation_results, `figures_hxl.csv` (one row per count figure, with an HXL hashtag row)
and `manifest.json`. Read from the published warehouse (read-only) and swapped in whole, so
readers never see half an export.

Only what changed is written: the segments that gained or lost documents, the small tables whose
rows changed, and the CSV (from per-segment fragments); the rest is hard-linked. When nothing
changed, no file is touched (metadata `skipped: unchanged`)."""

WAREHOUSE_EXPORTS = dg.AssetSpec(
    "warehouse_exports",
    deps=[published_warehouse],
    group_name="published",
    kinds={"parquet", "csv"},
    owners=["team:data-engineering"],
    description=DESCRIPTION,
)


def materialize_exports(
    context: dg.AssetExecutionContext, config: ExportConfig, settings: FiguresSettings
) -> dg.MaterializeResult:
    """Bring `exports/` up to date with the published warehouse; the asset's result."""
    result = write_exports(
        settings.warehouse,
        exports_dir=settings.layout.exports_dir,
        partition_figures_by="ingest_date" if config.partition_figures_by_ingest_date else None,
    )
    changes = result.changes
    if result.skipped:
        context.log.info(f"warehouse unchanged since the export in {result.directory}")
    else:
        context.log.info(
            f"export in {result.directory}: {len(result.written)} of {len(result.files)} files "
            f"written; documents +{changes.documents_added} -{changes.documents_removed}; "
            f"segments {changes.segments_kept} kept, {changes.segments_written} written"
        )
    return dg.MaterializeResult(
        asset_key=WAREHOUSE_EXPORTS.key,
        metadata={
            "directory": dg.MetadataValue.path(str(result.directory)),
            "files": dg.MetadataValue.md(_files_table(result)),
            "files_total": len(result.files),
            "files_written": len(result.written),
            "skipped": "unchanged" if result.skipped else "no",
            "documents_added": changes.documents_added,
            "documents_removed": changes.documents_removed,
            "segments_kept": changes.segments_kept,
            "segments_written": changes.segments_written,
            "rows_figures_hxl": result.files.get(HXL_FILE, 0),
            **{f"rows_{table}": rows for table, rows in result.tables.items()},
        },
    )


def _files_table(result: ExportResult) -> str:
    """Files, files written and rows per table."""
    files = Counter(name.split("/")[0].removesuffix(".parquet") for name in result.files)
    written = Counter(name.split("/")[0].removesuffix(".parquet") for name in result.written)
    rows = {**result.tables, HXL_FILE: result.files.get(HXL_FILE, 0)}
    lines = ["| table | files | written | rows |", "|---|---|---|---|"]
    lines += [
        f"| {name} | {files[name]} | {written[name]} | {rows[name]} |"
        for name in sorted(rows)
        if name in files
    ]
    return "\n".join(lines)
