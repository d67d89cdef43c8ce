"""The SQL views analysts query (`figures_enriched`, `people_figures`, `figure_summary`,
`figure_conflicts`) and the DuckDB comments that carry every table's, view's and column's
meaning. Both are written into a run's staging database just before it is published, so they
are swapped in atomically with the tables.

A conflict (`figure_conflicts`) is a (category, location, event_date) for which two different
documents report count figures with different values. `bounds_overlap` tells a difference of
precision ("at least 300" beside "350") from a contradiction ("300" beside "5,000")."""

from __future__ import annotations

import duckdb

from pipeline.contract import PEOPLE_CATEGORIES
from pipeline.warehouse.meanings import TABLE_MEANINGS, meaning_of
from pipeline.warehouse.schema import TABLES

# Columns of `documents` that `figures_enriched` adds to each figure.
DOCUMENT_CONTEXT_COLUMNS: tuple[str, ...] = (
    "outlet",
    "title",
    "published_date",
    "source_path",
    "url",
)


def _quoted(values: tuple[str, ...]) -> str:
    """A SQL list of string literals, for vocabularies defined in code (never input text)."""
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


_FIGURE_COLUMNS = ", ".join(f'f."{column}"' for column in TABLES["figures"])
_DOCUMENT_COLUMNS = ", ".join(f'd."{column}"' for column in DOCUMENT_CONTEXT_COLUMNS)

VIEWS: dict[str, str] = {
    "figures_enriched": f"""
        SELECT {_FIGURE_COLUMNS}, {_DOCUMENT_COLUMNS}
        FROM figures AS f
        LEFT JOIN documents AS d USING (document_id)
    """,
    "people_figures": f"""
        SELECT *
        FROM figures_enriched
        WHERE kind = 'count' AND category IN ({_quoted(PEOPLE_CATEGORIES)})
    """,
    "figure_summary": """
        SELECT
            category,
            location,
            outlet,
            count(*) AS n_figures,
            count(DISTINCT document_id) AS n_documents,
            CAST(sum(value) AS BIGINT) AS sum_value,
            min(value) AS min_value,
            max(value) AS max_value,
            min(event_date) AS first_event_date,
            max(event_date) AS last_event_date,
            min(published_date) AS first_published_date,
            max(published_date) AS last_published_date
        FROM figures_enriched
        WHERE kind = 'count'
        GROUP BY category, location, outlet
    """,
    "figure_conflicts": """
        WITH counted AS (
            SELECT
                figure_id, document_id, outlet, category, location, event_date, value,
                CASE WHEN qualifier = 'at_most' THEN NULL
                     ELSE coalesce(value_low, value) END AS lower_bound,
                CASE WHEN qualifier = 'at_least' THEN NULL
                     ELSE coalesce(value_high, value) END AS upper_bound
            FROM figures_enriched
            WHERE kind = 'count'
              AND value IS NOT NULL
              AND category IS NOT NULL
              AND location IS NOT NULL
              AND event_date IS NOT NULL
        )
        SELECT
            category,
            location,
            event_date,
            count(*) AS n_figures,
            count(DISTINCT document_id) AS n_documents,
            count(DISTINCT outlet) AS n_outlets,
            count(DISTINCT value) AS n_values,
            min(value) AS min_value,
            max(value) AS max_value,
            max(value) - min(value) AS spread,
            coalesce(max(lower_bound) <= min(upper_bound), true) AS bounds_overlap,
            list(DISTINCT value ORDER BY value) AS reported_values,
            list(DISTINCT outlet ORDER BY outlet) FILTER (WHERE outlet IS NOT NULL) AS outlets,
            list(DISTINCT document_id ORDER BY document_id) AS document_ids,
            list(figure_id ORDER BY figure_id) AS figure_ids
        FROM counted
        GROUP BY category, location, event_date
        HAVING count(DISTINCT value) > 1 AND count(DISTINCT document_id) > 1
    """,
}


