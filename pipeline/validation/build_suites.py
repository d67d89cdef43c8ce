"""Write the initial suite files `expectations/{documents,figures}.json` from the contract.

The committed JSON files are the source of truth at run time; this script only seeds them.
Run `python -m pipeline.validation.build_suites [--out DIR]`. Output is deterministic (no
ids, sorted vocabularies follow the contract order), so re-running it makes no diff unless
the contract changed. It needs no GX import: the JSON is written in GX 1.24's own shape
(`type`, `kwargs`, `meta`, `severity`) and `tests/test_validation_suites.py` checks that GX
loads it back unchanged.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline import contract

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
GX_VERSION = "1.24.1"


def _exp(type_: str, severity: str = "critical", notes: str = "", **kwargs) -> dict:
    meta = {"notes": notes} if notes else {}
    return {"type": type_, "kwargs": kwargs, "meta": meta, "severity": severity}


def _where(column: str, operator: str, parameter) -> dict:
    """A GX 1.x structured row condition (`ComparisonCondition`) as GX serialises it."""
    return {
        "column": {"name": column},
        "operator": operator,
        "parameter": parameter,
        "type": "comparison",
    }


def _suite(name: str, notes: str, expectations: list[dict]) -> dict:
    return {
        "name": name,
        "expectations": expectations,
        "meta": {"great_expectations_version": GX_VERSION},
        "notes": notes,
    }


def documents_suite() -> dict:
    """Rules for the `documents` table."""
    exps = [_exp("expect_column_to_exist", column=c) for c in contract.DOCUMENT_COLUMNS]
    exps += [
        _exp("expect_column_values_to_not_be_null", column="document_id"),
        _exp("expect_column_values_to_be_unique", column="document_id"),
        _exp("expect_column_values_to_not_be_null", column="source_path"),
        _exp("expect_column_values_to_not_be_null", column="status"),
        _exp(
            "expect_column_values_to_be_in_set",
            column="status",
            value_set=list(contract.DOCUMENT_STATUSES),
        ),
        _exp(
            "expect_column_values_to_not_be_null",
            column="reject_reason",
            row_condition=_where("status", "==", "rejected"),
            notes="A rejected document says why.",
        ),
        _exp(
            "expect_column_values_to_be_in_set",
            column="has_text",
            value_set=[True],
            row_condition=_where("status", "==", "ok"),
            notes="Helper column has_text: text is not null and not blank.",
        ),
        _exp(
            "expect_column_values_to_be_in_set",
            "warning",
            column="published_in_future",
            value_set=[False],
            notes="Helper column published_in_future: published_date > the run date.",
        ),
    ]
    return _suite("documents", "Rules for the documents table (FIGURES.md).", exps)


def figures_suite() -> dict:
    """Rules for the `figures` table."""
    exps = [_exp("expect_column_to_exist", column=c) for c in contract.FIGURE_COLUMNS]
    exps += [
        _exp("expect_column_values_to_not_be_null", column="figure_id"),
        _exp("expect_column_values_to_be_unique", column="figure_id"),
    ]
    for column in ("document_id", "start_char", "end_char", "mention", "kind", "value"):
        exps.append(_exp("expect_column_values_to_not_be_null", column=column))
    exps += [
        _exp("expect_column_values_to_not_be_null", column="qualifier"),
        _exp("expect_column_values_to_be_in_set", column="kind", value_set=list(contract.KINDS)),
        _exp(
            "expect_column_values_to_be_in_set",
            column="qualifier",
            value_set=list(contract.QUALIFIERS),
        ),
        _exp(
            "expect_column_values_to_be_in_set",
            column="category",
            value_set=list(contract.CATEGORIES),
            notes="Null categories pass here (allowed for kinds other than count).",
        ),
        _exp(
            "expect_column_values_to_not_be_null",
            column="category",
            row_condition=_where("kind", "==", "count"),
        ),
        _exp("expect_column_values_to_be_between", column="value", min_value=0),
        _exp("expect_column_values_to_be_between", column="value_low", min_value=0),
        _exp(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A="value",
            column_B="value_low",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            notes="value_low <= value",
        ),
        _exp(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A="value_high",
            column_B="value",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            notes="value <= value_high",
        ),
        _exp(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A="value_high",
            column_B="value_low",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            notes="value_low <= value_high",
        ),
        _exp(
            "expect_column_values_to_not_be_null",
            column="value_low",
            row_condition=_where("qualifier", "==", "range"),
            notes="A range has both bounds.",
        ),
        _exp(
            "expect_column_values_to_not_be_null",
            column="value_high",
            row_condition=_where("qualifier", "==", "range"),
            notes="A range has both bounds.",
        ),
        _exp("expect_column_values_to_be_between", column="start_char", min_value=0),
        _exp(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A="end_char",
            column_B="start_char",
            or_equal=False,
            ignore_row_if="either_value_is_missing",
            notes="start_char < end_char",
        ),
        _exp(
            "expect_column_values_to_be_in_set",
            column="offsets_in_document",
            value_set=[True],
            notes="Helper column: the document exists and end_char <= len(text).",
        ),
        _exp(
            "expect_column_values_to_be_in_set",
            column="mention_matches_offsets",
            value_set=[True],
            notes="Helper column: text[start_char:end_char] == mention.",
        ),
        _exp(
            "expect_column_values_to_be_between",
            "warning",
            column="value",
            max_value={"$PARAMETER": "plausibility_ceiling"},
            row_condition=_where("category", "IN", list(contract.PEOPLE_CATEGORIES)),
            notes="People figures above the plausibility ceiling (a run parameter) are "
            "suspicious, not wrong.",
        ),
    ]
    return _suite("figures", "Rules for the figures table (FIGURES.md).", exps)


SUITES = {"documents": documents_suite, "figures": figures_suite}


def write_suites(out_dir: Path = EXPECTATIONS_DIR) -> list[Path]:
    """Write every suite file into `out_dir`; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in SUITES.items():
        path = out_dir / f"{name}.json"
        path.write_text(json.dumps(build(), indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=EXPECTATIONS_DIR)
    args = parser.parse_args(argv)
    for path in write_suites(args.out):
        print(path)


if __name__ == "__main__":
    main()
