"""Validation layer: GX 1.x suites kept as files in `expectations/`, run on pandas frames.

Importing this package does not import great_expectations (GX loads on the first
validation), so the CLI stays fast. Typical run:

    context = open_context(warehouse_dir / ".gx")
    docs = validate_table("documents", documents, run_id=run_id, context=context)
    figs = validate_table("figures", figures, documents_text=documents, run_id=run_id,
                          context=context)
    build_data_docs(context, warehouse_dir / "data_docs")
"""

from pipeline.validation.context import open_context, open_ephemeral_context, prune_results
from pipeline.validation.docs import build_data_docs
from pipeline.validation.helpers import HELPER_COLUMNS
from pipeline.validation.suites import EXPECTATIONS_DIR, ID_COLUMNS, SUITE_NAMES, load_suite
from pipeline.validation.validate import TableValidation, validate_table

__all__ = [
    "EXPECTATIONS_DIR",
    "HELPER_COLUMNS",
    "ID_COLUMNS",
    "SUITE_NAMES",
    "TableValidation",
    "build_data_docs",
    "load_suite",
    "open_context",
    "open_ephemeral_context",
    "prune_results",
    "validate_table",
]
