"""The files published in `exports/`: the per-document tables as Parquet segments, the small
tables, the HXL CSV (read back and validated with libhxl), the optional Hive partitions, the
whole-or-nothing swap, and the incremental export (only the segments whose documents changed
are written, the rest is hard-linked; the result has the rows of a fresh export)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import threading
import time
from pathlib import Path

import duckdb
import hxl
import pytest
from hxl.input import InputOptions

from pipeline.warehouse import export_segments, export_writer
from pipeline.warehouse.export_index import INDEX_FILE
from pipeline.warehouse.export_segments import (
    MAX_SEGMENTS,
    OldSegment,
    plan_segments,
    segment_size,
)
from pipeline.warehouse.exports import (
    EXPORT_FORMAT,
    HXL_COLUMNS,
    HXL_FILE,
    MANIFEST_FILE,
    write_exports,
    write_hxl_csv,
)
from pipeline.warehouse.rows import rows_to_arrow
from pipeline.warehouse.schema import TABLES, drop_staging_tables, ensure_schema
from pipeline.warehouse.views import comment_schema, create_views

LOCAL = InputOptions(allow_local=True)
EXPECTED_TAGS = {
    "category": "#indicator+code",
    "value": "#indicator+value+num",
    "value_low": "#indicator+value+num+min",
    "value_high": "#indicator+value+num+max",
    "location": "#loc+name",
    "location_iso3": "#country+code",
    "event_date": "#date+occurred",
    "published_date": "#date+reported",
    "outlet": "#meta+source",
    "url": "#meta+url",
}
SMALL_TABLES = ("document_rejects", "figure_rejects", "validation_results")


def make_warehouse(path: Path) -> Path:
    documents = [
        {
            "document_id": "d1",
            "source_path": "one.txt",
            "title": "One",
            "outlet": "The Associated Press",
            "published_date": dt.date(2019, 3, 6),
            "text": "Some 300 people fled. Between 20,000 and 30,000 were displaced. He was 22.",
            "status": "ok",
            "url": "https://example.org/one",
        },
        {
            "document_id": "d2",
            "source_path": "two.txt",
            "text": "",
            "status": "rejected",
            "reject_reason": "empty",
        },
    ]
    figures = [
        {
            "figure_id": "d1:0:8",
            "document_id": "d1",
            "start_char": 0,
            "end_char": 8,
            "mention": "Some 300",
            "sentence": "Some 300 people fled.",
            "kind": "count",
            "value": 300,
            "qualifier": "approximate",
            "category": "evacuees",
            "unit": "people",
            "location": "Baghouz",
            "location_iso3": "SYR",
            "event_date": dt.date(2019, 3, 5),
        },
        {
            "figure_id": "d1:22:49",
            "document_id": "d1",
            "start_char": 22,
            "end_char": 49,
            "mention": "Between 20,000 and 30,000",
            "sentence": "Between 20,000 and 30,000 were displaced.",
            "kind": "count",
            "value": 20000,
            "value_low": 20000,
            "value_high": 30000,
            "qualifier": "range",
            "category": "displaced",
        },
        {
            "figure_id": "d1:71:73",
            "document_id": "d1",
            "start_char": 71,
            "end_char": 73,
            "mention": "22",
            "sentence": "He was 22.",
            "kind": "age",
            "value": 22,
            "qualifier": "exact",
        },
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as conn:
        ensure_schema(conn)
        for table, rows in (("documents", documents), ("figures", figures)):
            conn.register("_rows", rows_to_arrow(table, rows))
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
            conn.unregister("_rows")
        create_views(conn)
        comment_schema(conn)
        drop_staging_tables(conn)
    return path


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return make_warehouse(tmp_path / "wh" / "displacement.duckdb")


def scalar(sql: str, params: list | None = None):
    with duckdb.connect() as conn:
        return conn.execute(sql, params or []).fetchone()[0]


def parquet_rows(path: Path | str, *, hive: bool = False) -> int:
    return scalar("SELECT count(*) FROM read_parquet(?, hive_partitioning = ?)", [str(path), hive])


def read_hxl(path: Path):
    return hxl.data(str(path), LOCAL)


def dataset_rows(folder: Path, table: str) -> list[tuple]:
    """Every row of an exported table (a segmented dataset or a single file), sorted."""
    path = folder / f"{table}.parquet"
    pattern = str(path) if path.exists() else f"{folder}/{table}/**/*.parquet"
    with duckdb.connect() as conn:
        return conn.execute(
            "SELECT * FROM read_parquet(?, hive_partitioning = false) ORDER BY ALL", [pattern]
        ).fetchall()


def warehouse_rows(warehouse: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()


def assert_export_matches(warehouse: Path, folder: Path) -> None:
    """Every table's rows, the HXL rows and the manifest agree with the warehouse."""
    for table in TABLES:
        assert dataset_rows(folder, table) == warehouse_rows(warehouse, table), table
    reference = folder.parent / "reference.csv"
    reference_hxl_csv(warehouse, reference)
    header, tags, *expected = read_csv(reference)
    exported_header, exported_tags, *exported = read_csv(folder / HXL_FILE)
    reference.unlink()
    assert (exported_header, exported_tags) == (header, tags)
    assert sorted(exported) == sorted(expected)
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["rows"][HXL_FILE] == len(expected)
    for table in TABLES:
        assert manifest["tables"][table]["rows"] == len(warehouse_rows(warehouse, table))
    listed = {*manifest["rows"], MANIFEST_FILE, INDEX_FILE}
    listed |= {name for segment in manifest["segments"] for name in segment["files"]}
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == listed


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_parquet_datasets_with_the_published_rows(warehouse):
    result = write_exports(warehouse)
    folder = warehouse.parent / "exports"
    assert result.directory == folder
    assert sorted(result.files) == [
        "document_rejects.parquet",
        "documents/part-000001.parquet",
        "figure_rejects.parquet",
        "figures/part-000001.parquet",
        HXL_FILE,
        "validation_results.parquet",
    ]
    assert result.tables == {table: len(warehouse_rows(warehouse, table)) for table in TABLES}
    assert result.tables["figures"] == 3
    with duckdb.connect() as conn:
        columns = conn.execute(
            "DESCRIBE SELECT * FROM read_parquet(?)", [f"{folder}/figures/*.parquet"]
        ).fetchall()
    assert [(name, sql_type) for name, sql_type, *_ in columns] == list(TABLES["figures"].items())
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["rows"] == result.files
    assert manifest["format"] == EXPORT_FORMAT
    assert manifest["tables"]["figures"] == {"path": "figures/*.parquet", "rows": 3}
    assert_export_matches(warehouse, folder)
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_an_empty_warehouse_exports_readable_empty_datasets(tmp_path):
    warehouse = tmp_path / "displacement.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        ensure_schema(conn)
        drop_staging_tables(conn)
    result = write_exports(warehouse)
    assert result.tables == dict.fromkeys(TABLES, 0)
    folder = tmp_path / "exports"
    assert_export_matches(warehouse, folder)
    assert read_csv(folder / HXL_FILE)[0] == [header for header, _, _ in HXL_COLUMNS]
    assert write_exports(warehouse).skipped


