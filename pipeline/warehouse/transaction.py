"""Grouping statements into one DuckDB transaction. Outside one, every statement is committed
on its own, and each commit writes and syncs the write-ahead log: a few milliseconds each."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


@contextlib.contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block's statements in one transaction: committed at the end, rolled back if
    the block raises."""
    conn.begin()
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # never hide the block's own error
            conn.rollback()
        raise
    conn.commit()
