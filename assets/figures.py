"""The `staged_figures` asset: the figures of every new accepted document, extracted into the
run's staging database in batches (over several processes for large inputs)."""

from collections import Counter

import dagster as dg

from assets.document_validation import validated_documents
from pipeline.code_version import processing_version
from pipeline.figure_rows import extract_batches
from pipeline.progress import counter
from pipeline.resources import FiguresSettings, StagingDuckDBResource
from pipeline.warehouse.documents_store import new_accepted_documents
from pipeline.warehouse.previews import markdown_preview
from pipeline.warehouse.rows import rows_to_arrow


@dg.asset(
    deps=[validated_documents],
    group_name="staging",
    kinds={"python", "duckdb"},
    owners=["team:data-engineering"],
    code_version=processing_version(),
)
def staged_figures(
    context: dg.AssetExecutionContext, settings: FiguresSettings, duckdb: StagingDuckDBResource
) -> dg.MaterializeResult:
    """The figures of each new accepted document: the number as written with its qualifier,
    value and bounds, the counted noun and its category, the sentence, place and date
    (see FIGURES.md). Documents kept from earlier runs keep their figures."""
    per_category: Counter[str] = Counter()
    # Two connections: one streams the new documents while the other inserts their figures.
    with duckdb.get_connection() as conn, duckdb.get_connection() as reader:
        reader.execute(
            "SELECT count(*) FROM documents d JOIN _new_documents USING (document_id) WHERE status = 'ok'"
        )
        (pending,) = reader.fetchone()
        batches = new_accepted_documents(reader, settings.batch_size)
        with counter(desc="extracting figures", total=pending) as bar:
            for documents_done, rows in extract_batches(
                batches, workers=settings.workers_for(pending)
            ):
                if rows:
                    conn.register("_new_figures", rows_to_arrow("figures", rows))
                    conn.execute("INSERT INTO figures BY NAME SELECT * FROM _new_figures")
                    conn.unregister("_new_figures")
                per_category.update(
                    row["category"] or "(none)" for row in rows if row["kind"] == "count"
                )
                bar.update(documents_done)
        reader.close()
        preview = conn.execute(
            """
            SELECT f.mention, f.value, f.qualifier, f.category, f.unit, f.location, d.source_path
            FROM figures f JOIN _new_documents USING (document_id) JOIN documents d USING (document_id)
            WHERE f.kind = 'count' ORDER BY d.source_path, f.start_char LIMIT 20
            """
        ).df()
    return dg.MaterializeResult(
        metadata={
            "documents_extracted": pending,
            "new_figures": sum(per_category.values()),
            **{f"figures_{category}": count for category, count in sorted(per_category.items())},
            "preview": dg.MetadataValue.md(markdown_preview(preview, max_rows=20)),
        }
    )
