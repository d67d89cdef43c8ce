"""Data shapes of the ingestion layer: a discovered file, an ingested document row, the
"unchanged since last run" marker, and the reader output every format reduces to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

STATUS_OK = "ok"
STATUS_REJECTED = "rejected"


@dataclass(frozen=True)
class SourceFile:
    """One entry found under the input folder.

    `relative_path` is the POSIX path relative to the input folder (the future `source_path`).
    `sidecar` is the `NAME.meta.json` beside a text, if any. `problem` is set when the entry
    cannot be read as a document (symlink outside the folder, loop, orphan sidecar ...): it
    becomes the reject reason, so nothing is skipped silently.
    """

    relative_path: str
    path: Path
    size: int
    sidecar: Path | None = None
    problem: str | None = None


@dataclass
class IngestedDocument:
    """One row of the `documents` table (plus a few extra columns)."""

    document_id: str
    source_path: str
    title: str | None
    outlet: str | None
    byline: str | None
    dateline: str | None
    published_date: date | None
    url: str | None
    text: str | None
    status: str  # "ok" | "rejected"
    reject_reason: str | None
    source_fingerprint: str
    encoding: str | None
    # The file the row came from (differs from source_path for "file.jsonl#N" records).
    source_file: str = ""

    def as_row(self) -> dict:
        """Columns in contract order, then the extra columns."""
        return {
            "document_id": self.document_id,
            "source_path": self.source_path,
            "title": self.title,
            "outlet": self.outlet,
            "byline": self.byline,
            "dateline": self.dateline,
            "published_date": self.published_date,
            "text": self.text,
            "status": self.status,
            "reject_reason": self.reject_reason,
            "url": self.url,
            "source_fingerprint": self.source_fingerprint,
            "encoding": self.encoding,
            "source_file": self.source_file or self.source_path,
        }


@dataclass(frozen=True)
class UnchangedFile:
    """Marker: the file's fingerprint equals the one from the last run; it was not parsed.

    `source_path` is the file's relative path (for a multi-record file, without "#N"): the
    caller keeps every earlier row whose `source_file` equals it.
    """

    source_path: str
    fingerprint: str

    @property
    def source_file(self) -> str:
        """Same as `source_path` (named like `IngestedDocument.source_file`)."""
        return self.source_path


@dataclass
class RawRecord:
    """What a format reader produces for one record: the decoded (not yet normalized) text and
    the metadata the format itself carries, or the reason the record cannot be used."""

    text: str | None
    meta: dict = field(default_factory=dict)
    reject_reason: str | None = None
    encoding: str | None = None
    # 1-based record number for multi-record formats (JSON arrays, JSON lines); None otherwise.
    record_number: int | None = None
