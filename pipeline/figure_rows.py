"""From stored documents to `figures` rows: runs the extractor on each document with what is
known about it, adds the ids, and spreads batches over worker processes when asked.

A process that would otherwise wait (a small run, while the GX worker validates the new
documents) can extract them ahead (`extract_ahead`); the next in-process extraction of the
same documents then takes those rows instead of extracting again. They are kept by every
input of the extraction (id, text, date, dateline, title), so a row taken is the row that
extracting would give; rows not taken by the next extraction are dropped."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from pipeline.contract import DocumentContext
from pipeline.extraction import extract_figures


def figure_id(document_id: str, start_char: int, end_char: int) -> str:
    """Stable id of a figure: its document and its offsets."""
    return f"{document_id}:{start_char}-{end_char}"


def figure_rows(document: Mapping) -> list[dict]:
    """The `figures` rows of one document (a mapping with document_id, text, published_date,
    dateline and title)."""
    published = document.get("published_date")
    if published is not None and not isinstance(published, date):
        published = date.fromisoformat(str(published)[:10])
    context = DocumentContext(
        published_date=published, dateline=document.get("dateline"), title=document.get("title")
    )
    document_id = document["document_id"]
    rows = []
    for figure in extract_figures(document["text"], context):
        row = figure.as_row()
        row["document_id"] = document_id
        row["figure_id"] = figure_id(document_id, figure.start_char, figure.end_char)
        row["location_iso3"] = figure.extras.get("location_iso3")
        rows.append(row)
    return rows


# The inputs of `figure_rows`, which is a function of them alone.
EXTRACTION_INPUTS = ("document_id", "text", "published_date", "dateline", "title")
_AHEAD: dict[tuple, list[dict]] = {}  # inputs -> rows, from the last `extract_ahead`


def _inputs(document: Mapping) -> tuple:
    return tuple(document.get(column) for column in EXTRACTION_INPUTS)


def extract_ahead(documents: Iterable[Mapping]) -> int:
    """Extract `documents` now for the next in-process `extract_batches` to take (replacing
    what an earlier call kept); return how many were extracted."""
    _AHEAD.clear()
    for document in documents:
        _AHEAD[_inputs(document)] = figure_rows(document)
    return len(_AHEAD)


def figure_rows_ahead() -> list[dict]:
    """The rows the last `extract_ahead` keeps (not yet taken), document after document."""
    return [row for rows in _AHEAD.values() for row in rows]


def _batch_rows(batch: list[dict]) -> list[dict]:
    rows = []
    for document in batch:
        ahead = _AHEAD.pop(_inputs(document), None) if _AHEAD else None
        rows.extend(ahead if ahead is not None else figure_rows(document))
    return rows


def extract_batches(
    batches: Iterable[list[dict]], *, workers: int = 1
) -> Iterator[tuple[int, list[dict]]]:
    """Yield (documents in the batch, figure rows) per batch, in input order.

    With `workers > 1` batches are extracted in that many processes; the order of the output
    does not depend on which worker finishes first, so runs stay deterministic."""
    if workers <= 1:
        for batch in batches:
            yield len(batch), _batch_rows(batch)
        _AHEAD.clear()  # rows extracted ahead for documents not asked for are not kept
        return
    _AHEAD.clear()  # worker processes extract afresh: nothing kept here is taken
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = []
        for batch in batches:
            pending.append((len(batch), pool.submit(_batch_rows, batch)))
            if len(pending) >= 2 * workers:
                size, future = pending.pop(0)
                yield size, future.result()
        for size, future in pending:
            yield size, future.result()
