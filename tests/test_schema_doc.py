"""`docs/schema.md` is generated from the warehouse a run publishes, and kept in sync."""

from __future__ import annotations

from conftest import PROJECT
from test_exports import make_warehouse

from pipeline.warehouse.meanings import TABLE_MEANINGS
from pipeline.warehouse.schema import TABLES
from pipeline.warehouse.schema_doc import main, schema_markdown
from pipeline.warehouse.views import VIEWS

COMMITTED = PROJECT / "docs" / "schema.md"
REGENERATE = (
    "docs/schema.md is out of date: rebuild a warehouse from the seeds (figures run --warehouse "
    "/tmp/wh/displacement.duckdb) and run python -m pipeline.warehouse.schema_doc "
    "--warehouse /tmp/wh/displacement.duckdb --output docs/schema.md"
)


def test_committed_schema_doc_matches_the_warehouse_built_from_the_seeds(seeded_run):
    _, _, warehouse = seeded_run
    assert COMMITTED.read_text(encoding="utf-8") == schema_markdown(warehouse), REGENERATE


def test_schema_doc_lists_every_table_and_view_with_types_and_meanings(tmp_path):
    text = schema_markdown(make_warehouse(tmp_path / "displacement.duckdb"))
    for name in [*TABLES, *VIEWS]:
        assert f"### `{name}`" in text
        assert TABLE_MEANINGS[name] in text
    assert "| value | BIGINT | The point figure" in text
    assert "| reported_values | BIGINT[] |" in text
    assert (
        text.index("### `documents`")
        < text.index("## Views")
        < text.index("### `figures_enriched`")
    )


def test_the_command_writes_and_checks_the_file(tmp_path, capsys):
    warehouse = make_warehouse(tmp_path / "displacement.duckdb")
    output = tmp_path / "docs" / "schema.md"
    assert main(["--warehouse", str(warehouse), "--check", "--output", str(output)]) == 1
    assert main(["--warehouse", str(warehouse), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == schema_markdown(warehouse)
    assert main(["--warehouse", str(warehouse), "--check", "--output", str(output)]) == 0
    capsys.readouterr()
    assert main(["--warehouse", str(warehouse), "--output", "-"]) == 0
    assert capsys.readouterr().out == schema_markdown(warehouse)
