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
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in schema.names} for row in rows], schema=schema
    )
