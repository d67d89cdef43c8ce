"""Ingestion: input files -> rows of the `documents` table (pure Python, no Dagster).

Modules, one job each: `discovery` (which files, in which order, sidecars and unsafe links),
`decoding` (bytes -> text or a reject reason), `readers` (plain text, HTML, JSON, JSON lines),
`normalize` (the canonical stored text), `cleaning` (captions, promotional lines), `header`
(headline, byline, outlet, dateline, date read from the text), `dates`, `metadata` (sidecars
and precedence), `ids` (document ids, fingerprints), `filestate` (the size-and-time rule by
which unchanged files are skipped unopened), `ingest` (putting it together) and `tables` (the
word lists and patterns)."""

from __future__ import annotations

from .discovery import discover_files
from .header import HeaderInfo, parse_header
from .ingest import (
    DEFAULT_MAX_BYTES,
    document_from_bytes,
    documents_from_bytes,
    ingest_file,
    ingest_folder,
)
from .models import IngestedDocument, SourceFile, UnchangedFile
from .normalize import normalize_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "HeaderInfo",
    "IngestedDocument",
    "SourceFile",
    "UnchangedFile",
    "discover_files",
    "document_from_bytes",
    "documents_from_bytes",
    "ingest_file",
    "ingest_folder",
    "normalize_text",
    "parse_header",
]
