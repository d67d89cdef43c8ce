"""Small Markdown tables of rows, for Dagster materialization and check metadata."""

from __future__ import annotations

import pandas as pd


def markdown_preview(frame: pd.DataFrame, *, max_rows: int = 10, max_width: int = 80) -> str:
    """A Markdown table of the first rows, long cells shortened; '(no rows)' when empty."""
    if frame.empty:
        return "(no rows)"
    shown = frame.head(max_rows).astype("string").fillna("")
    shown = shown.map(lambda cell: cell if len(cell) <= max_width else cell[: max_width - 1] + "…")
    escape = lambda cell: cell.replace("|", "\\|").replace("\n", " ")  # noqa: E731
    header = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "---|" * len(shown.columns)
    body = [
        "| " + " | ".join(escape(cell) for cell in row) + " |"
        for row in shown.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])
