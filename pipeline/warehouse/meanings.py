"""What every published table, view and column means, in one place: the text of
`../shared/FIGURES.md` as data. `comment_schema` writes it into the warehouse as DuckDB
comments, and `docs/schema.md` is generated from those comments."""

from __future__ import annotations

TABLE_MEANINGS: dict[str, str] = {
    "documents": "One row per input file (or record), accepted or not: its text and metadata.",
    "figures": "One row per figure mention read from an accepted document.",
    "document_rejects": "Quarantine: documents that failed a blocking validation rule, with the rules and the run.",
    "figure_rejects": "Quarantine: figures that failed a blocking validation rule (or whose document was quarantined).",
    "validation_results": "One row per expectation evaluated by each run, passed or failed.",
    "figures_enriched": "Every figure with its document's outlet, title, published date, source path and URL.",
    "people_figures": "Figures that count people (kind = 'count' and a people category), with their document's metadata.",
    "figure_summary": "Count figures summarised by category, location and outlet. Sums add every mention: several reports of one event are all counted.",
    "figure_conflicts": (
        "Where sources disagree: each (category, location, event_date) for which at least two "
        "documents report count figures with different values. Only figures with a category, "
        "a location, an event date and a value take part."
    ),
}

# Meaning of a column, whatever table or view it stands in.
COLUMN_MEANINGS: dict[str, str] = {
    # documents
    "document_id": "Stable id derived from the content: same text, same id, on every run and machine.",
    "source_path": "Path of the input file relative to the input folder.",
    "title": "Headline, where the text has one.",
    "outlet": "Publisher or agency, where known.",
    "byline": "Author(s), where known.",
    "dateline": "Place in the dateline, where present.",
    "published_date": "Date the document was published, where known (sidecar metadata or the text).",
    "text": "The normalized body text that all figure offsets refer to.",
    "status": "'ok', or 'rejected'.",
    "reject_reason": "Why a file was rejected (not UTF-8, empty, too large, binary, duplicate of ...).",
    "url": "Address the document was published at, where known.",
    "source_file": "The input file a document came from (one file may hold many records).",
    "source_fingerprint": "sha256 of the file's bytes and its sidecar's; unchanged files are skipped.",
    "encoding": "Character encoding the file was decoded from.",
    "source_size": (
        "Size in bytes of the input file plus its sidecar's, when it was read (NULL for rows "
        "judged again on every run). With source_mtime_ns: an input file whose size and "
        "modification time are unchanged is not opened again."
    ),
    "source_mtime_ns": (
        "Latest modification time (st_mtime_ns, nanoseconds since 1970) of the input file and "
        "its sidecar, when it was read (NULL for rows judged again on every run)."
    ),
    "pipeline_version": "Version of the pipeline code that made the row (rows of another version are rebuilt).",
    "ingested_at": "When the run that read the input file started (UTC).",
    # figures
    "figure_id": "Stable id of the figure (document_id and offsets).",
    "start_char": "Offset of the mention's first character in documents.text.",
    "end_char": "Offset just past the mention's last character: text[start_char:end_char] = mention.",
    "mention": "The number expression with its qualifier words, as written.",
    "sentence": "The sentence the mention stands in.",
    "kind": "'count' for a figure; other kinds (age, duration, date, distance, money, percent, ordinal, other) only if kept.",
    "value": "The point figure: the number stated; for a range or a vague quantity its low end.",
    "value_low": "Lower bound where the text gives one (NULL where open).",
    "value_high": "Upper bound where the text gives one (NULL where open).",
    "qualifier": "exact, approximate, at_least, at_most, range or vague.",
    "category": "What is counted: one of the contract's category vocabulary.",
    "unit": "The counted noun as written, lower case.",
    "location": "The place the figure refers to, where the text says.",
    "location_iso3": "ISO 3166-1 alpha-3 code of the location's country, where resolved.",
    "event_date": "The date the figure refers to, where it can be resolved.",
    # quarantine
    "failed_rules": "The blocking validation rules the row failed.",
    "run_id": "The Dagster run that wrote the row.",
    # validation_results
    "suite": "Great Expectations suite (one per table).",
    "expectation": "The expectation evaluated.",
    "severity": "critical (rows failing it are quarantined), warning or info.",
    "success": "Whether the expectation passed.",
    "unexpected_count": "Rows that failed the expectation.",
    "exception": "Error raised while evaluating the expectation, if any.",
    "evaluated_at": "When the expectation was evaluated (UTC).",
    # figure_summary
    "n_figures": "Number of figure mentions.",
    "n_documents": "Number of distinct documents.",
    "sum_value": "Sum of value over the mentions (repeated reports of one event are all added).",
    "min_value": "Smallest value.",
    "max_value": "Largest value.",
    "first_event_date": "Earliest event_date.",
    "last_event_date": "Latest event_date.",
    "first_published_date": "Earliest published_date of the documents.",
    "last_published_date": "Latest published_date of the documents.",
    # figure_conflicts
    "n_outlets": "Number of distinct outlets (documents without an outlet are not counted).",
    "n_values": "Number of distinct values reported.",
    "spread": "max_value - min_value.",
    "bounds_overlap": (
        "True when one number could satisfy every figure's stated bounds (at least, at most, "
        "ranges): the sources may only differ in precision. False: they contradict each other."
    ),
    "reported_values": "The distinct values reported, smallest first.",
    "outlets": "The distinct outlets reporting, in alphabetical order.",
    "document_ids": "The documents reporting, in id order.",
    "figure_ids": "The figures taking part, in id order.",
}

# Where a column means something more specific in one table or view.
TABLE_COLUMN_MEANINGS: dict[tuple[str, str], str] = {
    ("figures", "document_id"): "The document the figure was read from.",
    ("figure_rejects", "document_id"): "The document the figure was read from.",
    ("figures_enriched", "document_id"): "The document the figure was read from.",
    ("people_figures", "document_id"): "The document the figure was read from.",
    ("validation_results", "run_id"): "The Dagster run that evaluated the expectation.",
}


def meaning_of(table: str, column: str) -> str | None:
    """The meaning of `column` in `table` or view, or None when the project has none for it."""
    return TABLE_COLUMN_MEANINGS.get((table, column)) or COLUMN_MEANINGS.get(column)
