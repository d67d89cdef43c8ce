"""Helper columns computed in pandas before validation, for facts GX cannot see in one table.

They state facts only (booleans); the rules about them live in the suite files:
- figures `offsets_in_document`: the figure's document exists and 0 <= start_char <= end_char
  <= len(text);
- figures `mention_matches_offsets`: text[start_char:end_char] == mention;
- documents `has_text`: text is not null and not blank;
- documents `published_in_future`: published_date is after the run date (`today`).
`ROW_COLUMN` holds the row position, used to map GX's unexpected rows back to the frame.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

ROW_COLUMN = "_row"
HELPER_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("has_text", "published_in_future"),
    "figures": ("offsets_in_document", "mention_matches_offsets"),
}


def _int_list(series: pd.Series) -> list[int | None]:
    """Integers (None where missing or not a number), fast."""
    numbers = pd.to_numeric(series, errors="coerce").astype("Float64")
    return [None if pd.isna(v) or v != int(v) else int(v) for v in numbers.tolist()]


def figure_helpers(frame: pd.DataFrame, documents_text: pd.DataFrame) -> pd.DataFrame:
    """`offsets_in_document` and `mention_matches_offsets` for each figure row."""
    texts = dict(
        zip(documents_text["document_id"], documents_text["text"], strict=True),
    )
    in_doc: list[bool] = []
    matches: list[bool] = []
    cols = [frame.get(c) for c in ("document_id", "start_char", "end_char", "mention")]
    if any(c is None for c in cols):  # a missing column is reported by the suite
        n = len(frame)
        return pd.DataFrame(
            {"offsets_in_document": [False] * n, "mention_matches_offsets": [False] * n},
            index=frame.index,
        )
    doc_ids, starts, ends, mentions = cols
    for doc_id, s, e, mention in zip(
        doc_ids.tolist(), _int_list(starts), _int_list(ends), mentions.tolist(), strict=True
    ):
        text = texts.get(doc_id)
        ok = isinstance(text, str) and s is not None and e is not None and 0 <= s <= e <= len(text)
        in_doc.append(ok)
        matches.append(ok and isinstance(mention, str) and text[s:e] == mention)
    return pd.DataFrame(
        {"offsets_in_document": in_doc, "mention_matches_offsets": matches},
        index=frame.index,
    )


def _to_date(value) -> date | None:
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value if type(value) is date else value.date()
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def document_helpers(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """`has_text` and `published_in_future` for each document row."""
    n = len(frame)
    text = frame.get("text")
    has_text = (
        [isinstance(t, str) and bool(t.strip()) for t in text.tolist()]
        if text is not None
        else [False] * n
    )
    published = frame.get("published_date")
    future = (
        [(d := _to_date(v)) is not None and d > today for v in published.tolist()]
        if published is not None
        else [False] * n
    )
    return pd.DataFrame({"has_text": has_text, "published_in_future": future}, index=frame.index)


def with_helpers(
    table: str,
    frame: pd.DataFrame,
    *,
    documents_text: pd.DataFrame | None,
    today: date,
) -> pd.DataFrame:
    """A copy of `frame` (positional index) with the helper columns and `_row` added."""
    out = frame.reset_index(drop=True)
    if table == "figures":
        if documents_text is None:
            raise ValueError("validating figures needs documents_text (document_id, text)")
        helpers = figure_helpers(out, documents_text)
    elif table == "documents":
        helpers = document_helpers(out, today)
    else:
        helpers = pd.DataFrame(index=out.index)
    out = pd.concat([out.drop(columns=list(helpers.columns), errors="ignore"), helpers], axis=1)
    out[ROW_COLUMN] = range(len(out))
    return out
