"""Small Markdown tables of rows, for Dagster materialization and check metadata."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd


def markdown_preview(frame: pd.DataFrame, *, max_rows: int = 10, max_width: int = 80) -> str:
    """A Markdown table of the first rows, long cells shortened; '(no rows)' when empty."""
    # Plain Python over a few rows: pandas' vectorised string conversion costs more here.
    rows = frame.head(max_rows).itertuples(index=False, name=None)
    return markdown_table(list(map(str, frame.columns)), rows, max_width=max_width)


def markdown_records(
    records: list[dict], columns: list[str], *, max_rows: int = 10, max_width: int = 80
) -> str:
    """`markdown_preview` of rows given as dicts (only `columns`, in that order)."""
    rows = ([record.get(column) for column in columns] for record in records[:max_rows])
    return markdown_table(columns, rows, max_width=max_width)


def markdown_table(columns: list[str], rows: Iterable[Sequence], *, max_width: int = 80) -> str:
    """A Markdown table of `rows` under `columns`, long cells shortened; '(no rows)' when
    there are none."""
    body = ["| " + " | ".join(_cell(value, max_width) for value in row) + " |" for row in rows]
    if not body:
        return "(no rows)"
    header = "| " + " | ".join(columns) + " |"
    rule = "|" + "---|" * len(columns)
    return "\n".join([header, rule, *body])


def _cell(value: object, max_width: int) -> str:
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    text = str(value)
    if len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text.replace("|", "\\|").replace("\n", " ")
