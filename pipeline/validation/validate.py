"""Run one suite on one table frame and split the rows into passed and rejected.

Two GX passes: the suite runs once with result format BASIC (stored, so Data Docs show it);
only if critical row rules failed, those expectations run again with COMPLETE and
`unexpected_index_column_names=["_row"]` (the row position, set as the frame's named index),
so per-row failures come from GX itself, never from re-implemented rules. Severity is read
from each expectation in the suite file: a failed `critical` rule rejects the rows it names,
or, when it names no rows (a missing column, a table-level rule) or raised an exception, sets
`table_error`; `warning` and `info` failures are reported and the rows stay.

Each pass is one GX validator call inside `speedups.memoised()`, which spares GX rebuilding
the same expectation objects and filtered frames for every metric.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipeline.validation.helpers import ROW_COLUMN, with_helpers
from pipeline.validation.suites import (
    expectation_label,
    read_suite_dict,
    suite_columns,
)

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext

RESULT_COLUMNS = (
    "run_id",
    "suite",
    "expectation",
    "severity",
    "success",
    "unexpected_count",
    "exception",
    "evaluated_at",
)
STORED_LIST_LIMIT = 200  # unexpected lists longer than this are cut in the stored result


@dataclass
class TableValidation:
    """The outcome of validating one table."""

    table: str
    run_id: str
    passed: pd.DataFrame  # rows failing no critical rule, original columns only
    rejected: pd.DataFrame  # original columns + failed_rules + run_id
    results: pd.DataFrame  # one row per expectation (RESULT_COLUMNS)
    table_error: str | None = None  # set: publish nothing from this table
    warnings: list[str] = field(default_factory=list)  # "label: n rows" per failed non-critical
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No table error and no rejected rows."""
        return self.table_error is None and self.rejected.empty

    def summary(self) -> dict[str, Any]:
        """Small JSON-able summary, e.g. for Dagster check metadata."""
        failed = self.results[~self.results["success"].astype(bool)]
        return {
            "table": self.table,
            "run_id": self.run_id,
            "passed_rows": len(self.passed),
            "rejected_rows": len(self.rejected),
            "table_error": self.table_error,
            "failed_expectations": failed["expectation"].tolist(),
            "warnings": list(self.warnings),
            "seconds": round(self.seconds, 3),
        }


def _default_context() -> AbstractDataContext:
    from pipeline.validation.context import open_ephemeral_context

    return open_ephemeral_context()


def _rows_of(result: dict[str, Any]) -> list[int] | None:
    """Row positions GX reports as unexpected (`exclude_unexpected_values` shape:
    `[{"_row": [positions]}]`); None when the expectation names no rows."""
    index_list = result.get("unexpected_index_list")
    if index_list is None:
        return None
    rows: list[int] = []
    for item in index_list:
        value = item.get(ROW_COLUMN) if isinstance(item, dict) else item
        if isinstance(value, (list, tuple)):
            rows.extend(int(v) for v in value)
        elif value is not None:
            rows.append(int(value))
    return rows


def _exception_text(info: Any) -> str | None:
    if not info:
        return None
    infos = [info] if "raised_exception" in info else list(info.values())
    for item in infos:
        if isinstance(item, dict) and item.get("raised_exception"):
            return str(item.get("exception_message") or "exception")
    return None


def _cut(value: Any) -> tuple[Any, bool]:
    """`value` with every list longer than STORED_LIST_LIMIT cut; and whether anything was."""
    if isinstance(value, list):
        if len(value) > STORED_LIST_LIMIT:
            return value[:STORED_LIST_LIMIT], True
        pairs = [_cut(v) for v in value]
        return [p[0] for p in pairs], any(p[1] for p in pairs)
    if isinstance(value, dict):
        pairs = {k: _cut(v) for k, v in value.items()}
        return {k: p[0] for k, p in pairs.items()}, any(p[1] for p in pairs.values())
    return value, False


def _trim(result: Any) -> None:
    """Cut long unexpected lists in `result`, so stored results and Data Docs stay small when
    many rows fail (call after the rows were read from `result`)."""
    for r in result.results:
        for name, value in list(r.result.items()):
            if isinstance(value, (list, dict)):
                r.result[name], _ = _cut(value)


