"""Figure rows extracted ahead (while a small run's documents are validated) are the rows a
later extraction would make, taken only for exactly the same inputs, and never kept past the
next extraction."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.figure_rows import extract_ahead, extract_batches, figure_rows

TEXT = "Some 300 militants fled. At least 22 civilians were killed on Monday in Kandahar."


def _document(**changes) -> dict:
    document = {
        "document_id": "d1",
        "text": TEXT,
        "published_date": date(2026, 11, 2),
        "dateline": "KABUL",
        "title": "Militants flee",
    }
    return {**document, **changes}


def _extract(documents: list[dict]) -> list[dict]:
    return [row for _, rows in extract_batches([documents]) for row in rows]


def test_rows_extracted_ahead_are_taken_as_extracting_would_make_them(extractions):
    expected = figure_rows(_document())
    assert extract_ahead([_document()]) == 1
    assert _extract([_document(), _document(document_id="d2")]) == [
        *expected,
        *figure_rows(_document(document_id="d2")),
    ]
    assert extractions == ["d1", "d2"]  # d1 ahead only; d2 was not extracted ahead


@pytest.mark.parametrize(
    "change",
    [
        {"text": TEXT + " Another 40 families fled."},
        {"published_date": date(2025, 1, 1)},
        {"dateline": "KANDAHAR"},
        {"title": None},
    ],
)
def test_rows_are_taken_only_for_the_same_inputs(extractions, change):
    extract_ahead([_document()])
    assert _extract([_document(**change)]) == figure_rows(_document(**change))
    assert extractions == ["d1", "d1"]  # ahead, then again for the changed input


def test_rows_not_taken_are_dropped_after_the_next_extraction(extractions):
    extract_ahead([_document(), _document(document_id="quarantined")])
    _extract([_document()])
    extractions.clear()
    _extract([_document(document_id="quarantined")])
    assert extractions == ["quarantined"]  # extracted again, not taken from a stale memo


def test_rows_kept_ahead_are_dropped_when_worker_processes_extract():
    import pipeline.figure_rows as figure_rows_module

    extract_ahead([_document()])
    batches = [[_document()], [_document(document_id="d2")]]
    rows = [row for _, batch_rows in extract_batches(batches, workers=2) for row in batch_rows]
    assert rows == [*figure_rows(_document()), *figure_rows(_document(document_id="d2"))]
    assert not figure_rows_module._AHEAD
