"""The figures of a small run validated ahead of their step.

While GX validates a small run's new documents, this process extracts their figures
(`pipeline.figure_rows.extract_ahead`). Right after, the GX worker can validate those figures
too, on a thread, while this process quarantines, checks and stages; `validated_figures`
then takes that result instead of waiting for a validation of its own, provided the rows it
validates are exactly the rows validated ahead (same rows, same texts, in the same order: no
document was quarantined and nothing else changed them). Otherwise the result is dropped and
the figures are validated as usual.

The worker holds a result validated ahead unstored, so nothing of it reaches the Data Docs
unless it is taken (`GreatExpectationsResource.keep_validated_ahead`)."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from pipeline.resources import GreatExpectationsResource
from pipeline.warehouse.rows import rows_to_arrow

if TYPE_CHECKING:
    from pipeline.validation.validate import TableValidation

# The order both reads of the figures to validate give their rows in.
FIGURE_ORDER = "document_id, start_char, end_char"


@dataclass
class _Ahead:
    run_id: str
    frame: pd.DataFrame
    texts: pd.DataFrame
    outcome: Future  # TableValidation, or None when no worker validated


_LOCK = threading.Lock()
_PENDING: _Ahead | None = None
_EXECUTOR: ThreadPoolExecutor | None = None


def validate_figures_ahead(
    conn: duckdb.DuckDBPyConnection,
    rows: list[dict],
    texts_sql: str,
    *,
    gx: GreatExpectationsResource,
    gx_root: Path,
    run_id: str,
) -> None:
    """Have the GX worker validate `rows` (figure rows extracted ahead, as `staged_figures`
    will insert them) with the documents' texts (`texts_sql` on `conn`), on a thread; the
    result waits for `take_figures_validated_ahead`. Nothing happens without rows."""
    global _PENDING, _EXECUTOR
    if not rows:
        return
    # Through DuckDB, as `validated_figures` reads them from the table: the same types.
    conn.register("_figures_ahead", rows_to_arrow("figures", rows))
    try:
        frame = conn.execute(f"SELECT * FROM _figures_ahead ORDER BY {FIGURE_ORDER}").df()
    finally:
        conn.unregister("_figures_ahead")
    texts = conn.execute(texts_sql).df()
    with _LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="validate-ahead")
        outcome = _EXECUTOR.submit(
            gx.validate_ahead,
            "figures",
            frame,
            gx_root=gx_root,
            run_id=run_id,
            documents_text=texts,
        )
        _PENDING = _Ahead(run_id, frame, texts, outcome)


def take_figures_validated_ahead(
    run_id: str, frame: pd.DataFrame, texts: pd.DataFrame
) -> TableValidation | None:
    """The result of validating `frame` with `texts` if it was validated ahead in this run
    (waiting for it if need be), else None. Either way nothing is kept ahead after this.

    Raises what the worker raised for the validation ahead (such as a failure to store the
    result before it, which the next request reports)."""
    global _PENDING
    with _LOCK:
        ahead, _PENDING = _PENDING, None
    if ahead is None:
        return None
    outcome = ahead.outcome.result()  # also when it is not taken: the worker is free after
    if ahead.run_id != run_id or not (frame.equals(ahead.frame) and texts.equals(ahead.texts)):
        return None
    return outcome


def drop_figures_validated_ahead() -> None:
    """Forget a validation ahead (waiting until the worker has answered it)."""
    global _PENDING
    with _LOCK:
        ahead, _PENDING = _PENDING, None
    if ahead is not None:
        ahead.outcome.exception()
