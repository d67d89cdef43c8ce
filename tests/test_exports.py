"""The files published in `exports/`: Parquet per table, the HXL CSV (read back and validated
with libhxl), the optional Hive partitions, and the whole-or-nothing swap."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import hxl
import pytest
from hxl.input import InputOptions

from pipeline.warehouse import exports as exports_module
from pipeline.warehouse.exports import (
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


def test_parquet_per_table_with_the_published_rows(warehouse):
    result = write_exports(warehouse)
    folder = warehouse.parent / "exports"
    assert result.directory == folder
    for table in TABLES:
        assert result.files[f"{table}.parquet"] == parquet_rows(folder / f"{table}.parquet")
    assert result.files["figures.parquet"] == 3
    with duckdb.connect() as conn:
        columns = conn.execute(
            "DESCRIBE SELECT * FROM read_parquet(?)", [str(folder / "figures.parquet")]
        ).fetchall()
    assert [(name, sql_type) for name, sql_type, *_ in columns] == list(TABLES["figures"].items())
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["rows"] == result.files
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_hxl_csv_has_a_hashtag_row_and_one_row_per_count_figure(warehouse):
    write_exports(warehouse)
    path = warehouse.parent / "exports" / HXL_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        header, hashtags, *rows = list(csv.reader(handle))
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
    assert partitions and all(name.startswith("ingest_date=") for name in partitions)
    total = parquet_rows(f"{folder}/*/*.parquet", hive=True)
    assert (
        total
        == 3
        == sum(rows for name, rows in result.files.items() if name.startswith("figures/"))
    )
    assert (warehouse.parent / "exports" / "figures.parquet").exists()  # the flat file stays
    with pytest.raises(ValueError, match="cannot partition"):
        write_exports(warehouse, partition_figures_by="outlet")


def test_a_new_export_replaces_the_folder_whole(warehouse):
    write_exports(warehouse, partition_figures_by="ingest_date")
    folder = warehouse.parent / "exports"
    (folder / "stray.txt").write_text("left by someone")
    write_exports(warehouse)
    assert not (folder / "figures").exists()  # nothing of the previous export survives
    assert not (folder / "stray.txt").exists()
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["displacement.duckdb", "exports"]


def test_a_failed_export_leaves_the_previous_one_and_no_temporary_folder(warehouse, monkeypatch):
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def broken(conn, target):
        target.write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(exports_module, "write_hxl_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_exports(warehouse, force=True)  # unforced, the unchanged warehouse is skipped
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
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
    for table in TABLES:
        assert (folder / f"{table}.parquet").is_file()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        figures = conn.execute("SELECT count(*) FROM figures").fetchone()[0]
        counts = conn.execute("SELECT count(*) FROM figures WHERE kind = 'count'").fetchone()[0]
    assert parquet_rows(folder / "figures.parquet") == figures
    data = read_hxl(folder / HXL_FILE)
    assert sum(1 for _ in data) == counts
    report = hxl.validate(read_hxl(folder / HXL_FILE))
    assert report["stats"]["error"] == 0, report["issues"]
    metadata = outcome.materializations["warehouse_exports"]
    assert metadata["rows_figures"] == figures
    assert metadata["rows_figures_hxl"] == counts
    assert metadata["files_written"] == len(
        json.loads((folder / MANIFEST_FILE).read_text())["rows"]
    )


def test_the_asset_writes_partitions_when_configured(warehouse):
    import dagster as dg

    from assets.exports import warehouse_exports
    from pipeline.resources import FiguresSettings

    result = dg.materialize(
        [warehouse_exports],
        resources={"settings": FiguresSettings(input_dir="seeds", warehouse=str(warehouse))},
        run_config={
            "ops": {"warehouse_exports": {"config": {"partition_figures_by_ingest_date": True}}}
        },
    )
    assert result.success
    metadata = result.asset_materializations_for_node("warehouse_exports")[0].metadata
    assert metadata["rows_figures"].value == 3
    assert metadata["rows_figures_hxl"].value == 2
    assert (warehouse.parent / "exports" / "figures").is_dir()


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
    assert (first.skipped, second.skipped, second.refreshed) == (False, True, ())
    assert second.files == first.files
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


def change_one_value(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("UPDATE figures SET value_high = 30001 WHERE figure_id = 'd1:22:49'")


def add_a_document(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "INSERT INTO documents (document_id, source_path, text, status) "
            "VALUES ('d3', 'three.txt', 'Nothing.', 'ok')"
        )


def quarantine_a_figure(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "INSERT INTO figure_rejects (figure_id, document_id, kind, run_id) "
            "VALUES ('d9:0:1', 'd9', 'count', 'r1')"
        )


@pytest.mark.parametrize("change", [change_one_value, add_a_document, quarantine_a_figure])
def test_a_changed_warehouse_is_exported_again(warehouse, change):
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = snapshot(folder)
    change(warehouse)
    result = write_exports(warehouse)
    assert not result.skipped
    after = snapshot(folder)
    assert after.keys() == before.keys()
    assert all(after[name][:2] != before[name][:2] for name in after)  # every file rewritten
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["rows"] == result.files
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        figures = conn.execute("SELECT * FROM figures ORDER BY figure_id").fetchall()
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        rejects = conn.execute("SELECT count(*) FROM figure_rejects").fetchone()[0]
    with duckdb.connect() as conn:
        exported = conn.execute(
            "SELECT * FROM read_parquet(?) ORDER BY figure_id", [str(folder / "figures.parquet")]
        ).fetchall()
    assert exported == figures
    assert result.files["documents.parquet"] == documents
    assert result.files["figure_rejects.parquet"] == rejects
    assert write_exports(warehouse).skipped  # and then it is current again


def test_a_new_validation_log_refreshes_only_its_file(warehouse):
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    before = snapshot(folder)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "INSERT INTO validation_results (run_id, suite, expectation, success) "
            "VALUES ('r2', 'figures', 'expect_column_values_to_not_be_null', true)"
        )
    result = write_exports(warehouse)
    assert result.skipped
    assert result.refreshed == ("validation_results.parquet",)
    assert result.files["validation_results.parquet"] == 1
    after = snapshot(folder)
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"validation_results.parquet", MANIFEST_FILE}  # the rest: same inodes
    assert parquet_rows(folder / "validation_results.parquet") == 1
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    assert manifest["rows"] == result.files
    assert write_exports(warehouse).refreshed == ()


def test_an_incomplete_or_older_export_is_not_kept(warehouse):
    write_exports(warehouse)
    folder = warehouse.parent / "exports"
    (folder / HXL_FILE).unlink()
    assert not write_exports(warehouse).skipped
    assert (folder / HXL_FILE).is_file()
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["fingerprint"]["format"] -= 1
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert not write_exports(warehouse).skipped
    assert write_exports(warehouse).skipped
    assert not write_exports(warehouse, force=True).skipped
    # partitions asked for where the export has none: exported again, with them
    assert not write_exports(warehouse, partition_figures_by="ingest_date").skipped
    assert (folder / "figures").is_dir()
    assert write_exports(warehouse, partition_figures_by="ingest_date").skipped


def test_the_asset_reports_an_unchanged_warehouse(warehouse):
    import dagster as dg

    from assets.exports import warehouse_exports
    from pipeline.resources import FiguresSettings

    settings = FiguresSettings(input_dir="seeds", warehouse=str(warehouse))
    runs = [dg.materialize([warehouse_exports], resources={"settings": settings}) for _ in "ab"]
    first, second = (run.asset_materializations_for_node("warehouse_exports")[0] for run in runs)
    assert first.metadata["skipped"].value == "no"
    assert second.metadata["skipped"].value == "unchanged"
    assert second.metadata["rows_figures"].value == 3
    assert second.metadata["rows_figures_hxl"].value == 2


def test_a_copy_that_runs_out_of_memory_under_the_cap_runs_again_without_it(warehouse, monkeypatch):
    calls = []

    def short_of_memory_once(conn, target):
        limit = conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        calls.append(limit)
        if len(calls) == 1:
            target.write_text("half")
            raise duckdb.OutOfMemoryException("could not allocate block")
        return write_hxl_csv(conn, target)

    monkeypatch.setattr(exports_module, "write_hxl_csv", short_of_memory_once)
    result = write_exports(warehouse)
    assert len(calls) == 2 and calls[0] != calls[1]  # capped, then not
    folder = warehouse.parent / "exports"
    reference_hxl_csv(warehouse, warehouse.parent / "reference.csv")
    assert (folder / HXL_FILE).read_bytes() == (warehouse.parent / "reference.csv").read_bytes()
    assert result.files[HXL_FILE] == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted([*result.files, MANIFEST_FILE])
