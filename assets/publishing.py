"""The `published_warehouse` asset (the staged, checked database swapped in as the warehouse)
and `data_docs` (the Great Expectations HTML report beside it)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.figure_validation import validated_figures
from pipeline.resources import FiguresSettings, GreatExpectationsResource
from pipeline.warehouse.previews import markdown_preview
from pipeline.warehouse.reader import connect_read_only
from pipeline.warehouse.staging import publish_staging
from pipeline.warehouse.views import comment_schema, create_views

COUNT_SQL = {
    "documents": "SELECT count(*) FROM documents",
    "figures": "SELECT count(*) FROM figures",
    "document_rejects": "SELECT count(*) FROM document_rejects",
    "figure_rejects": "SELECT count(*) FROM figure_rejects",
}


@dg.asset(
    deps=[validated_figures],
    group_name="published",
    kinds={"duckdb"},
    owners=["team:data-engineering"],
)
def published_warehouse(
    context: dg.AssetExecutionContext, settings: FiguresSettings, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """The warehouse analysts query: the run's staged database, once every blocking check has
    passed, replaced in one atomic step so readers see the old state or the new, never half."""
    layout = settings.layout
    with duckdb.get_connection() as conn:
        create_views(conn)
        comment_schema(conn)
        counts = {table: conn.execute(sql).fetchone()[0] for table, sql in COUNT_SQL.items()}
        preview = conn.execute(
            """
            SELECT mention, value, qualifier, category, unit, location, event_date
            FROM figures WHERE kind = 'count' ORDER BY document_id, start_char LIMIT 10
            """
        ).df()
    publish_staging(layout)
    context.log.info(f"published {layout.database}")
    return dg.MaterializeResult(
        metadata={
            **{f"rows_{table}": count for table, count in counts.items()},
            "warehouse": dg.MetadataValue.path(layout.database),
            "preview": dg.MetadataValue.md(markdown_preview(preview)),
        }
    )


@dg.asset(
    deps=[published_warehouse],
    group_name="published",
    kinds={"great_expectations", "html"},
    owners=["team:data-quality"],
)
def data_docs(
    context: dg.AssetExecutionContext, settings: FiguresSettings, gx: GreatExpectationsResource
) -> dg.MaterializeResult:
    """The Great Expectations Data Docs (HTML) for this run's validations, built once per run
    into `data_docs/` beside the warehouse. A run that validated nothing (no new rows) keeps
    the previous docs and does not load Great Expectations at all."""
    layout = settings.layout
    index = layout.data_docs_dir / "index.html"
    with connect_read_only(layout.database) as conn:
        (validations,) = conn.execute(
            "SELECT count(*) FROM validation_results WHERE run_id = ?", [context.run.run_id]
        ).fetchone()
    if validations == 0 and index.exists():
        return dg.MaterializeResult(
            metadata={"index": dg.MetadataValue.path(str(index)), "rebuilt": False}
        )
    index = gx.build_data_docs(gx_root=layout.gx_root, target_dir=layout.data_docs_dir)
    return dg.MaterializeResult(
        metadata={"index": dg.MetadataValue.path(str(index)), "rebuilt": True}
    )
