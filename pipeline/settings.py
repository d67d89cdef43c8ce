"""Where the pipeline reads and writes by default: the environment variables shared by
`figures run`, `dagster dev`, the schedule and the sensor."""

from __future__ import annotations

import os
from pathlib import Path

INPUT_DIR_ENV = "FIGURES_INPUT_DIR"
WAREHOUSE_ENV = "FIGURES_WAREHOUSE"
EXPECTATIONS_ENV = "FIGURES_EXPECTATIONS_DIR"
DEFAULT_INPUT_DIR = "seeds"
DEFAULT_WAREHOUSE = "warehouse/displacement.duckdb"
PROJECT_EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"
DEFAULT_MAX_DOCUMENT_BYTES = 10_000_000
DEFAULT_PLAUSIBILITY_CEILING = 1_000_000_000
DEFAULT_DEBOUNCE_MS = 1_000  # `figures watch` runs once the input folder is quiet this long


def input_dir_from_env() -> Path:
    """The input folder: `$FIGURES_INPUT_DIR`, else `seeds/`."""
    return Path(os.environ.get(INPUT_DIR_ENV) or DEFAULT_INPUT_DIR)


def warehouse_from_env() -> str:
    """The warehouse: `$FIGURES_WAREHOUSE`, else `warehouse/displacement.duckdb`."""
    return os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE


def expectations_dir_from_env() -> Path:
    """The folder of Great Expectations suites: `$FIGURES_EXPECTATIONS_DIR`, else the
    project's `expectations/`."""
    return Path(os.environ.get(EXPECTATIONS_ENV) or PROJECT_EXPECTATIONS_DIR)
