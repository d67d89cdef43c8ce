"""The `validated_documents` asset and its checks: new documents against the `documents` suite."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.documents import staged_documents
from assets.validation import error_rules_result, validate_and_quarantine, warning_rules_result
from pipeline.resources import FiguresSettings, GreatExpectationsResource


@dg.asset(
    deps=[staged_documents],
    group_name="validation",
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-quality"],
)
def validated_documents(
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: DuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    """New documents checked against the `documents` suite; rows failing an error rule are
    moved to `document_rejects` with the rules they failed, and every result is logged in
    `validation_results`."""
    return validate_and_quarantine("documents", context, settings, duckdb, gx)


@dg.asset_check(asset=validated_documents, blocking=True)
def documents_error_rules(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """The `documents` suite's error rules hold on every document to be published. Blocking:
    a failure (such as a missing column) stops the run before anything is published."""
    return error_rules_result("documents", context, duckdb)


# Blocking, so later steps wait for it while it reads the staging database; a WARN result
# never stops them (only ERROR-severity failures of blocking checks do).
@dg.asset_check(asset=validated_documents, blocking=True)
def documents_warning_rules(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """The `documents` suite's warning rules: reported here, the rows stay published."""
    return warning_rules_result("documents", context, duckdb)
