"""`docs/schema.md`, generated from a published warehouse itself: every table and view with
its columns, types and the comments `comment_schema` wrote.

    python -m pipeline.warehouse.schema_doc [--warehouse FILE] [--output docs/schema.md] [--check]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from pipeline.settings import WAREHOUSE_ENV
from pipeline.warehouse.reader import connect_read_only
from pipeline.warehouse.schema import TABLES
from pipeline.warehouse.views import VIEWS

DEFAULT_OUTPUT = Path("docs/schema.md")
HEADER = """# Warehouse schema

Generated from a published warehouse by `python -m pipeline.warehouse.schema_doc`
(`--output docs/schema.md`); do not edit by hand. The meanings are the DuckDB comments of the
tables, views and columns, so `SELECT * FROM duckdb_columns()` shows the same text. The
contract behind them is `../shared/FIGURES.md`.
"""


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _ordered(names: list[str], preferred: Sequence[str]) -> list[str]:
    known = [name for name in preferred if name in names]
    return known + sorted(name for name in names if name not in preferred)


def _relations(
    conn: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    tables = dict(
        conn.execute(
            """
            SELECT table_name, comment FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
            """
        ).fetchall()
    )
    views = dict(
        conn.execute(
            """
            SELECT view_name, comment FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name = 'main'
              AND NOT internal AND NOT temporary
            """
        ).fetchall()
    )
    return tables, views


def _section(conn: duckdb.DuckDBPyConnection, name: str, comment: str | None) -> list[str]:
    columns = conn.execute(
        """
        SELECT column_name, data_type, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
        ORDER BY column_index
        """,
        [name],
    ).fetchall()
    lines = [f"### `{name}`", ""]
    if comment:
        lines += [comment, ""]
    lines += ["| column | type | meaning |", "|---|---|---|"]
    lines += [f"| {column} | {data_type} | {_cell(text)} |" for column, data_type, text in columns]
    return [*lines, ""]


def render_schema(conn: duckdb.DuckDBPyConnection) -> str:
    """The Markdown text describing every table and view of the connected warehouse."""
    tables, views = _relations(conn)
    lines = [HEADER, "## Tables", ""]
    for name in _ordered(list(tables), list(TABLES)):
        lines += _section(conn, name, tables[name])
    lines += ["## Views", ""]
    for name in _ordered(list(views), list(VIEWS)):
        lines += _section(conn, name, views[name])
    return "\n".join(lines).rstrip("\n") + "\n"


def schema_markdown(warehouse: str | Path | None = None) -> str:
    """`render_schema` of the published warehouse (default: FIGURES_WAREHOUSE)."""
    with connect_read_only(warehouse) as conn:
        return render_schema(conn)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.warehouse.schema_doc",
        description="Write the Markdown description of a published warehouse's tables and views.",
    )
    parser.add_argument(
        "--warehouse",
        metavar="FILE",
        help=f"published DuckDB file (default: ${WAREHOUSE_ENV}, else warehouse/displacement.duckdb)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        default=str(DEFAULT_OUTPUT),
        help="where to write it (default: docs/schema.md; '-' prints it)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the output file differs from the warehouse",
    )
    args = parser.parse_args(argv)
    text = schema_markdown(args.warehouse)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is out of date; regenerate it with --output {output}", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
