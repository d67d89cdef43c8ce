"""The version of the code that turns files into rows: a hash of the ingestion and extraction
sources. Rows made by other code are processed again, so a rule change reaches old files."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_PROCESSING_PACKAGES = ("ingestion", "extraction")


@lru_cache(maxsize=1)
def processing_version() -> str:
    """12 hex digits that change whenever a source file of ingestion or extraction changes."""
    digest = hashlib.sha256()
    for package in _PROCESSING_PACKAGES:
        for path in sorted((_PACKAGE / package).rglob("*.py")):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
