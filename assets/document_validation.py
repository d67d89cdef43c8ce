"""The `validated_documents` asset and the checks it reports (error rules, blocking; warning
rules): new documents against the `documents` suite."""

import dagster as dg

from assets.documents import staged_documents
from assets.validation import validate_and_quarantine, validation_check_specs
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource


@dg.asset(
    deps=[staged_documents],
    group_name="validation",
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-quality"],
    check_specs=validation_check_specs("documents", "validated_documents"),
)
def validated_documents(
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: StagingDuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    """New documents checked against the `documents` suite; rows failing an error rule are
    moved to `document_rejects` with the rules they failed, and every result is logged in
    `validation_results`. Its checks: `documents_error_rules` (blocking) and
    `documents_warning_rules`."""
    return validate_and_quarantine("documents", context, settings, duckdb, gx)
