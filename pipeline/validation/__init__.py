"""Validation layer: GX 1.x suites kept as files in `expectations/`, run on pandas frames.

Importing this package imports neither great_expectations nor pandas: the names below load
their module on first use (PEP 562), so `figures run` can start the validation worker before
anything heavy is imported. Typical run:

    context = open_context(warehouse_dir / ".gx")
    docs = validate_table("documents", documents, run_id=run_id, context=context)
    figs = validate_table("figures", figures, documents_text=documents, run_id=run_id,
                          context=context)
    build_data_docs(context, warehouse_dir / "data_docs")
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> the submodule that defines it
_EXPORTS: dict[str, str] = {
    "EXPECTATIONS_DIR": "suites",
    "HELPER_COLUMNS": "helpers",
    "ID_COLUMNS": "suites",
    "SUITE_NAMES": "suites",
    "TableValidation": "validate",
    "build_data_docs": "docs",
    "load_suite": "suites",
    "open_context": "context",
    "open_ephemeral_context": "context",
    "prune_results": "context",
    "validate_table": "validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