def test_hxl_csv_has_a_hashtag_row_and_one_row_per_count_figure(warehouse):
    write_exports(warehouse)
    path = warehouse.parent / "exports" / HXL_FILE
    header, hashtags, *rows = read_csv(path)
    assert header == [name for name, _, _ in HXL_COLUMNS]
    assert all(tag.startswith("#") for tag in hashtags)
    assert len(rows) == 2  # the age is not a figure

    data = read_hxl(path)
    tags = dict(zip(header, (column.display_tag for column in data.columns), strict=True))
    for column, tag in EXPECTED_TAGS.items():
        assert tags[column] == tag
    records = [dict(zip(header, row.values, strict=True)) for row in data]
    first, second = records
    assert (first["category"], first["value"], first["value_low"], first["qualifier"]) == (
        "evacuees",
        "300",
        "",
        "approximate",
    )
    assert (first["location"], first["location_iso3"], first["event_date"]) == (
        "Baghouz",
        "SYR",
        "2019-03-05",
    )
    assert (first["published_date"], first["outlet"], first["url"]) == (
        "2019-03-06",
        "The Associated Press",
        "https://example.org/one",
    )
    assert (second["value"], second["value_low"], second["value_high"], second["qualifier"]) == (
        "20000",
        "20000",
        "30000",
        "range",
    )
    # libhxl selects by hashtag: the values and the dates as a person would ask for them
    assert list(read_hxl(path).get_value_set("#indicator+value+num")) != []
    assert sorted(read_hxl(path).get_value_set("#indicator+code")) == ["displaced", "evacuees"]


def test_hxl_csv_passes_the_default_hxl_schema(warehouse):
    write_exports(warehouse)
    report = hxl.validate(read_hxl(warehouse.parent / "exports" / HXL_FILE))
    assert report["stats"]["error"] == 0, report["issues"]
    assert report["is_valid"]


def test_figures_partitioned_by_ingest_date(warehouse):
    result = write_exports(warehouse, partition_figures_by="ingest_date")
    folder = warehouse.parent / "exports" / "figures"
    partitions = sorted(p.name for p in folder.iterdir())
    assert partitions == [f"ingest_date={dt.date.today().isoformat()}"]  # no ingested_at: today
    total = parquet_rows(f"{folder}/*/*.parquet", hive=True)
    assert total == 3 == result.tables["figures"]
    assert sum(rows for name, rows in result.files.items() if name.startswith("figures/")) == 3
    assert not list(folder.glob("*.parquet"))  # the partitions replace the flat segments
    assert json.loads((folder.parent / MANIFEST_FILE).read_text())["tables"]["figures"] == {
        "path": "figures/*/*.parquet",
        "rows": 3,
    }
    assert_export_matches(warehouse, folder.parent)
    with pytest.raises(ValueError, match="cannot partition"):
        write_exports(warehouse, partition_figures_by="outlet")


