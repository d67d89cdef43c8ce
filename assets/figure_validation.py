"""The `validated_figures` asset and its checks: new figures against the `figures` suite."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.figures import staged_figures
from assets.validation import error_rules_result, validate_and_quarantine, warning_rules_result
from pipeline.resources import FiguresSettings, GreatExpectationsResource


@dg.asset(
    deps=[staged_figures],
    group_name="validation",
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-quality"],
)
def validated_figures(
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: DuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    """New figures checked against the `figures` suite, offsets and mentions compared with
    their documents' texts; rows failing an error rule are moved to `figure_rejects`."""
    return validate_and_quarantine("figures", context, settings, duckdb, gx)


@dg.asset_check(asset=validated_figures, blocking=True)
def figures_error_rules(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """The `figures` suite's error rules hold on every figure to be published (blocking)."""
    return error_rules_result("figures", context, duckdb)


# Blocking, so later steps wait for it while it reads the staging database; a WARN result
# never stops them (only ERROR-severity failures of blocking checks do).
@dg.asset_check(asset=validated_figures, blocking=True)
def figures_warning_rules(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """The `figures` suite's warning rules, such as the plausibility ceiling on people figures:
    reported here, the rows stay published."""
    return warning_rules_result("figures", context, duckdb)
