"""The DuckDB warehouse: its layout, tables, views and publishing, and the read-only helpers
notebooks and scripts use (`read_table`, `query`, `connect_read_only`). Importing this package
stays light: no Dagster, no Great Expectations."""

from pipeline.warehouse.reader import (
    WarehouseUnavailable,
    connect_read_only,
    query,
    read_table,
    relations,
)

__all__ = ["WarehouseUnavailable", "connect_read_only", "query", "read_table", "relations"]
