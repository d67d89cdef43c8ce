"""What a small incremental run leaves alone and what it must still redo: views and comments
already in place, the schema of an existing warehouse, the staging database's life from copy
to swap, one transaction for a batch of statements, and exports of a warehouse lacking a table."""

from __future__ import annotations

from types import SimpleNamespace

import dagster as dg
import duckdb
import pytest
from conftest import copy_seeds

from assets.publishing import VALIDATIONS_KEY, _validations_this_run
from pipeline.warehouse.export_index import catalog_columns
from pipeline.warehouse.exports import write_exports
from pipeline.warehouse.layout import WarehouseLayout
from pipeline.warehouse.meanings import TABLE_MEANINGS, meaning_of
from pipeline.warehouse.schema import STAGING_TABLES, TABLES, drop_staging_tables, ensure_schema
from pipeline.warehouse.staging import (
    copy_published,
    initialize_staging,
    seal_staging,
    swap_in_staging,
)
from pipeline.warehouse.transaction import transaction
from pipeline.warehouse.views import (
    VIEWS,
    comment_schema,
    create_views,
    ensure_views,
    views_current,
)


def _columns(conn: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    return set(
        conn.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    )


def _comment(conn: duckdb.DuckDBPyConnection, table: str, column: str | None = None) -> str | None:
    if column is None:
        rows = conn.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = ? UNION ALL "
            "SELECT comment FROM duckdb_views() WHERE view_name = ?",
            [table, table],
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT comment FROM duckdb_columns() WHERE table_name = ? AND column_name = ?",
            [table, column],
        ).fetchall()
    [(comment,)] = rows
    return comment


@pytest.fixture
def described(tmp_path):
    """A warehouse with every table, view and comment in place."""
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(conn)
    create_views(conn)
    comment_schema(conn)
    drop_staging_tables(conn)
    yield conn
    conn.close()


# --- views -----------------------------------------------------------------------------------------
def test_current_views_are_left_alone_with_their_comments(described):
    assert views_current(described)
    assert ensure_views(described) is False
    assert _comment(described, "people_figures") == TABLE_MEANINGS["people_figures"]
    assert comment_schema(described) == 0


def test_a_view_that_differs_or_is_missing_is_made_again(described):
    described.execute('CREATE OR REPLACE VIEW "figure_summary" AS SELECT 1 AS n_figures')
    described.execute('DROP VIEW "figure_conflicts"')
    assert not views_current(described)
    assert ensure_views(described) is True
    assert views_current(described)
    (conflicts,) = described.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name = 'figure_conflicts'"
    ).fetchone()
    assert conflicts == 1
    summary_columns = [
        name
        for (name,) in described.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'figure_summary' "
            "ORDER BY column_index"
        ).fetchall()
    ]
    assert summary_columns[:3] == ["category", "location", "outlet"]
    # replaced views lost their comments: they are written again
    assert comment_schema(described) > 0
    assert _comment(described, "figure_summary") == TABLE_MEANINGS["figure_summary"]
    assert _comment(described, "figure_conflicts", "spread") == meaning_of(
        "figure_conflicts", "spread"
    )


def test_views_are_compared_in_the_sql_duckdb_stores(described):
    stored = dict(
        described.execute(
            "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND NOT temporary"
        ).fetchall()
    )
    for name in VIEWS:
        assert stored[name].startswith(f"CREATE VIEW {name} AS ")


# --- comments ----------------------------------------------------------------------------------
def test_only_missing_or_changed_comments_are_written(described):
    described.execute("COMMENT ON TABLE \"figures\" IS 'edited by hand'")
    described.execute('COMMENT ON COLUMN "documents"."title" IS NULL')
    described.execute('ALTER TABLE "validation_results" ADD COLUMN "outlet" VARCHAR')
    assert comment_schema(described) == 3
    assert _comment(described, "figures") == TABLE_MEANINGS["figures"]
    assert _comment(described, "documents", "title") == meaning_of("documents", "title")
    assert _comment(described, "validation_results", "outlet") == meaning_of(
        "validation_results", "outlet"
    )
    assert comment_schema(described) == 0


