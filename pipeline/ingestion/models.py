"""Data shapes of the ingestion layer: a discovered file, an ingested document row, the
"unchanged since last run" marker, and the reader output every format reduces to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .filestate import stat_key

STATUS_OK = "ok"
STATUS_REJECTED = "rejected"


@dataclass(frozen=True)
class SourceFile:
    """One entry found under the input folder.

    `relative_path` is the POSIX path relative to the input folder (the future `source_path`).
    `fspath` is the file to read (a link inside the folder is resolved to its target), with
    its `size` and `mtime_ns` as listed. `sidecar_fspath` is the `NAME.meta.json` beside a
    text, if any, with its own size and time. `problem` is set when the entry cannot be read
    as a document (symlink outside the folder, loop, orphan sidecar ...): it becomes the
    reject reason, so nothing is skipped silently. Paths are kept as strings (no `pathlib`
    per file while listing); `path` and `sidecar` give them as `Path`.
    """

    relative_path: str
    fspath: str
    size: int
    mtime_ns: int = 0
    sidecar_fspath: str | None = None
    sidecar_size: int = 0
    sidecar_mtime_ns: int = 0
    problem: str | None = None

    @property
    def path(self) -> Path:
        """The file to read, as a `Path`."""
        return Path(self.fspath)

    @property
    def sidecar(self) -> Path | None:
        """The sidecar, as a `Path` (None without one)."""
        return None if self.sidecar_fspath is None else Path(self.sidecar_fspath)

    @property
    def stat_key(self) -> tuple[int, int] | None:
        """(size, mtime_ns) of the file folded with its sidecar's (see `filestate`); None for
        an entry with a problem."""
        if self.problem is not None:
            return None
        sidecar = None
        if self.sidecar_fspath is not None:
            sidecar = (self.sidecar_size, self.sidecar_mtime_ns)
        return stat_key(self.size, self.mtime_ns, sidecar)


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
    # Size and st_mtime_ns of the file (folded with its sidecar's) when it was read; None when
    # the row must be judged again on every run (see `filestate`).
    source_size: int | None = None
    source_mtime_ns: int | None = None

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
            "source_size": self.source_size,
            "source_mtime_ns": self.source_mtime_ns,
        }


@dataclass(frozen=True)
class UnchangedFile:
    """Marker: the file is the same as when the last run read it; it was not parsed.

    `source_path` is the file's relative path (for a multi-record file, without "#N"): the
    caller keeps every earlier row whose `source_file` equals it. `source_size` and
    `source_mtime_ns` are the file's size and time now (folded with its sidecar's; None when
    its rows carry none): where they differ from the recorded ones (a touched file, read
    again and found byte for byte the same), the caller should record them so that the next
    run can skip the file without opening it.
    """

    source_path: str
    fingerprint: str
    source_size: int | None = None
    source_mtime_ns: int | None = None

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
