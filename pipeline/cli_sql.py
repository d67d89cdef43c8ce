"""`figures sql`: one query against the published warehouse, opened read-only for the time of
the query (so a run may publish meanwhile), printed as a table, CSV, JSON or JSON lines.

Only DuckDB and the standard library are imported, so the command starts quickly."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime, time
from decimal import Decimal

from pipeline.settings import WAREHOUSE_ENV

DEFAULT_MAX_ROWS = 100
DEFAULT_MAX_WIDTH = 40


def _plain(value: object) -> object:
    """A value JSON can carry: dates as ISO text, decimals as numbers, lists and structs kept."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    plain = _plain(value)
    if isinstance(plain, list | dict):
        return json.dumps(plain, ensure_ascii=False)
    return str(plain)


def format_table(
    columns: list[str],
    rows: list[tuple],
    *,
    total: int | None = None,
    max_width: int = DEFAULT_MAX_WIDTH,
) -> str:
    """Aligned columns for a person: cells cut at `max_width`, NULL shown empty, numbers
    right-aligned, and a last line with the row count."""

    def cut(text: str) -> str:
        text = text.replace("\n", " ")
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(_text(value)) for value in row] for row in rows]
    numeric = [
        all(row[i] is None or isinstance(row[i], int | float | Decimal) for row in rows)
        for i in range(len(columns))
    ]
    widths = [
        max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(columns)), "  ".join("-" * width for width in widths)]
    out += [line(values) for values in cells]
    total = len(rows) if total is None else total
    shown = f"{total} row" + ("" if total == 1 else "s")
    if total > len(rows):
        shown = f"first {len(rows)} of {shown}; --max-rows to see more"
    out.append(f"({shown})")
    return "\n".join(out)


def _read_sql(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.warehouse.reader import WarehouseUnavailable, connect_read_only

    sql = _read_sql(args.query)
    try:
        conn = connect_read_only(args.warehouse)
    except WarehouseUnavailable as error:
        print(f"figures sql: {error}", file=sys.stderr)
        return 2
    try:
        with conn:
            cursor = conn.execute(sql, args.param or [])
            if cursor.description is None:
                return 0
            columns = [description[0] for description in cursor.description]
            if args.format == "table":
                rows = cursor.fetchmany(args.max_rows) if args.max_rows else []
                total = len(rows) + len(cursor.fetchall())
                print(format_table(columns, rows, total=total, max_width=args.max_width))
            elif args.format == "csv":
                writer = csv.writer(sys.stdout, lineterminator="\n")
                writer.writerow(columns)
                for row in cursor.fetchall():
                    writer.writerow([_text(value) for value in row])
            else:
                records = [
                    {column: _plain(value) for column, value in zip(columns, row, strict=True)}
                    for row in cursor.fetchall()
                ]
                if args.format == "json":
                    print(json.dumps(records, ensure_ascii=False, indent=2))
                else:
                    for record in records:
                        print(json.dumps(record, ensure_ascii=False))
    except duckdb.Error as error:
        print(f"figures sql: {error}", file=sys.stderr)
        return 1
    return 0


def add_sql_command(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `figures sql` on the `figures` command's subparsers."""
    command = subparsers.add_parser(
        "sql",
        help="run one SQL query against the published warehouse (read-only)",
        description="Open the published warehouse read-only, run QUERY and print the result. "
        "Tables: documents, figures, document_rejects, figure_rejects, validation_results; views: "
        "figures_enriched, people_figures, figure_summary, figure_conflicts (see docs/schema.md). "
        "Exit status 1 on an SQL error, 2 when the warehouse cannot be opened.",
    )
    command.add_argument(
        "query", metavar="QUERY", help="the SQL to run; '-' reads it from standard input"
    )
    command.add_argument(
        "--warehouse",
        metavar="FILE",
        help=f"published DuckDB file (default: ${WAREHOUSE_ENV}, else warehouse/displacement.duckdb)",
    )
    command.add_argument(
        "-p",
        "--param",
        action="append",
        metavar="VALUE",
        help="a value for the next `?` placeholder of QUERY (repeat for several)",
    )
    formats = command.add_mutually_exclusive_group()
    formats.add_argument(
        "--csv",
        dest="format",
        action="store_const",
        const="csv",
        help="print CSV with a header row",
    )
    formats.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="print a JSON array of objects",
    )
    formats.add_argument(
        "--jsonl",
        dest="format",
        action="store_const",
        const="jsonl",
        help="print one JSON object per row",
    )
    command.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"rows shown in the table (default: {DEFAULT_MAX_ROWS}; CSV and JSON print all)",
    )
    command.add_argument(
        "--max-width",
        type=int,
        default=DEFAULT_MAX_WIDTH,
        metavar="N",
        help=f"characters shown per table cell (default: {DEFAULT_MAX_WIDTH})",
    )
    command.set_defaults(handler=_sql, format="table")
    return command
