"""The files published in `exports/`: Parquet per table, the HXL CSV (read back and validated
with libhxl), the optional Hive partitions, and the whole-or-nothing swap."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import hxl
import pytest
from hxl.input import InputOptions

from pipeline.warehouse import exports as exports_module
from pipeline.warehouse.exports import HXL_COLUMNS, HXL_FILE, MANIFEST_FILE, write_exports
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
        write_exports(warehouse)
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
