"""`reports_beside_warehouse`: the Data Docs and the exports, written side by side once the
warehouse is published. Two assets from one step, so that the in-process run uses both cores:
the GX worker builds the Data Docs while this process writes the exports."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import dagster as dg

from assets.exports import WAREHOUSE_EXPORTS, ExportConfig, materialize_exports
from assets.publishing import DATA_DOCS, data_docs_builder
from pipeline.resources import FiguresSettings, GreatExpectationsResource


@dg.multi_asset(specs=[DATA_DOCS, WAREHOUSE_EXPORTS], can_subset=True)
def reports_beside_warehouse(
    context: dg.AssetExecutionContext,
    config: ExportConfig,
    settings: FiguresSettings,
    gx: GreatExpectationsResource,
) -> Iterator[dg.MaterializeResult]:
    """The selected ones of `data_docs` and `warehouse_exports`, at the same time: the Data
    Docs build waits on the GX worker on a thread, the exports are written here."""
    selected = context.selected_asset_keys
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="data-docs") as pool:
        docs = None
        if DATA_DOCS.key in selected:
            docs = pool.submit(data_docs_builder(context, settings, gx))
        if WAREHOUSE_EXPORTS.key in selected:
            yield materialize_exports(context, config, settings)
        if docs is not None:
            yield docs.result()
