"""Reading the published warehouse from notebooks, scripts and `figures sql`: short-lived
read-only connections that find the warehouse without being told (FIGURES_WAREHOUSE, else
`warehouse/displacement.duckdb`) and retry with backoff while a writer holds the file.

A run never writes the published file in place (it builds a staging copy and renames it over
the published one), so a reader only meets a lock when another program opened the published
file read-write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipeline.settings import DEFAULT_WAREHOUSE, WAREHOUSE_ENV, warehouse_from_env
from pipeline.warehouse.host import attached
from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.schema import TABLE_ORDER

if TYPE_CHECKING:  # pandas is imported by DuckDB's .df() only when a frame is asked for
    import pandas as pd

DEFAULT_ATTEMPTS = 8
DEFAULT_FIRST_DELAY = 0.05  # seconds; doubles after each attempt (about 6 s in all)
_LOCK_MESSAGES = ("lock", "resource temporarily unavailable")


PROJECT_ROOT = Path(__file__).resolve().parents[2]


class WarehouseUnavailable(RuntimeError):
    """The warehouse does not exist, or stayed locked by a writer through every retry."""


def default_warehouse() -> str:
    """FIGURES_WAREHOUSE, else `warehouse/displacement.duckdb`: in the current folder when it
    is there, else in the project (a notebook's kernel starts in `notebooks/`)."""
    configured = warehouse_from_env()
    if configured != DEFAULT_WAREHOUSE or Path(configured).exists():
        return configured
    return str(PROJECT_ROOT / DEFAULT_WAREHOUSE)


def _is_lock_error(error: Exception) -> bool:
    return isinstance(error, duckdb.IOException) and any(
        text in str(error).lower() for text in _LOCK_MESSAGES
    )


def connect_read_only(
    warehouse: str | Path | None = None,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    first_delay: float = DEFAULT_FIRST_DELAY,
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse; close it when done (or use `with`).

    Retries with exponential backoff while another process holds the file read-write, then
    raises WarehouseUnavailable saying who holds it."""
    database = _existing_warehouse(warehouse)
    return _with_retries(
        database,
        lambda: duckdb.connect(database, read_only=True),
        attempts=attempts,
        first_delay=first_delay,
    )


@contextmanager
def reading_published(
    warehouse: str | Path,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    first_delay: float = DEFAULT_FIRST_DELAY,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The published warehouse read-only for the duration, for the pipeline's own steps: a
    local file is attached to the process's host instance (`pipeline.warehouse.host`,
    ~2 ms instead of ~30 for an instance of its own) and detached after. Retries and fails
    as `connect_read_only` does."""
    database = _existing_warehouse(warehouse)
    if not WarehouseLayout(database).is_local_file:
        with connect_read_only(database, attempts=attempts, first_delay=first_delay) as conn:
            yield conn
        return
    with ExitStack() as stack:
        yield _with_retries(
            database,
            lambda: stack.enter_context(attached(database, read_only=True)),
            attempts=attempts,
            first_delay=first_delay,
        )


def _existing_warehouse(warehouse: str | Path | None) -> str:
    database = str(warehouse or default_warehouse())
    layout = WarehouseLayout(database)
    if layout.is_local_file and not layout.published.is_file():
        raise WarehouseUnavailable(
            f"no warehouse at {database}: run `figures run` first, or point ${WAREHOUSE_ENV} "
            "(or the warehouse argument) at a published warehouse file"
        )
    return database


def _with_retries(
    database: str,
    open_once: Callable[[], duckdb.DuckDBPyConnection],
    *,
    attempts: int,
    first_delay: float,
) -> duckdb.DuckDBPyConnection:
    """`open_once()`, again with exponential backoff while another process holds the file."""
    delay = first_delay
    started = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            return open_once()
        except duckdb.Error as error:
            if "different configuration" in str(error):
                raise WarehouseUnavailable(
                    f"this process already has {database} open read-write; query through that "
                    "connection, or close it first"
                ) from error
            if not _is_lock_error(error):
                raise
            if attempt == attempts:
                raise WarehouseUnavailable(
                    f"the warehouse {database} is held open for writing by another program "
                    f"(tried {attempts} times over {time.monotonic() - started:.1f} s). "
                    "Pipeline runs never hold the published file; close the program that opened "
                    f"it read-write and try again. DuckDB said: {error}"
                ) from error
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def relations(warehouse: str | Path | None = None) -> list[str]:
    """The tables and views of the published warehouse, by name."""
    with connect_read_only(warehouse) as conn:
        return _relation_names(conn)


def _relation_names(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        """
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'main' AND table_catalog = current_database()
        ORDER BY table_name
        """
    ).fetchall()
    return [name for (name,) in rows]


def read_table(name: str, warehouse: str | Path | None = None) -> pd.DataFrame:
    """A whole table or view of the published warehouse as a DataFrame (tables in their
    published order). The connection is opened read-only and closed before returning."""
    with connect_read_only(warehouse) as conn:
        known = _relation_names(conn)
        if name not in known:
            raise KeyError(
                f"no table or view {name!r} in the warehouse; it has: {', '.join(known)}"
            )
        order = f" ORDER BY {TABLE_ORDER[name]}" if name in TABLE_ORDER else ""
        return conn.execute(f'SELECT * FROM "{name}"{order}').df()


def query(
    sql: str, params: list | dict | None = None, warehouse: str | Path | None = None
) -> pd.DataFrame:
    """The result of one read-only query (with `?` or `$name` parameters) as a DataFrame."""
    with connect_read_only(warehouse) as conn:
        return conn.execute(sql, params or []).df()
