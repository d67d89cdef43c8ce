"""The process's host DuckDB instance that runs attach their database files to: a file stays
attached while any user has it and is let go (closed, checkpointed) after the last, each user
reads and writes the file by unqualified names, and the pipeline's own read of the published
file goes through it with the same retries and errors as a reader's."""

from __future__ import annotations

import time

import duckdb
import pytest
from conftest import opens_in_another_process
from test_exports import make_warehouse
from test_readers import held_by_a_writer

from pipeline.warehouse import WarehouseUnavailable
from pipeline.warehouse.export_writer import bounded_memory
from pipeline.warehouse.host import attached, attached_files
from pipeline.warehouse.reader import reading_published


def test_a_file_is_attached_while_used_and_closed_after_the_last_user(tmp_path):
    path = tmp_path / "run.duckdb"
    with attached(path) as outer:
        outer.execute("CREATE TABLE t AS SELECT 1 AS x")
        with attached(path) as inner:  # a second user shares the attached file
            assert inner.execute("SELECT x FROM t").fetchone() == (1,)
            inner.execute("INSERT INTO t VALUES (2)")
        assert str(path) in attached_files()
        assert not opens_in_another_process(path)
        assert outer.execute("SELECT count(*) FROM t").fetchone() == (2,)
    assert str(path) not in attached_files()
    assert not path.with_name("run.duckdb.wal").exists()  # written into the file on detach
    assert opens_in_another_process(path)
    with duckdb.connect(str(path), read_only=True) as conn:
        assert conn.execute("SELECT sum(x) FROM t").fetchone() == (3,)


def test_users_see_their_own_file_by_unqualified_names(tmp_path):
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    with attached(first) as a, attached(second) as b:
        a.execute("CREATE TABLE t AS SELECT 'first' AS name")
        b.execute("CREATE TABLE t AS SELECT 'second' AS name")
        a.execute("CREATE VIEW v AS SELECT name FROM t")
        assert a.execute("SELECT name FROM v").fetchone() == ("first",)
        assert b.execute("SELECT name FROM t").fetchone() == ("second",)
        (database,) = a.execute("SELECT current_database()").fetchone()
        views = a.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = current_database()"
            " AND NOT internal"
        ).fetchall()
        assert views == [("v",)], database
    with duckdb.connect(str(first), read_only=True) as conn:  # the view works on its own too
        assert conn.execute("SELECT name FROM v").fetchone() == ("first",)


def test_an_error_inside_still_lets_the_file_go(tmp_path):
    path = tmp_path / "run.duckdb"
    with pytest.raises(duckdb.CatalogException), attached(path) as conn:
        conn.execute("SELECT * FROM missing")
    assert str(path) not in attached_files()
    assert opens_in_another_process(path)


def test_the_host_spills_into_its_own_folder_and_exports_leave_it_there(tmp_path):
    path = make_warehouse(tmp_path / "displacement.duckdb")
    setting = "SELECT current_setting('temp_directory'), current_setting('memory_limit')"
    with reading_published(path) as conn:
        before = conn.execute(setting).fetchone()
        with bounded_memory(conn, None):
            during = conn.execute(setting).fetchone()
        after = conn.execute(setting).fetchone()
    assert during[0] == before[0] and during[1] != before[1]  # capped, spilling where it did
    assert after == before  # the host's limit given back
    assert "figures-duckdb-spill-" in before[0]  # not DuckDB's default `.tmp` in the cwd


def test_reading_published_is_read_only_and_detached_after(tmp_path):
    path = make_warehouse(tmp_path / "displacement.duckdb")
    with reading_published(path) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (2,)
        with pytest.raises(duckdb.Error, match="read-only"):
            conn.execute("DELETE FROM documents")
    assert str(path) not in attached_files()


def test_reading_published_retries_and_names_a_writer_like_a_reader(tmp_path):
    path = make_warehouse(tmp_path / "displacement.duckdb")
    with held_by_a_writer(path):
        began = time.monotonic()
        with (
            pytest.raises(WarehouseUnavailable, match="held open for writing"),
            reading_published(path, attempts=3, first_delay=0.01),
        ):
            pass
        assert time.monotonic() - began < 5
    assert str(path) not in attached_files()


def test_a_host_closed_when_idle_hands_back_its_memory_and_a_new_one_starts(tmp_path):
    from pipeline.warehouse import host

    path = tmp_path / "run.duckdb"
    with attached(path) as conn:
        conn.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)")
        first = host._HOST
        host.close_when_idle()  # still in use: closed when the last user leaves
        assert host._HOST is first
    assert host._HOST is None and attached_files() == []
    with attached(path) as conn:  # a new host, the same spill folder
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1000,)
        assert host._HOST is not first
    assert host._HOST is not None  # not closed again unless asked


def test_a_limit_set_on_the_host_is_given_back_after_an_export(tmp_path):
    # DuckDB shows a limit rounded and has no exact readout, so a limit someone set comes back
    # as it is shown ("2.7 GiB" for 3GB); the default comes back exactly (test above).
    path = make_warehouse(tmp_path / "displacement.duckdb")
    limit = "SELECT current_setting('memory_limit')"
    with reading_published(path) as conn:
        conn.execute("SET memory_limit = '3GB'")
        shown = conn.execute(limit).fetchone()[0]
        conn.execute(f"SET memory_limit = '{shown}'")
        expected = conn.execute(limit).fetchone()[0]
        conn.execute("SET memory_limit = '3GB'")
        try:
            with bounded_memory(conn, None):
                assert conn.execute(limit).fetchone()[0] not in (shown, expected)
            assert conn.execute(limit).fetchone()[0] == expected
        finally:
            conn.execute("RESET memory_limit")
