"""The `validated_figures` asset and the checks it reports (error rules, blocking; warning
rules): new figures against the `figures` suite."""

import dagster as dg

from assets.figures import staged_figures
from assets.validation import validate_and_quarantine, validation_check_specs
from pipeline.resources import FiguresSettings, GreatExpectationsResource, StagingDuckDBResource


@dg.asset(
    deps=[staged_figures],
    group_name="validation",
    kinds={"great_expectations", "duckdb"},
    owners=["team:data-quality"],
    check_specs=validation_check_specs("figures", "validated_figures"),
)
def validated_figures(
    context: dg.AssetExecutionContext,
    settings: FiguresSettings,
    duckdb: StagingDuckDBResource,
    gx: GreatExpectationsResource,
) -> dg.MaterializeResult:
    """New figures checked against the `figures` suite, offsets and mentions compared with
    their documents' texts; rows failing an error rule are moved to `figure_rejects`. Its
    checks: `figures_error_rules` (blocking) and `figures_warning_rules`."""
    return validate_and_quarantine("figures", context, settings, duckdb, gx, last_of_run=True)
