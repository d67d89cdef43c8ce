"""The analyst views and the schema comments: on a hand-made warehouse (exact answers) and on
the warehouse a real run publishes from the seeds."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipeline.contract import DOCUMENT_COLUMNS, FIGURE_COLUMNS, PEOPLE_CATEGORIES
from pipeline.warehouse.meanings import TABLE_MEANINGS, meaning_of
from pipeline.warehouse.rows import rows_to_arrow
from pipeline.warehouse.schema import TABLES, drop_staging_tables, ensure_schema
from pipeline.warehouse.views import VIEWS, comment_schema, create_views, ensure_views

DAY = dt.date(2019, 3, 5)


def document(document_id: str, outlet: str | None, **extra) -> dict:
    return {
        "document_id": document_id,
        "source_path": f"{document_id}.txt",
        "title": f"Title {document_id}",
        "outlet": outlet,
        "published_date": dt.date(2019, 3, 6),
        "text": "text",
        "status": "ok",
        "url": f"https://example.org/{document_id}",
        **extra,
    }


def figure(document_id: str, start: int, value: int, **extra) -> dict:
    row = {
        "figure_id": f"{document_id}:{start}",
        "document_id": document_id,
        "start_char": start,
        "end_char": start + 3,
        "mention": str(value),
        "sentence": "sentence",
        "kind": "count",
        "value": value,
        "qualifier": "exact",
        "category": "evacuees",
        "unit": "people",
        "location": "Baghouz",
        "event_date": DAY,
    }
    row.update(extra)
    return row


def build(path, documents: list[dict], figures: list[dict]) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(path))
    ensure_schema(conn)
    for table, rows in (("documents", documents), ("figures", figures)):
        if rows:
            conn.register("_rows", rows_to_arrow(table, rows))
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
            conn.unregister("_rows")
    create_views(conn)
    comment_schema(conn)
    drop_staging_tables(conn)
    return conn


@pytest.fixture
def sample(tmp_path):
    documents = [
        document("a", "AP"),
        document("b", "Reuters"),
        document("c", "AP"),
        document("d", None),
    ]
    figures = [
        # evacuees in Baghouz on DAY: 300 (a) vs 5000 (b): a contradiction
        figure("a", 0, 300),
        figure("b", 0, 5000),
        # one document disagreeing with itself is no conflict between sources
        figure("c", 0, 10, category="killed", location="Hajin"),
        figure("c", 10, 12, category="killed", location="Hajin"),
        # two sources with the same value agree
        figure("a", 10, 40, category="vehicles", unit="trucks"),
        figure("b", 10, 40, category="vehicles", unit="trucks"),
        # "at least 300" and "350": a difference of precision, bounds overlap
        figure("a", 20, 300, category="displaced", qualifier="at_least", value_low=300),
        figure("d", 0, 350, category="displaced"),
        # no event date: no conflict can be stated
        figure("a", 30, 1, category="injured", event_date=None),
        figure("b", 30, 2, category="injured", event_date=None),
        # not a count, a vehicle count: left out of people_figures
        figure("c", 20, 22, kind="age", category=None, qualifier="exact"),
        figure("c", 30, 3, category="vehicles", unit="buses", location="Hajin"),
    ]
    conn = build(tmp_path / "sample.duckdb", documents, figures)
    yield conn
    conn.close()


def test_views_are_created_in_dependency_order_and_replaceable(sample):
    assert create_views(sample) == list(VIEWS)  # a second time replaces them
    names = {
        row[0]
        for row in sample.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    }
    assert set(VIEWS) <= names


def test_figures_enriched_adds_document_context_to_every_figure(sample):
    frame = sample.execute("SELECT * FROM figures_enriched ORDER BY figure_id").df()
    assert len(frame) == sample.execute("SELECT count(*) FROM figures").fetchone()[0]
    assert list(frame.columns[: len(TABLES["figures"])]) == list(TABLES["figures"])
    assert {"outlet", "title", "published_date", "source_path", "url"} <= set(frame.columns)
    row = frame.set_index("figure_id").loc["b:0"]
    assert (row.outlet, row.title, row.source_path, row.url) == (
        "Reuters",
        "Title b",
        "b.txt",
        "https://example.org/b",
    )


def test_people_figures_keeps_people_counts_only(sample):
    rows = sample.execute("SELECT DISTINCT kind, category FROM people_figures").fetchall()
    assert rows
    assert all(kind == "count" and category in PEOPLE_CATEGORIES for kind, category in rows)
    categories = {category for _, category in rows}
    assert "vehicles" not in categories


def test_figure_summary_counts_and_bounds(sample):
    rows = sample.execute(
        """
        SELECT outlet, n_figures, n_documents, sum_value, min_value, max_value,
               first_event_date, last_published_date
        FROM figure_summary WHERE category = 'evacuees' AND location = 'Baghouz'
        ORDER BY outlet
        """
    ).fetchall()
    assert rows == [
        ("AP", 1, 1, 300, 300, 300, DAY, dt.date(2019, 3, 6)),
        ("Reuters", 1, 1, 5000, 5000, 5000, DAY, dt.date(2019, 3, 6)),
    ]
    killed = sample.execute(
        "SELECT n_figures, sum_value, min_value, max_value FROM figure_summary WHERE category = 'killed'"
    ).fetchall()
    assert killed == [(2, 22, 10, 12)]
    kinds = sample.execute("SELECT count(*) FROM figure_summary WHERE category IS NULL").fetchone()
    assert kinds == (0,)  # the age is not summarised


def test_figure_conflicts_lists_disagreeing_sources_only(sample):
    frame = sample.execute("SELECT * FROM figure_conflicts ORDER BY category").df()
    assert list(frame.category) == ["displaced", "evacuees"]
    evacuees = frame.set_index("category").loc["evacuees"]
    assert (evacuees.location, evacuees.event_date.date()) == ("Baghouz", DAY)
    assert (evacuees.n_documents, evacuees.n_outlets, evacuees.n_values) == (2, 2, 2)
    assert (evacuees.min_value, evacuees.max_value, evacuees.spread) == (300, 5000, 4700)
    assert list(evacuees.reported_values) == [300, 5000]
    assert list(evacuees.outlets) == ["AP", "Reuters"]
    assert list(evacuees.figure_ids) == ["a:0", "b:0"]
    assert not evacuees.bounds_overlap  # 300 and 5,000 cannot both be right
    displaced = frame.set_index("category").loc["displaced"]
    assert displaced.bounds_overlap  # "at least 300" and "350" can
    assert displaced.n_outlets == 1  # document d has no outlet


def test_every_contract_and_view_column_has_a_meaning(sample):
    for table, columns in TABLES.items():
        for column in columns:
            assert meaning_of(table, column), (
                f"add {table}.{column} to pipeline/warehouse/meanings.py"
            )
    for column in {**DOCUMENT_COLUMNS, **FIGURE_COLUMNS}:
        assert meaning_of("figures_enriched", column)
    for view in VIEWS:
        assert view in TABLE_MEANINGS
        columns = sample.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [view]
        ).fetchall()
        assert columns
        for (column,) in columns:
            assert meaning_of(view, column), (view, column)


def test_comment_schema_writes_comments_into_the_database(sample):
    comments = dict(
        sample.execute(
            "SELECT table_name, comment FROM duckdb_tables() UNION ALL "
            "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    )
    for name in [*TABLES, *VIEWS]:
        assert comments[name] == TABLE_MEANINGS[name]
    (figure_value,) = sample.execute(
        "SELECT comment FROM duckdb_columns() WHERE table_name = 'figures' AND column_name = 'value'"
    ).fetchone()
    assert figure_value.startswith("The point figure")
    missing = sample.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND NOT internal AND comment IS NULL "
        "AND table_name IN (SELECT unnest(?))",
        [[*TABLES, *VIEWS]],
    ).fetchall()
    assert missing == []


def test_comment_with_a_quote_is_stored_verbatim(sample):
    # meanings hold apostrophes ("document's"); they must survive the literal quoting
    (comment,) = sample.execute(
        "SELECT comment FROM duckdb_views() WHERE view_name = 'figures_enriched'"
    ).fetchone()
    assert "document's" in comment


def test_published_warehouse_carries_views_and_comments(seeded_run):
    _, _, warehouse = seeded_run
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        views = {
            row[0]
            for row in conn.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        }
        assert set(VIEWS) <= views
        figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        assert figures > 0
        assert conn.execute("SELECT count(*) FROM figures_enriched").fetchone()[0] == figures
        assert conn.execute(
            "SELECT count(*) FROM figures_enriched WHERE outlet IS NULL AND source_path IS NULL"
        ).fetchone() == (0,)
        people = conn.execute("SELECT count(*) FROM people_figures").fetchone()[0]
        assert 0 < people <= figures
        assert (
            conn.execute("SELECT sum(n_figures) FROM figure_summary").fetchone()[0]
            == conn.execute("SELECT count(*) FROM figures WHERE kind = 'count'").fetchone()[0]
        )
        conn.execute("SELECT * FROM figure_conflicts").fetchall()
        (comment,) = conn.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 'figures'"
        ).fetchone()
        assert comment == TABLE_MEANINGS["figures"]


def test_views_are_compared_again_unless_the_run_copied_this_processs_own_file(
    tmp_path, monkeypatch
):
    from conftest import copy_seeds

    import assets.publishing as publishing
    from pipeline.runner import PipelineSession

    compared = []
    monkeypatch.setattr(
        publishing, "ensure_views", lambda conn: compared.append(1) or ensure_views(conn)
    )
    warehouse = tmp_path / "wh" / "figures.duckdb"
    with PipelineSession(copy_seeds(tmp_path / "in"), str(warehouse)) as session:
        assert session.run().success and len(compared) == 1  # a first run compares
        assert session.run().success and len(compared) == 1  # a copy of its own file
        # Another writer drops a view: the file is not the one this process published.
        with duckdb.connect(str(warehouse)) as conn:
            conn.execute("DROP VIEW figure_conflicts")
        assert session.run().success and len(compared) == 2
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (comment,) = conn.execute(
            "SELECT comment FROM duckdb_views() WHERE view_name = 'figure_conflicts'"
        ).fetchone()
    assert comment == TABLE_MEANINGS["figure_conflicts"]
