"""The `validated_figures` asset and its checks (error rules, blocking; warning rules, reported
by the asset): new figures against the `figures` suite."""

import dagster as dg

from assets.figures import staged_figures
from assets.validation import error_rules_result, validate_and_quarantine, warning_rules_spec
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource


@dg.asset(
    deps=[staged_figures],
    group_name="validation",
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-quality"],
    check_specs=[warning_rules_spec("figures", "validated_figures")],
)
def validated_figures(
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: StagingDuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    """New figures checked against the `figures` suite, offsets and mentions compared with
    their documents' texts; rows failing an error rule are moved to `figure_rejects`."""
    return validate_and_quarantine("figures", context, settings, duckdb, gx, last_of_run=True)


@dg.asset_check(asset=validated_figures, blocking=True)
def figures_error_rules(
    context: dg.AssetCheckExecutionContext, duckdb: StagingDuckDBResource
) -> dg.AssetCheckResult:
    """The `figures` suite's error rules hold on every figure to be published (blocking)."""
    return error_rules_result("figures", context, duckdb)
