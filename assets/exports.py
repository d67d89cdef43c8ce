"""The `warehouse_exports` asset: Parquet files of every published table and an HXL-tagged CSV
of the figures, written to `exports/` beside the warehouse after each publish."""

import dagster as dg

from assets.publishing import published_warehouse
from pipeline.resources import FiguresSettings
from pipeline.warehouse.exports import HXL_FILE, write_exports


class ExportConfig(dg.Config):
    """Options of the export (run config of `warehouse_exports`)."""

    partition_figures_by_ingest_date: bool = False


@dg.asset(
    deps=[published_warehouse],
    group_name="published",
    kinds={"parquet", "csv"},
    owners=["team:data-engineering"],
)
def warehouse_exports(
    context: dg.AssetExecutionContext, config: ExportConfig, settings: FiguresSettings
) -> dg.MaterializeResult:
    """Files for people and tools that do not speak DuckDB: `<table>.parquet` for documents,
    figures, both quarantine tables and validation_results; `figures_hxl.csv` (one row per count
    figure, with an HXL hashtag row); and `manifest.json`. Read from the published warehouse
    (read-only) and swapped in whole, so readers never see half an export.

    When the warehouse's data has the fingerprint recorded in the current export's manifest,
    the files are kept (metadata `skipped: unchanged`); only the validation log's Parquet file
    is refreshed when it gained rows."""
    result = write_exports(
        settings.warehouse,
        exports_dir=settings.layout.exports_dir,
        partition_figures_by="ingest_date" if config.partition_figures_by_ingest_date else None,
    )
    if result.skipped:
        refreshed = ", ".join(result.refreshed) or "nothing"
        context.log.info(
            f"warehouse unchanged since the export in {result.directory}: kept its files "
            f"(refreshed: {refreshed})"
        )
    else:
        context.log.info(f"exported {len(result.files)} files to {result.directory}")
    files_table = "\n".join(
        ["| file | rows |", "|---|---|"]
        + [f"| {name} | {rows} |" for name, rows in sorted(result.files.items())]
    )
    return dg.MaterializeResult(
        metadata={
            "directory": dg.MetadataValue.path(str(result.directory)),
            "files": dg.MetadataValue.md(files_table),
            "files_written": len(result.files),
            "skipped": "unchanged" if result.skipped else "no",
            "files_refreshed": ", ".join(result.refreshed),
            "rows_figures_hxl": result.files.get(HXL_FILE, 0),
            **{
                f"rows_{name.removesuffix('.parquet')}": rows
                for name, rows in result.files.items()
                if name.endswith(".parquet")
            },
        }
    )