def test_a_new_export_replaces_the_folder_whole(warehouse):
    write_exports(warehouse, partition_figures_by="ingest_date")
    folder = warehouse.parent / "exports"
    (folder / "stray.txt").write_text("left by someone")
    write_exports(warehouse)
    assert not list((folder / "figures").glob("ingest_date=*"))  # nothing of the previous one
    assert not (folder / "stray.txt").exists()
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_a_failed_export_leaves_the_previous_one_and_no_temporary_folder(warehouse, monkeypatch):
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = snapshot(folder)

    def broken(conn, target, **_):
        target.write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(export_writer, "write_hxl_fragment", broken)
    with pytest.raises(OSError, match="disk full"):
        write_exports(warehouse, force=True)  # unforced, the unchanged warehouse is skipped
    assert snapshot(folder) == before
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_leftovers_of_a_killed_export_are_removed(warehouse):
    old = warehouse.parent / ".exports.old-deadbeef"
    old.mkdir()
    stale = warehouse.parent / ".exports.tmp-deadbeef"
    stale.mkdir()
    os.utime(stale, (0, 0))
    write_exports(warehouse)
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_a_run_writes_exports_beside_the_warehouse(seeded_run):
    outcome, _, warehouse = seeded_run
    folder = Path(warehouse).parent / "exports"
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        counts = conn.execute("SELECT count(*) FROM figures WHERE kind = 'count'").fetchone()[0]
    assert parquet_rows(f"{folder}/figures/*.parquet") == figures
    for table in SMALL_TABLES:
        assert (folder / f"{table}.parquet").is_file()
    data = read_hxl(folder / HXL_FILE)
    assert sum(1 for _ in data) == counts
    report = hxl.validate(read_hxl(folder / HXL_FILE))
    assert report["stats"]["error"] == 0, report["issues"]
    metadata = outcome.materializations["warehouse_exports"]
    assert metadata["rows_figures"] == figures
    assert metadata["rows_figures_hxl"] == counts
    assert metadata["files_total"] == len(json.loads((folder / MANIFEST_FILE).read_text())["rows"])


def test_the_asset_writes_partitions_when_configured(warehouse):
    import dagster as dg

    from assets.beside_warehouse import reports_beside_warehouse
    from pipeline.resources import FiguresSettings, GreatExpectationsResource

    result = dg.materialize(
        [reports_beside_warehouse],
        selection=["warehouse_exports"],
        resources={
            "settings": FiguresSettings(input_dir="seeds", warehouse=str(warehouse)),
            "gx": GreatExpectationsResource(),
        },
        run_config={
            "ops": {
                "reports_beside_warehouse": {"config": {"partition_figures_by_ingest_date": True}}
            }
        },
    )
    assert result.success
    metadata = result.asset_materializations_for_node("reports_beside_warehouse")[0].metadata
    assert metadata["rows_figures"].value == 3
    assert metadata["rows_figures_hxl"].value == 2
    assert list((warehouse.parent / "exports" / "figures").glob("ingest_date=*/part-*.parquet"))


# --- the HXL CSV is the same file as the one Python's csv module wrote before DuckDB did -----

REFERENCE_SQL = f"""
    SELECT {", ".join(expression for _, _, expression in HXL_COLUMNS)}
    FROM figures AS f LEFT JOIN documents AS d USING (document_id)
    WHERE f.kind = 'count'
    ORDER BY f.document_id, f.start_char, f.end_char
"""


