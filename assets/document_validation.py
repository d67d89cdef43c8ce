"""The `validated_documents` asset and its checks (error rules, blocking; warning rules, reported
by the asset): new documents against the `documents` suite."""

import dagster as dg

from assets.documents import staged_documents
from assets.validation import error_rules_result, validate_and_quarantine, warning_rules_spec
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource


@dg.asset(
    deps=[staged_documents],
    group_name="validation",
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-quality"],
    check_specs=[warning_rules_spec("documents", "validated_documents")],
)
def validated_documents(
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: StagingDuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    """New documents checked against the `documents` suite; rows failing an error rule are
    moved to `document_rejects` with the rules they failed, and every result is logged in
    `validation_results`."""
    return validate_and_quarantine("documents", context, settings, duckdb, gx)


@dg.asset_check(asset=validated_documents, blocking=True)
def documents_error_rules(
    context: dg.AssetCheckExecutionContext, duckdb: StagingDuckDBResource
) -> dg.AssetCheckResult:
    """The `documents` suite's error rules hold on every document to be published. Blocking:
    a failure (such as a missing column) stops the run before anything is published."""
    return error_rules_result("documents", context, duckdb)
