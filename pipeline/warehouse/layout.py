"""Where a warehouse's files live: the published database and, beside it, the staging copy a
run builds, the exports, the Data Docs and the Great Expectations project folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Connection strings that are not a local file (MotherDuck, in-memory).
_REMOTE_PREFIXES = ("md:", "motherduck:", ":memory:")


@dataclass(frozen=True)
class WarehouseLayout:
    """Paths derived from one warehouse location (a file path or a DuckDB connection string)."""

    database: str

    @property
    def is_local_file(self) -> bool:
        return not self.database.startswith(_REMOTE_PREFIXES)

    @property
    def published(self) -> Path:
        if not self.is_local_file:
            raise ValueError(f"{self.database!r} is not a local file")
        return Path(self.database)

    @property
    def directory(self) -> Path:
        """The folder that holds everything published beside the warehouse."""
        if self.is_local_file:
            return Path(self.database).resolve().parent
        return Path("warehouse").resolve()

    @property
    def _stem(self) -> str:
        if self.is_local_file:
            return Path(self.database).stem
        return "".join(c if c.isalnum() else "_" for c in self.database).strip("_") or "remote"

    @property
    def staging(self) -> Path:
        """The database a run builds and checks before it is published."""
        return self.directory / ".staging" / f"{self._stem}.duckdb"

    @property
    def run_lock(self) -> Path:
        return self.directory / ".staging" / f"{self._stem}.lock"

    @property
    def exports_dir(self) -> Path:
        return self.directory / "exports"

    @property
    def data_docs_dir(self) -> Path:
        return self.directory / "data_docs"

    @property
    def gx_root(self) -> Path:
        return self.directory / ".gx"
