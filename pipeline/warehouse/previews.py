"""Small Markdown tables of rows, for Dagster materialization and check metadata."""

from __future__ import annotations

import pandas as pd


def markdown_preview(frame: pd.DataFrame, *, max_rows: int = 10, max_width: int = 80) -> str:
    """A Markdown table of the first rows, long cells shortened; '(no rows)' when empty."""
    if frame.empty:
        return "(no rows)"
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    # Plain Python over a few rows: pandas' vectorised string conversion costs more here.
    body = [
        "| " + " | ".join(_cell(value, max_width) for value in row) + " |"
        for row in frame.head(max_rows).itertuples(index=False, name=None)
    ]
    return "\n".join([header, rule, *body])


def _cell(value: object, max_width: int) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    text = str(value)
    if len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")