def test_comments_written_in_a_transaction_are_rolled_back_with_it(described):
    described.execute("COMMENT ON TABLE \"figures\" IS 'edited by hand'")
    with pytest.raises(RuntimeError), transaction(described):
        assert comment_schema(described) == 1
        raise RuntimeError("the publish failed")
    assert _comment(described, "figures") == "edited by hand"


# --- schema ------------------------------------------------------------------------------------
def test_ensure_schema_adds_missing_tables_and_columns_and_changes_nothing_else(tmp_path):
    conn = duckdb.connect(str(tmp_path / "old.duckdb"))
    conn.execute('CREATE TABLE "documents" ("document_id" VARCHAR, "text" VARCHAR)')
    conn.execute("INSERT INTO documents VALUES ('d1', 'some text')")
    ensure_schema(conn)
    expected = {
        (table, column)
        for table, columns in {**TABLES, **STAGING_TABLES}.items()
        for column in columns
    }
    assert {(table, column) for table, column, _ in _columns(conn)} == expected
    assert conn.execute("SELECT document_id, text, title FROM documents").fetchall() == [
        ("d1", "some text", None)
    ]
    before = _columns(conn)
    ensure_schema(conn)
    assert _columns(conn) == before
    conn.close()


# --- staging -----------------------------------------------------------------------------------
def _published_with(tmp_path, document_id: str) -> WarehouseLayout:
    layout = WarehouseLayout(str(tmp_path / "wh" / "w.duckdb"))
    layout.published.parent.mkdir(parents=True)
    with duckdb.connect(str(layout.published)) as conn:
        ensure_schema(conn)
        drop_staging_tables(conn)
        conn.execute("INSERT INTO documents (document_id) VALUES (?)", [document_id])
    return layout


def test_staging_starts_from_the_published_copy_with_empty_work_tables(tmp_path):
    layout = _published_with(tmp_path, "old")
    layout.staging.parent.mkdir(parents=True)
    with duckdb.connect(str(layout.staging)) as conn:  # left by a killed run
        conn.execute("CREATE TABLE _new_documents (document_id VARCHAR)")
        conn.execute("INSERT INTO _new_documents VALUES ('stale')")
    copy_published(layout)
    with duckdb.connect(str(layout.staging)) as conn:
        initialize_staging(conn, layout)
        assert conn.execute("SELECT document_id FROM documents").fetchall() == [("old",)]
        assert conn.execute("SELECT count(*) FROM _new_documents").fetchone() == (0,)