def create_views(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Create (or replace) every analyst view; return their names, in dependency order."""
    for name, sql in VIEWS.items():
        conn.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
    return list(VIEWS)


def views_current(conn: duckdb.DuckDBPyConnection) -> bool:
    """True when every analyst view exists with exactly the definition `create_views` gives it
    (compared in DuckDB's own rendering of the SQL, which is how it stores a view), so
    replacing them would change nothing. False when one cannot be compared."""
    expected = _rendered_views(conn)
    if expected is None:
        return False
    stored = dict(
        conn.execute(
            """
            SELECT view_name, sql FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name = 'main'
              AND NOT internal AND NOT temporary
            """
        ).fetchall()
    )
    return all(stored.get(name) == sql for name, sql in expected.items())


def ensure_views(conn: duckdb.DuckDBPyConnection) -> bool:
    """`create_views` unless the views are already current; return whether they were (re)made.
    Replacing a view drops its comments, so leaving current ones alone also spares
    `comment_schema` from writing them again. Call it outside a transaction: a failure to
    compare the views (then they are made again) would abort the transaction."""
    if views_current(conn):
        return False
    create_views(conn)
    return True


_RENDERED: dict[str, dict[str, str] | None] = {}


def _rendered_views(conn: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """The `sql` DuckDB stores for each view of VIEWS: `CREATE VIEW name AS <query>;` with the
    query as DuckDB renders it. It depends only on the DuckDB version: worked out once per
    process. None when this DuckDB cannot render SQL (no json extension)."""
    if duckdb.__version__ not in _RENDERED:
        try:
            rendered = {
                name: conn.execute(
                    "SELECT json_deserialize_sql(json_serialize_sql(?))", [sql]
                ).fetchone()[0]
                for name, sql in VIEWS.items()
            }
        except duckdb.Error:
            _RENDERED[duckdb.__version__] = None
        else:
            _RENDERED[duckdb.__version__] = {
                name: f"CREATE VIEW {name} AS {query};" for name, query in rendered.items()
            }
    return _RENDERED[duckdb.__version__]


def _literal(text: str) -> str:
    # COMMENT ON takes no prepared parameters; the texts are constants of this project.
    return "'" + text.replace("'", "''") + "'"


def _current_comments(
    conn: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, tuple[str, str | None]], dict[tuple[str, str], str | None]]:
    """Tables and views of the main schema -> ('TABLE' or 'VIEW', comment), and each of their
    columns (relation, column) -> comment, in column order."""
    relations = {
        name: (kind, comment)
        for name, kind, comment in conn.execute(
            """
            SELECT table_name, 'TABLE', comment FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
            UNION ALL
            SELECT view_name, 'VIEW', comment FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name = 'main'
              AND NOT internal AND NOT temporary
            """
        ).fetchall()
    }
    columns = {
        (name, column): comment
        for name, column, comment in conn.execute(
            """
            SELECT table_name, column_name, comment FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name = 'main'
            ORDER BY table_name, column_index
            """
        ).fetchall()
        if name in relations
    }
    return relations, columns


def _comment_statements(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The COMMENT statements that would give every known table, view and column its meaning,
    leaving out those whose comment already says it."""
    relations, columns = _current_comments(conn)
    statements = []
    for name, (kind, comment) in relations.items():
        meaning = TABLE_MEANINGS.get(name)
        if meaning and comment != meaning:
            statements.append(f'COMMENT ON {kind} "{name}" IS {_literal(meaning)}')
    for (name, column), comment in columns.items():
        meaning = meaning_of(name, column)
        if meaning and comment != meaning:
            statements.append(f'COMMENT ON COLUMN "{name}"."{column}" IS {_literal(meaning)}')
    return statements


def comment_schema(conn: duckdb.DuckDBPyConnection) -> int:
    """Write the meaning of every known table, view and column as a DuckDB comment where it is
    not there yet; return how many comments were written. Columns the project has no meaning
    for are left alone. Run it inside a transaction when many comments may be written: each
    statement is otherwise a commit of its own."""
    statements = _comment_statements(conn)
    for statement in statements:
        conn.execute(statement)
    return len(statements)