def reference_hxl_csv(warehouse: Path, target: Path) -> None:
    """The previous implementation: every row fetched into Python and written by csv.writer."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(REFERENCE_SQL).fetchall()
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _, _ in HXL_COLUMNS])
        writer.writerow([tag for _, tag, _ in HXL_COLUMNS])
        for row in rows:
            writer.writerow(
                [
                    ""
                    if value is None
                    else value.isoformat()
                    if isinstance(value, dt.date)
                    else str(value)
                    for value in row
                ]
            )


def test_hxl_csv_is_byte_identical_to_the_csv_writer_format_on_the_seeds(seeded_run, tmp_path):
    _, _, warehouse = seeded_run
    exported = Path(warehouse).parent / "exports" / HXL_FILE
    reference_hxl_csv(Path(warehouse), tmp_path / "reference.csv")
    assert exported.read_bytes() == (tmp_path / "reference.csv").read_bytes()
    assert b"\r\n" in exported.read_bytes()


HOSTILE_TEXTS = [
    "",
    " ",
    " leading",
    "trailing ",
    '"',
    'say "hi"',
    "a,b",
    "two\nlines",
    "carriage\rreturn",
    "crlf\r\ninside",
    "#hashtag",
    "# not a comment",
    "NULL",
    "\\N",
    "tab\there",
    "semi;colon",
    "ünïcødé – ≥ 10,000",
    "'single'",
]


def test_hxl_csv_quotes_like_the_csv_module_on_hostile_text(tmp_path):
    warehouse = make_warehouse(tmp_path / "wh" / "displacement.duckdb")
    with duckdb.connect(str(warehouse)) as conn:
        for number, text in enumerate(HOSTILE_TEXTS):
            conn.execute(
                """
                INSERT INTO figures (figure_id, document_id, start_char, end_char, mention, kind,
                    value, value_low, category, location, event_date)
                VALUES (?, 'd1', ?, ?, ?, 'count', ?, ?, ?, ?, ?)
                """,
                [
                    f"h{number}",
                    100 + number,
                    101 + number,
                    text,
                    -number,
                    2**62 + number,
                    text,
                    text or None,
                    dt.date(999 + number, 1, 2),
                ],
            )
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = write_hxl_csv(conn, tmp_path / "streamed.csv")
    reference_hxl_csv(warehouse, tmp_path / "reference.csv")
    assert rows == 2 + len(HOSTILE_TEXTS)
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "reference.csv").read_bytes()
    with (tmp_path / "streamed.csv").open(newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))[2:]
    assert [record[8] for record in records[2:]] == HOSTILE_TEXTS  # location, read back whole
    assert all('"' not in record[3] and "." not in record[3] for record in records)


# --- an unchanged warehouse is not exported again ---------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of the folder: (inode, mtime in ns, bytes)."""
    return {
        path.relative_to(folder).as_posix(): (
            path.stat().st_ino,
            path.stat().st_mtime_ns,
            path.read_bytes(),
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_an_unchanged_warehouse_is_skipped_and_the_files_are_untouched(warehouse):
    first = write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = snapshot(folder)
    time.sleep(0.01)
    second = write_exports(warehouse)
    assert (first.skipped, second.skipped, second.written) == (False, True, ())
    assert second.files == first.files
    assert second.tables == first.tables
    assert snapshot(folder) == before
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_a_republished_copy_with_the_same_content_is_skipped(warehouse, tmp_path):
    """A run publishes a new file (renamed over the old one): what counts is the content."""
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = snapshot(folder)
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, copy)
    os.replace(copy, warehouse)
    assert write_exports(warehouse).skipped
    assert snapshot(folder) == before


def sql(warehouse: Path, *statements: str, params: list | None = None) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        for statement in statements:
            conn.execute(statement, params or [])


def test_a_new_validation_log_rewrites_only_its_file(warehouse):
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = snapshot(folder)
    sql(
        warehouse,
        "INSERT INTO validation_results (run_id, suite, expectation, success) "
        "VALUES ('r2', 'figures', 'expect_column_values_to_not_be_null', true)",
    )
    result = write_exports(warehouse)
    assert (result.skipped, result.written) == (False, ("validation_results.parquet",))
    assert result.changes.segments_written == 0
    assert result.files["validation_results.parquet"] == 1
    after = snapshot(folder)
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"validation_results.parquet", MANIFEST_FILE}  # the rest: same inodes
    assert parquet_rows(folder / "validation_results.parquet") == 1
    assert write_exports(warehouse).skipped


# --- incremental exports: what changed is written, the rest is hard-linked --------------------

DAY_ONE = dt.datetime(2026, 3, 1, 6)
DAY_TWO = dt.datetime(2026, 3, 2, 6)
ADD_DOCUMENTS_SQL = """
    INSERT INTO documents (document_id, source_path, source_file, title, outlet, published_date,
        text, status, pipeline_version, ingested_at)
    SELECT $folder || '-' || lpad(i::VARCHAR, 4, '0'),
           $folder || '/' || lpad(i::VARCHAR, 4, '0') || '.txt',
           $folder || '/' || lpad(i::VARCHAR, 4, '0') || '.txt',
           'Title ' || i, 'AP', DATE '2026-02-01' + CAST(i % 20 AS INTEGER),
           'Some ' || ($value + i) || ' people fled. He was 22.', 'ok', 'v1', $at
    FROM range($first, $last) AS t(i)
"""
ADD_FIGURES_SQL = """
    WITH new AS (
        SELECT $folder || '-' || lpad(i::VARCHAR, 4, '0') AS id, $value + i AS v
        FROM range($first, $last) AS t(i)
    )
    INSERT INTO figures (figure_id, document_id, start_char, end_char, mention, sentence, kind,
        value, qualifier, category, unit, location, location_iso3)
    SELECT id || ':0:' || length('Some ' || v), id, 0, length('Some ' || v), 'Some ' || v,
           'Some ' || v || ' people fled.', 'count', v, 'approximate', 'evacuees', 'people',
           'Sindh, "south"', 'PAK'
    FROM new
    UNION ALL
    SELECT id || ':age', id, 1000, 1002, '22', 'He was 22.', 'age', 22, 'exact', NULL, NULL,
           NULL, NULL
    FROM new
"""


def add_documents(
    warehouse: Path, folder: str, numbers: range, at: dt.datetime, *, value: int = 300
) -> None:
    """Documents `folder/NNNN.txt` (id `folder-NNNN`) with a count figure and an age each, as
    a run that read them at `at` adds them."""
    named = {"folder": folder, "first": numbers.start, "last": numbers.stop, "value": value}
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(ADD_DOCUMENTS_SQL, {**named, "at": at})
        conn.execute(ADD_FIGURES_SQL, named)


def remove_documents(warehouse: Path, condition: str) -> None:
    """Remove documents and their figures, as a run does for files gone from the input."""
    gone = f"SELECT document_id FROM documents WHERE {condition}"
    sql(
        warehouse,
        f"DELETE FROM figures WHERE document_id IN ({gone})",
        f"DELETE FROM documents WHERE document_id IN ({gone})",
    )