def test_a_sealed_staging_database_is_swapped_in_whole(tmp_path):
    layout = _published_with(tmp_path, "old")
    copy_published(layout)
    with duckdb.connect(str(layout.staging)) as conn:
        initialize_staging(conn, layout)
        conn.execute("INSERT INTO documents (document_id) VALUES ('new')")
        reader = duckdb.connect(str(layout.published), read_only=True)
        seal_staging(conn)
        assert not layout.staging.with_name(layout.staging.name + ".wal").exists()
    swap_in_staging(layout)
    assert not layout.staging.exists()
    # a reader of the old file keeps the old state; a new reader sees the new one, whole
    assert reader.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    reader.close()
    with duckdb.connect(str(layout.published), read_only=True) as conn:
        assert conn.execute("SELECT document_id FROM documents ORDER BY 1").fetchall() == [
            ("new",),
            ("old",),
        ]
        tables = {
            row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        assert not tables & set(STAGING_TABLES)


# --- transactions ------------------------------------------------------------------------------
def test_a_transaction_commits_once_or_rolls_back_everything(tmp_path):
    conn = duckdb.connect(str(tmp_path / "t.duckdb"))
    conn.execute("CREATE TABLE t (n INTEGER)")
    with transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("INSERT INTO t VALUES (2)")
    with pytest.raises(duckdb.ConstraintException), transaction(conn):
        conn.execute("INSERT INTO t VALUES (3)")
        conn.execute("CREATE TABLE u (n INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO u VALUES (1), (1)")
    assert conn.execute("SELECT n FROM t ORDER BY n").fetchall() == [(1,), (2,)]
    conn.execute("INSERT INTO t VALUES (4)")  # the connection is usable again
    conn.close()


# --- exports -----------------------------------------------------------------------------------
def test_the_catalog_lists_the_columns_of_each_table_in_order(described):
    catalog = catalog_columns(described)
    assert "no_such_table" not in catalog
    assert catalog["validation_results"][0] == ["run_id", "VARCHAR"]
    assert [name for name, _ in catalog["figures"]] == [
        row[0] for row in described.execute("DESCRIBE figures").fetchall()
    ]


def test_an_export_of_a_warehouse_without_a_quarantine_table_leaves_it_out(tmp_path):
    layout = _published_with(tmp_path, "d1")
    with duckdb.connect(str(layout.published)) as conn:
        conn.execute('DROP TABLE "figure_rejects"')
    result = write_exports(layout.database)
    assert "figure_rejects.parquet" not in result.files
    assert {"document_rejects.parquet", "validation_results.parquet"} <= set(result.files)
    assert result.tables["documents"] == 1


# --- a real run --------------------------------------------------------------------------------
def test_a_rerun_restores_views_and_comments_edited_in_the_published_warehouse(tmp_path):
    from pipeline.runner import run_pipeline

    input_dir = copy_seeds(tmp_path / "input")
    warehouse = str(tmp_path / "warehouse" / "w.duckdb")
    assert run_pipeline(input_dir, warehouse).success
    with duckdb.connect(warehouse) as conn:
        conn.execute('CREATE OR REPLACE VIEW "people_figures" AS SELECT 1 AS kind')
        conn.execute('COMMENT ON COLUMN "figures"."value" IS \'edited by hand\'')
    assert run_pipeline(input_dir, warehouse).success
    with duckdb.connect(warehouse, read_only=True) as conn:
        assert views_current(conn)
        assert _comment(conn, "people_figures") == TABLE_MEANINGS["people_figures"]
        assert _comment(conn, "figures", "value") == meaning_of("figures", "value")
        assert comment_schema(conn) == 0  # nothing left to write (and nothing written)


# --- data docs ---------------------------------------------------------------------------------
def _context(run_id: str, event_run_id: str | None, reported: int | None) -> SimpleNamespace:
    event = None
    if event_run_id is not None:
        metadata = {} if reported is None else {VALIDATIONS_KEY: dg.IntMetadataValue(reported)}
        event = SimpleNamespace(
            run_id=event_run_id,
            asset_materialization=SimpleNamespace(metadata=metadata),
        )
    instance = SimpleNamespace(get_latest_materialization_event=lambda key: event)
    return SimpleNamespace(instance=instance, run=SimpleNamespace(run_id=run_id))


def test_data_docs_count_this_runs_validations_without_the_database_when_reported(tmp_path):
    layout = _published_with(tmp_path, "d1")
    with duckdb.connect(layout.database) as conn:
        conn.execute("INSERT INTO validation_results (run_id) VALUES ('r2'), ('r2'), ('r1')")
    missing = str(tmp_path / "nowhere.duckdb")  # never opened when the count was reported
    assert _validations_this_run(_context("r2", "r2", 7), missing) == 7
    # reported by another run, or not at all: counted in the published warehouse
    assert _validations_this_run(_context("r2", "r1", 7), layout.database) == 2
    assert _validations_this_run(_context("r2", "r2", None), layout.database) == 2
    assert _validations_this_run(_context("r3", None, None), layout.database) == 0
