"""Turning rows (dicts) into typed Arrow tables with a warehouse table's columns, so inserts
keep the contract's types whatever the Python values look like (None, dates, ints)."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from pipeline.warehouse.schema import STAGING_TABLES, TABLES

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP": pa.timestamp("us"),
}


def arrow_schema(table: str) -> pa.Schema:
    columns = {**TABLES, **STAGING_TABLES}[table]
    return pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in columns.items()])


def rows_to_arrow(table: str, rows: Sequence[dict]) -> pa.Table:
    """An Arrow table with exactly `table`'s columns; keys a row lacks become NULL."""
    schema = arrow_schema(table)
    # Column by column: ten times faster than `Table.from_pylist` on figure rows (8,150 rows:
    # 0.12 s instead of 1.16 s), which mattered because it runs in the process that feeds the
    # extraction workers.
    return pa.Table.from_pydict(
        {name: [row.get(name) for row in rows] for name in schema.names}, schema=schema
    )
