"""Format readers: raw bytes of one file -> `RawRecord`s (decoded text plus the metadata the
format carries), the reader chosen from the file extension."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import RawRecord
from ..tables import HTML_EXTENSIONS, JSON_EXTENSIONS, JSONL_EXTENSIONS
from .html import read_html
from .jsonrec import read_json, read_jsonl
from .plain import read_plain


def extension_of(source_path: str) -> str:
    """Lower-case final extension of the file name in `source_path` ("" if none)."""
    name = source_path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def read_records(raw: bytes, source_path: str) -> Iterator[RawRecord]:
    """The records of one file, by the format its extension names (plain text otherwise)."""
    ext = extension_of(source_path)
    if ext in HTML_EXTENSIONS:
        yield read_html(raw)
    elif ext in JSON_EXTENSIONS:
        yield from read_json(raw)
    elif ext in JSONL_EXTENSIONS:
        yield from read_jsonl(raw)
    else:
        yield read_plain(raw)
