"""Real GX validations of small frames: rows rejected by critical rules, warnings kept,
suite files edited without code changes, table errors, and the Data Docs site."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from pipeline.validation import build_data_docs, open_context, validate_table
from pipeline.validation.context import context_root
from pipeline.validation.suites import EXPECTATIONS_DIR

TODAY = date(2026, 11, 22)
TEXT = "Some 300 militants fled. At least 22 civilians were killed. Between 20 and 30 died."


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    return open_context(tmp_path_factory.mktemp("warehouse") / ".gx")


def _documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "document_id": ["d1", "d2", "d3"],
            "source_path": ["a.txt", "b.txt", "c.bin"],
            "title": [None, None, None],
            "outlet": ["AP", None, None],
            "byline": [None, None, None],
            "dateline": [None, None, None],
            "published_date": [date(2019, 3, 1), date(2030, 1, 1), None],
            "text": [TEXT, TEXT, None],
            "status": ["ok", "ok", "rejected"],
            "reject_reason": [None, None, "binary"],
        }
    )


def _figure(fid: str, start: int, mention: str, **over) -> dict:
    row = {
        "figure_id": fid,
        "document_id": "d1",
        "start_char": start,
        "end_char": start + len(mention),
        "mention": mention,
        "sentence": None,
        "kind": "count",
        "value": 300,
        "value_low": None,
        "value_high": None,
        "qualifier": "exact",
        "category": "fighters",
        "unit": None,
        "location": None,
        "event_date": None,
    }
    row.update(over)
    return row


def _figures() -> pd.DataFrame:
    rows = [
        _figure("good1", 0, "Some 300", qualifier="approximate"),
        _figure("good2", 25, "At least 22", value=22, value_low=22, category="killed"),
        _figure("badrange", 60, "Between 20 and 30", value=30, value_low=30, value_high=20),
        _figure("badcat", 25, "At least 22", value=22, category="aliens"),
        _figure("badmention", 0, "Some 400", value=400),
        _figure("huge", 0, "Some 300", value=5_000_000_000, category="people"),
        _figure("age", 0, "Some 300", kind="age", category=None),
    ]
    frame = pd.DataFrame(rows)
    for col in ("value", "value_low", "value_high"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _validate(frame, context, **kw):
    return validate_table(
        "figures",
        frame,
        documents_text=_documents(),
        run_id="r1",
        today=TODAY,
        context=context,
        **kw,
    )


def _failed(result, fid: str) -> str:
    rows = result.rejected.set_index("figure_id")
    return rows.loc[fid, "failed_rules"]


def test_bad_figures_are_rejected_good_ones_pass(context):
    result = _validate(_figures(), context)
    assert result.table_error is None
    assert set(result.passed["figure_id"]) == {"good1", "good2", "huge", "age"}
    assert set(result.rejected["figure_id"]) == {"badrange", "badcat", "badmention"}
    assert list(result.passed.columns) == list(_figures().columns)
    assert "expect_column_pair_values_a_to_be_greater_than_b(value_high, value_low)" in _failed(
        result, "badrange"
    )
    assert _failed(result, "badcat") == "expect_column_values_to_be_in_set(category)"
    assert _failed(result, "badmention") == (
        "expect_column_values_to_be_in_set(mention_matches_offsets)"
    )
    assert (result.rejected["run_id"] == "r1").all()
    assert set(result.results.columns) >= {
        "run_id",
        "suite",
        "expectation",
        "severity",
        "success",
        "unexpected_count",
        "evaluated_at",
    }


def test_warning_rule_keeps_the_row(context):
    result = _validate(_figures(), context)
    assert "huge" in set(result.passed["figure_id"])
    row = result.results[
        result.results["expectation"].str.startswith(
            "expect_column_values_to_be_between(value) where category IN"
        )
    ].iloc[0]
    assert row["severity"] == "warning"
    assert not row["success"]
    assert row["unexpected_count"] == 1
    assert any("where category IN" in w for w in result.warnings)
    # the ceiling is a run parameter
    relaxed = _validate(_figures(), context, plausibility_ceiling=10_000_000_000)
    assert not relaxed.warnings


def test_documents_rules(context):
    docs = _documents()
    docs.loc[2, "reject_reason"] = None
    docs.loc[1, "text"] = "   "
    result = validate_table("documents", docs, run_id="r1", today=TODAY, context=context)
    assert result.table_error is None
    assert set(result.passed["document_id"]) == {"d1"}
    assert "has_text" in result.rejected.set_index("document_id").loc["d2", "failed_rules"]
    assert "reject_reason" in result.rejected.set_index("document_id").loc["d3", "failed_rules"]
    assert any("published_in_future" in w for w in result.warnings)  # d2: 2030, a warning


def test_edited_suite_changes_the_outcome(context, tmp_path):
    edited = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, edited)
    path = edited / "figures.json"
    suite = json.loads(path.read_text())
    for exp in suite["expectations"]:
        kwargs = exp["kwargs"]
        if exp["type"] == "expect_column_values_to_be_in_set" and kwargs["column"] == "category":
            kwargs["value_set"].append("aliens")
        if kwargs.get("column") == "mention_matches_offsets":
            exp["severity"] = "warning"
        if kwargs.get("column_A") == "value_high" and kwargs.get("column_B") == "value_low":
            exp["meta"]["name"] = "bounds in order"
    path.write_text(json.dumps(suite, indent=2))
    result = _validate(_figures(), context, expectations_dir=edited)
    assert set(result.rejected["figure_id"]) == {"badrange"}
    assert "bounds in order" in _failed(result, "badrange").split("; ")
    assert any("mention_matches_offsets" in w for w in result.warnings)
    # and the repo's files still apply when asked for
    again = _validate(_figures(), context)
    assert set(again.rejected["figure_id"]) == {"badrange", "badcat", "badmention"}


def test_missing_column_is_a_table_error(context):
    result = _validate(_figures().drop(columns=["qualifier"]), context)
    assert result.table_error is not None
    assert "expect_column_to_exist(qualifier)" in result.table_error


def test_data_docs_are_built(context, tmp_path):
    _validate(_figures(), context)
    validate_table("documents", _documents(), run_id="r1", today=TODAY, context=context)
    index = build_data_docs(context, tmp_path / "data_docs")
    assert index == tmp_path / "data_docs" / "index.html"
    html = index.read_text()
    assert "figures" in html and "documents" in html
    # a second build replaces the site in place, and prunes the stored results
    assert build_data_docs(context, tmp_path / "data_docs", keep_results=1).exists()
    stored = list((context_root(context) / "gx" / "uncommitted" / "validations").rglob("*.json"))
    assert len(stored) == 2  # the newest per suite
    pages = list((tmp_path / "data_docs" / "validations").rglob("*.html"))
    assert len(pages) == 2
