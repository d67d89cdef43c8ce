"""The `staged_documents` asset: every file of the input folder read into the run's staging
database, accepted or rejected with its reason; unchanged files are kept as they were."""

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipeline.code_version import processing_version
from pipeline.ingestion import UnchangedFile, ingest_folder
from pipeline.progress import counter
from pipeline.resources import FiguresSettings, StagingDuckDBResource
from pipeline.warehouse.documents_store import (
    delete_files,
    delete_files_not_in,
    insert_documents,
    known_sources,
    record_file_stats,
)
from pipeline.warehouse.previews import markdown_preview
from pipeline.warehouse.staging import copy_published, initialize_staging
from pipeline.warehouse.transaction import transaction


@dg.asset(
    group_name="staging",
    kinds={"python", "duckdb"},
    owners=["team:data-engineering"],
    code_version=processing_version(),
)
def staged_documents(
    context: dg.AssetExecutionContext, settings: FiguresSettings, duckdb: StagingDuckDBResource
) -> dg.MaterializeResult:
    """Every file under the input folder as a `documents` row in the staging database.

    Plain text, Markdown, HTML, JSON and JSON lines are read; metadata comes from a
    `NAME.meta.json` sidecar or from the text's headline, byline and dateline. A file that
    cannot be used (not text, binary, empty, too large, a duplicate…) becomes a `rejected`
    row with its reason. Files unchanged since the last published run are not read again."""
    input_dir = Path(settings.input_dir)
    if not input_dir.is_dir():
        raise dg.Failure(description=f"Input folder {input_dir} does not exist or is not a folder.")
    copy_published(settings.layout)
    duckdb.hold_open()  # let go below if this run turns out large
    version = processing_version()
    ingested_at = datetime.now(UTC).replace(tzinfo=None)

    outcome: Counter[str] = Counter()
    present: set[str] = set()
    cleared: set[str] = set()
    batch: list[dict] = []
    restats: dict[str, tuple[int, int]] = {}

    with duckdb.get_connection() as conn:
        initialize_staging(conn, settings.layout)
        known = known_sources(conn, version)

        def flush() -> None:
            files = {row["source_file"] for row in batch} - cleared
            with transaction(conn):
                delete_files(conn, files)
                insert_documents(conn, batch)
            cleared.update(files)
            bar.update(len(batch))
            batch.clear()

        with counter(desc="reading documents") as bar:
            for item in ingest_folder(
                input_dir,
                max_bytes=settings.max_document_bytes,
                known_fingerprints=known.fingerprints,
                known_content=known.content,
                known_stats=known.stats,
                workers=settings.reading_workers,  # a pool only once hundreds of files need reading
            ):
                present.add(item.source_file)
                if isinstance(item, UnchangedFile):
                    outcome["unchanged files"] += 1
                    pair = (item.source_size, item.source_mtime_ns)
                    if None not in pair and pair != known.recorded.get(item.source_file):
                        restats[item.source_file] = pair  # touched, same bytes
                    bar.update(1)
                    continue
                outcome[item.status] += 1
                batch.append(
                    {**item.as_row(), "pipeline_version": version, "ingested_at": ingested_at}
                )
                if len(batch) >= settings.batch_size:
                    flush()
            flush()
        record_file_stats(conn, restats, ingested_at)
        removed = delete_files_not_in(conn, present)
        if not settings.is_small_run(outcome["ok"] + outcome["rejected"]):
            # A large run: each later step opens and closes the database, and DuckDB's
            # memory is handed back in between.
            duckdb.release(hand_back_memory=True)

        totals = dict(
            conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()
        )
        preview = conn.execute(
            """
            SELECT source_path, status, coalesce(title, '') AS title, coalesce(outlet, '') AS outlet,
                   coalesce(reject_reason, '') AS reject_reason
            FROM documents JOIN _new_documents USING (document_id)
            ORDER BY source_path LIMIT 10
            """
        ).df()

    context.log.info(
        f"{outcome['ok']} new documents accepted, {outcome['rejected']} rejected, "
        f"{outcome['unchanged files']} files unchanged, {len(removed)} files gone"
    )
    return dg.MaterializeResult(
        metadata={
            "new_accepted": outcome["ok"],
            "new_rejected": outcome["rejected"],
            "unchanged_files": outcome["unchanged files"],
            "removed_files": len(removed),
            "documents_ok": totals.get("ok", 0),
            "documents_rejected": totals.get("rejected", 0),
            "input_dir": dg.MetadataValue.path(str(input_dir.resolve())),
            "preview": dg.MetadataValue.md(markdown_preview(preview)),
        }
    )
