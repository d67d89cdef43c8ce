"""The `published_warehouse` asset (the staged, checked database swapped in as the warehouse)
and `data_docs` (the Great Expectations HTML report beside it, written by
`assets.beside_warehouse` along with the exports)."""

import time
from collections.abc import Callable

import dagster as dg

from assets.figure_validation import validated_figures
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource
from pipeline.warehouse.previews import markdown_preview
from pipeline.warehouse.reader import connect_read_only
from pipeline.warehouse.staging import schema_known_current, seal_staging, swap_in_staging
from pipeline.warehouse.transaction import transaction
from pipeline.warehouse.views import comment_schema, ensure_views

COUNT_SQL = {
    "documents": "SELECT count(*) FROM documents",
    "figures": "SELECT count(*) FROM figures",
    "document_rejects": "SELECT count(*) FROM document_rejects",
    "figure_rejects": "SELECT count(*) FROM figure_rejects",
}
VALIDATIONS_SQL = "SELECT count(*) FROM validation_results WHERE run_id = ?"
VALIDATIONS_KEY = "validations_this_run"  # metadata of published_warehouse, read by data_docs


@dg.asset(
    deps=[validated_figures],
    group_name="published",
    kinds={"duckdb"},
    owners=["team:data-engineering"],
)
def published_warehouse(
    context: dg.AssetExecutionContext, settings: FiguresSettings, duckdb: StagingDuckDBResource
) -> dg.MaterializeResult:
    """The warehouse analysts query: the run's staged database, once every blocking check has
    passed, replaced in one atomic step so readers see the old state or the new, never half."""
    layout = settings.layout
    with duckdb.get_connection() as conn:
        if not schema_known_current(layout):
            ensure_views(conn)  # left as they are unless their definition changed
            with transaction(conn):
                comment_schema(conn)
        counts = {table: conn.execute(sql).fetchone()[0] for table, sql in COUNT_SQL.items()}
        (validations,) = conn.execute(VALIDATIONS_SQL, [context.run.run_id]).fetchone()
        preview = conn.execute(
            """
            SELECT mention, value, qualifier, category, unit, location, event_date
            FROM figures WHERE kind = 'count' ORDER BY document_id, start_char LIMIT 10
            """
        ).df()
        seal_staging(conn)
    duckdb.release()
    swap_in_staging(layout)
    context.log.info(f"published {layout.database}")
    return dg.MaterializeResult(
        metadata={
            **{f"rows_{table}": count for table, count in counts.items()},
            VALIDATIONS_KEY: validations,
            "warehouse": dg.MetadataValue.path(layout.database),
            "preview": dg.MetadataValue.md(markdown_preview(preview)),
        }
    )


DATA_DOCS = dg.AssetSpec(
    "data_docs",
    deps=[published_warehouse],
    group_name="published",
    kinds={"great_expectations", "html"},
    owners=["team:data-quality"],
    description="The Great Expectations Data Docs (HTML) for this run's validations, built once "
    "per run into `data_docs/` beside the warehouse. A run that validated nothing (no new rows) "
    "keeps the previous docs and does not load Great Expectations at all.",
)


def data_docs_builder(
    context: dg.AssetExecutionContext, settings: FiguresSettings, gx: GreatExpectationsResource
) -> Callable[[], dg.MaterializeResult]:
    """What builds the Data Docs and returns the asset's result (to call on any thread): the
    build, in the GX worker, or the previous docs kept when this run validated nothing."""
    layout = settings.layout
    index = layout.data_docs_dir / "index.html"
    if _validations_this_run(context, layout.database) == 0 and index.exists():
        kept = dg.MaterializeResult(
            asset_key=DATA_DOCS.key,
            metadata={"index": dg.MetadataValue.path(str(index)), "rebuilt": False},
        )
        return lambda: kept

    def build() -> dg.MaterializeResult:
        began = time.perf_counter()
        built = gx.build_data_docs(gx_root=layout.gx_root, target_dir=layout.data_docs_dir)
        return dg.MaterializeResult(
            asset_key=DATA_DOCS.key,
            metadata={
                "index": dg.MetadataValue.path(str(built)),
                "rebuilt": True,
                "build_seconds": round(time.perf_counter() - began, 3),
            },
        )

    return build


def _validations_this_run(context: dg.AssetExecutionContext, warehouse: str) -> int:
    """Rows of `validation_results` this run published: as `published_warehouse` reported them
    in this run (no database to open), else counted in the published warehouse."""
    event = context.instance.get_latest_materialization_event(published_warehouse.key)
    if event is not None and event.run_id == context.run.run_id:
        reported = event.asset_materialization.metadata.get(VALIDATIONS_KEY)
        if reported is not None:
            return int(reported.value)
    with connect_read_only(warehouse) as conn:
        (validations,) = conn.execute(VALIDATIONS_SQL, [context.run.run_id]).fetchone()
    return validations