def new_warehouse(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as conn:
        ensure_schema(conn)
        drop_staging_tables(conn)
    return path


@pytest.fixture
def small_segments(monkeypatch):
    """Segments of 10 documents (4 per 40 documents), so a few documents show the policy."""
    monkeypatch.setattr(export_segments, "MIN_SEGMENT_DOCUMENTS", 10)
    monkeypatch.setattr(export_segments, "TARGET_SEGMENTS", 4)


@pytest.fixture
def corpus(tmp_path, small_segments) -> Path:
    """40 documents read on day one: a/0000.txt … a/0039.txt."""
    warehouse = new_warehouse(tmp_path / "wh" / "displacement.duckdb")
    add_documents(warehouse, "a", range(40), DAY_ONE)
    return warehouse


def segments_of(folder: Path) -> dict[int, list[str]]:
    """Segment id -> the source paths of its documents, from the exported files."""
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    held = {}
    with duckdb.connect() as conn:
        for segment in manifest["segments"]:
            path = next(n for n in segment["files"] if n.startswith("documents/"))
            held[segment["id"]] = [
                row[0]
                for row in conn.execute(
                    "SELECT source_path FROM read_parquet(?)", [str(folder / path)]
                ).fetchall()
            ]
    return held


def test_segments_hold_documents_in_ingestion_then_path_order(corpus):
    write_exports(corpus)
    held = segments_of(corpus.parent / "exports")
    assert list(held) == [1, 2, 3, 4]
    assert held[2] == [f"a/{n:04d}.txt" for n in range(10, 20)]  # sorted inside, by path
    add_documents(corpus, "0", range(5), DAY_TWO)  # sorts first by path, but read later
    write_exports(corpus)
    assert segments_of(corpus.parent / "exports")[5] == [f"0/{n:04d}.txt" for n in range(5)]


def touch_document(warehouse: Path) -> None:
    """A file read again and found unchanged: the run records its new time in place."""
    sql(
        warehouse,
        "UPDATE documents SET ingested_at = ?, source_mtime_ns = 1 WHERE source_path = 'a/0035.txt'",
        params=[DAY_TWO],
    )


def change_document(warehouse: Path) -> None:
    """A changed file: its rows are replaced by the rows of the new text."""
    remove_documents(warehouse, "source_path = 'a/0025.txt'")
    add_documents(warehouse, "a", range(25, 26), DAY_TWO, value=900)


def quarantine_a_figure(warehouse: Path) -> None:
    sql(
        warehouse,
        "INSERT INTO figure_rejects (figure_id, document_id, kind, run_id) "
        "VALUES ('d9:0:1', 'd9', 'count', 'r1')",
    )


# change, documents added and removed, segments kept as they were, small tables written
INCREMENTAL_CASES = {
    "ten documents added": (
        lambda w: add_documents(w, "b", range(10), DAY_TWO),
        (10, 0),
        {1, 2, 3, 4},
        (),
    ),
    "half a segment removed": (
        lambda w: remove_documents(w, "source_path BETWEEN 'a/0010.txt' AND 'a/0014.txt'"),
        (0, 5),
        {1, 3, 4},
        (),
    ),
    "one document changed": (change_document, (1, 1), {1, 2, 4}, ()),
    "one file touched": (touch_document, (1, 1), {1, 2, 3}, ()),
    "a figure quarantined": (quarantine_a_figure, (0, 0), {1, 2, 3, 4}, ("figure_rejects",)),
    "everything removed": (lambda w: remove_documents(w, "true"), (0, 40), set(), ()),
}


@pytest.mark.parametrize("case", INCREMENTAL_CASES)
def test_an_incremental_export_writes_only_what_changed(corpus, tmp_path, case):
    change, (added, removed), kept, small_written = INCREMENTAL_CASES[case]
    folder = corpus.parent / "exports"
    write_exports(corpus)
    before = snapshot(folder)
    change(corpus)
    result = write_exports(corpus)
    after = snapshot(folder)
    assert (result.changes.documents_added, result.changes.documents_removed) == (added, removed)
    segments = {s["id"]: s for s in json.loads((folder / MANIFEST_FILE).read_text())["segments"]}
    assert {i for i in segments if i <= 4} == kept
    for i in kept:  # kept segments: the very same files (hard links)
        assert all(after[name][:2] == before[name][:2] for name in segments[i]["files"])
    assert all(name not in before for i in segments if i > 4 for name in segments[i]["files"])
    for table in SMALL_TABLES:
        name = f"{table}.parquet"
        assert (after[name][0] == before[name][0]) == (table not in small_written)
    assert {n for n in result.written if not n.startswith(("documents/", "figures/"))} == {
        *(f"{t}.parquet" for t in small_written),
        *([HXL_FILE] if result.changes.segments_written or result.changes.segments_dropped else []),
    }
    assert_export_matches(corpus, folder)
    fresh = write_exports(corpus, exports_dir=tmp_path / "fresh", force=True)
    for table in TABLES:
        assert dataset_rows(folder, table) == dataset_rows(fresh.directory, table)
    assert sorted(read_csv(folder / HXL_FILE)) == sorted(read_csv(fresh.directory / HXL_FILE))
    assert write_exports(corpus).skipped  # and then it is current again


def test_many_small_additions_keep_few_segments_and_each_export_small(corpus):
    folder = corpus.parent / "exports"
    write_exports(corpus)
    for step in range(12):
        add_documents(corpus, f"n{step:02d}", range(3), DAY_TWO + dt.timedelta(hours=step))
        result = write_exports(corpus)
        assert result.changes.documents_added == 3
        written = sum(
            s["documents"]
            for s in json.loads((folder / MANIFEST_FILE).read_text())["segments"]
            if any(name in result.written for name in s["files"])
        )
        assert written <= segment_size(40 + 3 * (step + 1))  # never the whole warehouse
        assert result.changes.segments_kept >= 4  # the day-one segments stay as they are
    assert_export_matches(corpus, folder)
    held = segments_of(folder)
    assert len(held) <= 4 + 4  # 36 new documents in segments of at most 10 (and the old 4)


def test_the_segment_count_stays_under_the_cap(corpus, monkeypatch):
    monkeypatch.setattr(export_segments, "MAX_SEGMENTS", 5)
    folder = corpus.parent / "exports"
    write_exports(corpus)
    for step in range(6):
        add_documents(corpus, f"n{step}", range(10), DAY_TWO + dt.timedelta(hours=step))
        write_exports(corpus)
        assert len(segments_of(folder)) <= 5
    assert_export_matches(corpus, folder)


# --- the plan: sizes, merges, the cap (no warehouse needed) -----------------------------------


def full(ids: range, documents: int) -> list[OldSegment]:
    return [OldSegment(i, documents, documents) for i in ids]


PLAN_CASES = {
    # old segments, new documents -> (segments, kept, written, documents written)
    "fresh export of 100,000 documents": ([], 100_000, (32, 0, 32, 100_000)),
    "nothing changed": (full(range(1, 33), 3125), 0, (32, 32, 0, 0)),
    "1% added beside full segments": (full(range(1, 33), 3125), 1000, (33, 32, 1, 1000)),
    "a small segment takes the new documents": (
        [*full(range(1, 32), 3125), OldSegment(32, 500, 500)],
        1000,
        (32, 31, 1, 1500),
    ),
    "a much larger neighbour is left alone": (
        [*full(range(1, 32), 3125), OldSegment(32, 2500, 2500)],
        100,
        (33, 32, 1, 100),
    ),
    "documents removed from one segment": (
        [*full(range(1, 32), 3125), OldSegment(32, 3125, 3000)],
        0,
        (32, 31, 1, 3000),
    ),
    "an emptied segment is dropped": (
        [*full(range(1, 32), 3125), OldSegment(32, 3125, 0)],
        0,
        (31, 31, 0, 0),
    ),
    "too many segments: the smallest neighbours merge": (
        full(range(1, 71), 10),
        0,
        (MAX_SEGMENTS, MAX_SEGMENTS - 6, 6, 120),
    ),
}


@pytest.mark.parametrize("case", PLAN_CASES)
def test_plan(case):
    old, new, (count, kept, written, documents) = PLAN_CASES[case]
    plan = plan_segments(old, new, next_id=1000)
    assert len(plan.segments) == count
    assert (len(plan.kept), len(plan.written)) == (kept, written)
    assert sum(s.documents for s in plan.written) == documents
    assert sum(s.documents for s in plan.segments) == sum(s.surviving for s in old) + new
    assert [s.id for s in plan.written] == list(range(1000, 1000 + written))  # new names
    assert plan.next_id == 1000 + written
    assert all(s.documents <= segment_size(100_000) for s in plan.written if not s.sources)


def test_plan_cost_follows_the_change_over_many_exports():
    """500 exports each adding 1% and removing a few documents of one segment: the segment
    count stays bounded and the documents written, over all exports, stay a small multiple of
    the documents that changed."""
    segments = [
        OldSegment(s.id, s.documents, s.documents)
        for s in plan_segments([], 100_000, next_id=1).segments
    ]
    changed = written = 0
    for step in range(500):
        new = (sum(s.documents for s in segments) // 100) or 1
        gone = segments[step % len(segments)]
        removed = min(gone.documents, 20)
        old = [
            OldSegment(s.id, s.documents, s.documents - (removed if s is gone else 0))
            for s in segments
        ]
        plan = plan_segments(old, new, next_id=10_000 + step * 100)
        assert len(plan.segments) <= MAX_SEGMENTS
        step_written = sum(s.documents for s in plan.written)
        assert step_written <= new + 3 * segment_size(sum(s.documents for s in plan.segments))
        changed += new + removed
        written += step_written
        segments = [OldSegment(s.id, s.documents, s.documents) for s in plan.segments]
    assert written <= 8 * changed


# --- an export that cannot be updated is rebuilt ----------------------------------------------


def older_format(folder: Path) -> None:
    edit_manifest(folder, lambda m: {**m, "format": EXPORT_FORMAT - 1})


def other_duckdb(folder: Path) -> None:
    edit_manifest(folder, lambda m: {**m, "duckdb": "0.0.1"})


def format_2_export(folder: Path) -> None:
    """What the previous format wrote: one Parquet file per table, a fingerprint."""
    shutil.rmtree(folder)
    folder.mkdir()
    for table in TABLES:
        (folder / f"{table}.parquet").write_bytes(b"PAR1")
    (folder / MANIFEST_FILE).write_text(json.dumps({"rows": {}, "fingerprint": {"format": 2}}))


def edit_manifest(folder: Path, edit) -> None:
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    (folder / MANIFEST_FILE).write_text(json.dumps(edit(manifest)))


REBUILD_CASES = {
    "older format": older_format,
    "format 2 (one file per table)": format_2_export,
    "another DuckDB version": other_duckdb,
    "a data file missing": lambda f: (f / HXL_FILE).unlink(),
    "a fragment missing": lambda f: next((f / ".hxl").iterdir()).unlink(),
    "the index missing": lambda f: (f / INDEX_FILE).unlink(),
    "an unreadable manifest": lambda f: (f / MANIFEST_FILE).write_text("{"),
}


@pytest.mark.parametrize("case", REBUILD_CASES)
def test_an_export_that_cannot_be_updated_is_rebuilt(corpus, case):
    folder = corpus.parent / "exports"
    write_exports(corpus)
    REBUILD_CASES[case](folder)
    before = snapshot(folder)
    result = write_exports(corpus)
    assert not result.skipped and result.changes.segments_kept == 0
    after = snapshot(folder)
    assert not {n for n in after if n in before and after[n][0] == before[n][0]}  # no link
    if case != "format 2 (one file per table)":  # the numbers go on: no name is reused
        assert list(segments_of(folder)) == [5, 6, 7, 8]
    assert_export_matches(corpus, folder)
    assert write_exports(corpus).skipped


def test_a_new_column_rebuilds_the_export(corpus):
    folder = corpus.parent / "exports"
    write_exports(corpus)
    sql(corpus, "ALTER TABLE figures ADD COLUMN confidence DOUBLE DEFAULT 0.5")
    result = write_exports(corpus)
    assert result.changes.segments_kept == 0
    with duckdb.connect() as conn:
        assert conn.execute(
            "SELECT DISTINCT confidence FROM read_parquet(?)", [f"{folder}/figures/*.parquet"]
        ).fetchall() == [(0.5,)]


def test_figures_edited_in_place_by_hand_need_force(corpus):
    """The pipeline never edits a figure without rewriting its document's row; a hand edit
    is not seen by the comparison of versions, and `force=True` exports it."""
    folder = corpus.parent / "exports"
    write_exports(corpus)
    sql(corpus, "UPDATE figures SET value_high = 1 WHERE document_id = 'a-0003' AND kind = 'count'")
    assert write_exports(corpus).skipped
    assert write_exports(corpus, force=True).changes.segments_written == 4
    assert_export_matches(corpus, folder)


def test_a_fresh_export_is_deterministic(corpus, tmp_path):
    add_documents(corpus, "b", range(25), DAY_TWO)
    first = write_exports(corpus, exports_dir=tmp_path / "one")
    second = write_exports(corpus, exports_dir=tmp_path / "two")
    assert first.files == second.files
    one, two = snapshot(first.directory), snapshot(second.directory)
    assert one.keys() == two.keys()
    assert all(one[n][2] == two[n][2] for n in one if n != MANIFEST_FILE)


def test_file_names_are_never_reused_for_other_rows(corpus):
    folder = corpus.parent / "exports"
    seen: dict[str, bytes] = {}
    steps = [
        lambda w: None,
        lambda w: add_documents(w, "b", range(10), DAY_TWO),
        change_document,
        lambda w: remove_documents(w, "source_path LIKE 'b/%'"),
        lambda w: None,
    ]
    for number, step in enumerate(steps):
        step(corpus)
        write_exports(corpus, force=number == len(steps) - 1)
        for name, (_, _, content) in snapshot(folder).items():
            if name.startswith(("documents/", "figures/", ".hxl/")):
                assert seen.setdefault(name, content) == content, name


# --- partitions by ingest date ----------------------------------------------------------------


def test_partitioned_figures_are_updated_incrementally(corpus, tmp_path):
    folder = corpus.parent / "exports"
    write_exports(corpus, partition_figures_by="ingest_date")
    day_one = folder / "figures" / "ingest_date=2026-03-01"
    assert len(list(day_one.iterdir())) == 4  # one file per segment
    before = snapshot(folder)
    add_documents(corpus, "b", range(10), DAY_TWO)
    result = write_exports(corpus, partition_figures_by="ingest_date")
    after = snapshot(folder)
    assert [n for n in result.written if n.startswith("figures/")] == [
        "figures/ingest_date=2026-03-02/part-000005.parquet"
    ]
    assert all(after[n][:2] == before[n][:2] for n in before if n.startswith("figures/"))
    with duckdb.connect() as conn:
        days = conn.execute(
            """
            SELECT ingest_date, count(*) FROM read_parquet(?, hive_partitioning = true)
            GROUP BY 1 ORDER BY 1
            """,
            [f"{folder}/figures/*/*.parquet"],
        ).fetchall()
    assert days == [(dt.date(2026, 3, 1), 80), (dt.date(2026, 3, 2), 20)]
    assert_export_matches(corpus, folder)
    fresh = write_exports(
        corpus, exports_dir=tmp_path / "fresh", partition_figures_by="ingest_date"
    )
    assert dataset_rows(folder, "figures") == dataset_rows(fresh.directory, "figures")
    assert write_exports(corpus).changes.segments_kept == 0  # flat again: rebuilt


# --- readers see the previous export or the new one -------------------------------------------


def test_readers_see_the_old_or_the_new_export_never_a_mix(corpus):
    """Readers in another thread count the rows of a dataset while exports alternate between
    two warehouse states. Every count is one state's: a file listed before a swap and gone
    after may fail a read (a file name never holds other rows), never give a mix. (Two
    datasets read one after the other are two reads: each may see another export.)"""
    folder = corpus.parent / "exports"
    write_exports(corpus)
    states = {"documents": {40, 47}, "figures": {80, 94}}
    observed: dict[str, list[int]] = {table: [] for table in states}
    errors: list[str] = []
    done = threading.Event()

    def read(table: str) -> None:
        with duckdb.connect() as conn:
            while not done.is_set():
                try:
                    observed[table].append(
                        conn.execute(
                            "SELECT count(*) FROM read_parquet(?)", [f"{folder}/{table}/*.parquet"]
                        ).fetchone()[0]
                    )
                except duckdb.IOException as error:
                    errors.append(str(error))

    readers = [threading.Thread(target=read, args=(table,)) for table in states]
    for reader in readers:
        reader.start()
    try:
        for step in range(12):
            if step % 2 == 0:
                add_documents(corpus, "b", range(7), DAY_TWO)
            else:  # and one old document read again: its segment is rewritten too
                remove_documents(corpus, "source_path LIKE 'b/%' OR source_path = 'a/0001.txt'")
                add_documents(corpus, "a", range(1, 2), DAY_ONE)
            write_exports(corpus)
    finally:
        done.set()
        for reader in readers:
            reader.join()
    for table, counts in observed.items():
        assert set(counts) == states[table], table  # both states seen, nothing else
    assert all("No such file" in error for error in errors), errors


# --- the HXL CSV: fragments in segment order --------------------------------------------------


def test_hxl_csv_is_the_fragments_in_segment_order_and_stays_valid(corpus):
    folder = corpus.parent / "exports"
    write_exports(corpus)
    add_documents(corpus, "b", range(10), DAY_TWO)
    change_document(corpus)
    write_exports(corpus)
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    ordered = [
        row
        for segment in manifest["segments"]
        for name in segment["files"]
        if name.endswith(".csv")
        for row in read_csv(folder / name)
    ]
    assert read_csv(folder / HXL_FILE)[2:] == ordered
    for segment in manifest["segments"]:
        (fragment,) = [folder / n for n in segment["files"] if n.endswith(".csv")]
        rows = read_csv(fragment)
        assert rows == sorted(rows, key=lambda row: row[1])  # document_id, then offsets
    data = read_hxl(folder / HXL_FILE)
    assert sorted(data.get_value_set("#loc+name")) == ['Sindh, "south"']
    report = hxl.validate(read_hxl(folder / HXL_FILE))
    assert report["stats"]["error"] == 0, report["issues"]
    assert sum(1 for _ in read_hxl(folder / HXL_FILE)) == 50


# --- the asset, and the memory cap ------------------------------------------------------------


def test_the_asset_reports_an_unchanged_warehouse(warehouse):
    import dagster as dg

    from assets.beside_warehouse import reports_beside_warehouse
    from pipeline.resources import FiguresSettings, GreatExpectationsResource

    resources = {
        "settings": FiguresSettings(input_dir="seeds", warehouse=str(warehouse)),
        "gx": GreatExpectationsResource(),
    }
    runs = [
        dg.materialize(
            [reports_beside_warehouse], selection=["warehouse_exports"], resources=resources
        )
        for _ in "ab"
    ]
    first, second = (
        run.asset_materializations_for_node("reports_beside_warehouse")[0] for run in runs
    )
    assert first.metadata["skipped"].value == "no"
    assert first.metadata["documents_added"].value == 2
    assert first.metadata["files_written"].value == 6
    assert second.metadata["skipped"].value == "unchanged"
    assert second.metadata["files_written"].value == 0
    assert second.metadata["rows_figures"].value == 3
    assert second.metadata["rows_figures_hxl"].value == 2


def test_a_copy_that_runs_out_of_memory_under_the_cap_runs_again_without_it(warehouse, monkeypatch):
    calls = []
    write_fragment = export_writer.write_hxl_fragment

    def short_of_memory_once(conn, target, **options):
        limit = conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        calls.append(limit)
        if len(calls) == 1:
            target.write_text("half")
            raise duckdb.OutOfMemoryException("could not allocate block")
        return write_fragment(conn, target, **options)

    monkeypatch.setattr(export_writer, "write_hxl_fragment", short_of_memory_once)
    result = write_exports(warehouse)
    assert len(calls) == 2 and calls[0] != calls[1]  # capped, then not
    folder = warehouse.parent / "exports"
    reference_hxl_csv(warehouse, warehouse.parent / "reference.csv")
    assert (folder / HXL_FILE).read_bytes() == (warehouse.parent / "reference.csv").read_bytes()
    assert result.files[HXL_FILE] == 2
    assert_export_matches(warehouse, folder)
