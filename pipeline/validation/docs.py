"""Build the GX Data Docs HTML site for the stored validation results, once per run.

Every `validate_table` call on a file context stores its result in the context's validation
results store (`<root>/gx/uncommitted/validations/`). `build_data_docs(context, target_dir)`
prunes that store to the newest results per suite, points a site named `pipeline` at a
staging folder beside `target_dir`, builds it with `context.build_data_docs`, and swaps the
staging folder into `target_dir`, so readers never see a half-built site.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.validation.context import (
    KEEP_RESULTS_PER_SUITE,
    context_root,
    file_lock,
    prune_results,
)

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext

SITE_NAME = "pipeline"


def _site_config(base_directory: Path) -> dict:
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(base_directory),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }


def build_data_docs(
    context: AbstractDataContext,
    target_dir: Path,
    *,
    keep_results: int = KEEP_RESULTS_PER_SUITE,
) -> Path:
    """Write the Data Docs site into `target_dir`; return the path of its index.html."""
    target_dir = Path(target_dir).resolve()
    staging = target_dir.with_name(f".{target_dir.name}.building")
    with file_lock(context_root(context)):
        prune_results(context, keep_results)
        shutil.rmtree(staging, ignore_errors=True)
        config = _site_config(staging)
        sites = context.variables.data_docs_sites or {}
        if sites.get(SITE_NAME) != config:
            if SITE_NAME in sites:
                context.update_data_docs_site(SITE_NAME, config)
            else:
                context.add_data_docs_site(SITE_NAME, config)
        context.build_data_docs(site_names=[SITE_NAME])
    old = target_dir.with_name(f".{target_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target_dir.exists():
        target_dir.rename(old)
    staging.rename(target_dir)
    shutil.rmtree(old, ignore_errors=True)
    return target_dir / "index.html"