def _store(context: AbstractDataContext, key: Any, result: Any) -> None:
    """Store pass 1's `result` under `key` (trimmed) for Data Docs, and prune old results so
    the store stays bounded even if docs are never built."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    from pipeline.validation.context import context_root, file_lock, prune_results

    _trim(result)
    context.validation_results_store.store_validation_results(
        suite_validation_result=result,
        suite_validation_result_identifier=key,
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
    )
    with file_lock(context_root(context)), contextlib.suppress(Exception):
        prune_results(context)


def _run_suite(
    vd: Any,
    subset: pd.DataFrame,
    parameters: dict[str, Any],
    run_identifier: Any,
) -> tuple[Any, Any]:
    """Pass 1: validate `subset` with the suite of `vd`, as `vd.run` does but without reading
    the stored definition back to check it is current (this process registered it from the
    suite file). Return the result and the key `_store` stores it under."""
    from great_expectations.constants import DATAFRAME_REPLACEMENT_STR
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )
    from great_expectations.validator.v1_validator import Validator

    from pipeline.validation.speedups import memoised

    validator = Validator(
        batch_definition=vd.batch_definition,
        batch_parameters={"dataframe": subset},
        result_format={"result_format": "BASIC", "partial_unexpected_count": 20},
    )
    with memoised():
        result = validator.validate_expectation_suite(vd.suite, parameters)
    result.meta["validation_id"] = vd.id
    result.meta["checkpoint_id"] = None
    result.meta["run_id"] = run_identifier
    result.meta["validation_time"] = run_identifier.run_time
    result.meta["batch_parameters"] = {"dataframe": DATAFRAME_REPLACEMENT_STR}
    key = ValidationResultIdentifier(
        batch_identifier=validator.active_batch_id,
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=vd.suite.name),
        run_id=run_identifier,
    )
    return result, key


def _failed_rows(vd, subset: pd.DataFrame, configs: list, parameters: dict) -> dict[int, list]:
    """Pass 2, not stored: re-run only the failed critical expectations with result format
    COMPLETE to get every unexpected row position from GX; map position -> rule labels."""
    import great_expectations as gx

    from pipeline.validation.speedups import memoised

    expectations = []
    for cfg in configs:
        expectation = cfg.to_domain_obj()
        expectation.id = None
        expectations.append(expectation)
    suite = gx.ExpectationSuite(name=f"{vd.suite.name}_rows", expectations=expectations)
    batch = vd.batch_definition.get_batch(batch_parameters={"dataframe": subset})
    with memoised():
        result = batch.validate(
            suite,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW_COLUMN],
                "exclude_unexpected_values": True,
                "return_unexpected_index_query": False,
            },
            expectation_parameters=parameters,
        )
    failed: dict[int, list[str]] = {}
    for r in result.results:
        cfg = r.expectation_config
        label = expectation_label(cfg.type, cfg.kwargs, cfg.meta)
        exception = _exception_text(r.exception_info)
        rows = _rows_of(r.result)
        if exception or rows is None:
            raise RuntimeError(f"{label}: {exception or 'no unexpected rows reported'}")
        for row in rows:
            failed.setdefault(row, []).append(label)
    return failed


def validate_table(
    table: str,
    frame: pd.DataFrame,
    *,
    documents_text: pd.DataFrame | None = None,
    run_id: str,
    plausibility_ceiling: int = 1_000_000_000,
    today: dt.date | None = None,
    context: AbstractDataContext | None = None,
    expectations_dir: Path | None = None,
    store_later: Callable[[Callable[[], None]], None] | None = None,
) -> TableValidation:
    """Validate `frame` (the `table` rows) against `<expectations_dir>/<table>.json`.

    `documents_text` (columns document_id, text) is required for `figures`. `today` is the
    run date for "not in the future" (default: today, UTC). `plausibility_ceiling` fills the
    suite parameter `plausibility_ceiling`. `context` comes from `open_context(root)`;
    without one an in-memory context is used (nothing stored, no Data Docs).

    The result is stored in the context (for Data Docs) before this returns, or, given
    `store_later`, handed to it as a callable that stores it: the validation worker replies
    first and stores while the caller goes on.
    """
    from pipeline.validation.context import import_gx, validation_definition

    started = dt.datetime.now(dt.UTC)
    today = today or started.date()
    suite_dict = read_suite_dict(table, expectations_dir)
    checked = with_helpers(table, frame, documents_text=documents_text, today=today)
    wanted = [c for c in suite_columns(suite_dict) if c in checked.columns]
    # The row position is the frame's named index: GX then reports unexpected rows as one
    # list of positions (fast), instead of one dict per row built with .at (slow).
    subset = checked[list(dict.fromkeys([*wanted, ROW_COLUMN]))].set_index(ROW_COLUMN)

    import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    context = context or _default_context()
    vd = validation_definition(context, table, expectations_dir)
    run_identifier = RunIdentifier(run_name=run_id, run_time=started)
    parameters = {
        "plausibility_ceiling": plausibility_ceiling,
        "today": today.isoformat(),
        "run_id": run_id,
    }
    table_errors: list[str] = []
    try:
        # Pass 1, stored (Data Docs show it): counts and a sample of unexpected values.
        result, key = _run_suite(vd, subset, parameters, run_identifier)
    except Exception as exc:  # noqa: BLE001 - any GX failure means the table can't be trusted
        result = key = None
        table_errors.append(f"validation raised {type(exc).__name__}: {exc}")

    evaluated_at = pd.Timestamp(dt.datetime.now(dt.UTC))
    records: list[dict[str, Any]] = []
    row_rules = []  # failed critical row-level expectations: pass 2 names their rows
    warnings: list[str] = []
    for r in result.results if result is not None else []:
        cfg = r.expectation_config
        label = expectation_label(cfg.type, cfg.kwargs, cfg.meta)
        severity = getattr(cfg.severity, "value", str(cfg.severity))
        exception = _exception_text(r.exception_info)
        count = r.result.get("unexpected_count")
        records.append(
            {
                "expectation": label,
                "severity": severity,
                "success": bool(r.success),
                "unexpected_count": count,
                "exception": exception,
            }
        )
        if exception:
            table_errors.append(f"{label}: {exception}")
        elif r.success:
            continue
        elif severity != "critical":
            warnings.append(f"{label}: {count} rows" if count is not None else f"{label} failed")
        elif count is None:
            table_errors.append(f"{label} failed")
        else:
            row_rules.append(cfg)
    failed_by_row: dict[int, list[str]] = {}
    if row_rules:  # also under a table error, so `rejected` still shows the bad rows
        try:
            failed_by_row = _failed_rows(vd, subset, row_rules, parameters)
        except Exception as exc:  # noqa: BLE001
            table_errors.append(f"row pass raised {type(exc).__name__}: {exc}")
    if result is not None:
        store = partial(_store, context, key, result)
        if store_later is None:
            store()
        else:
            store_later(store)

    results = pd.DataFrame.from_records(
        records, columns=["expectation", "severity", "success", "unexpected_count", "exception"]
    )
    results.insert(0, "run_id", run_id)
    results.insert(1, "suite", table)
    results["unexpected_count"] = results["unexpected_count"].astype("Int64")
    results["evaluated_at"] = evaluated_at
    results = results[list(RESULT_COLUMNS)]

    original = frame.reset_index(drop=True)
    bad = pd.Series(False, index=original.index)
    bad.iloc[sorted(failed_by_row)] = True
    rejected = original[bad.to_numpy()].copy()
    rejected["failed_rules"] = ["; ".join(failed_by_row[i]) for i in rejected.index]
    rejected["run_id"] = run_id
    passed = original[~bad.to_numpy()]
    return TableValidation(
        table=table,
        run_id=run_id,
        passed=passed.reset_index(drop=True),
        rejected=rejected.reset_index(drop=True),
        results=results,
        table_error="; ".join(table_errors) or None,
        warnings=warnings,
        seconds=(dt.datetime.now(dt.UTC) - started).total_seconds(),
    )
