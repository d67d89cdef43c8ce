"""Turning files into `documents` rows: one file (or bytes) -> its documents, and a whole
folder -> a stream of documents and "unchanged" markers, with duplicate detection across the
stream and against documents kept from earlier runs."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Mapping

from . import ids
from .cleaning import clean_text
from .discovery import discover_files, resolve_entry, text_stem
from .filestate import stat_key, unchanged_by_stat
from .header import parse_header
from .metadata import Metadata, coerce_metadata, merge, parse_sidecar
from .models import (
    STATUS_OK,
    STATUS_REJECTED,
    IngestedDocument,
    RawRecord,
    SourceFile,
    UnchangedFile,
)
from .normalize import normalize_text
from .parallel import Job, ingest_ordered
from .readers import read_records
from .tables import SIDECAR_SUFFIX

DEFAULT_MAX_BYTES = 10_000_000


def _size_reason(size: int, max_bytes: int) -> str:
    return f"too large: {size:,} bytes exceeds the limit of {max_bytes:,} bytes (max_bytes)"


def _metadata_fields(meta: Metadata) -> dict:
    """The `documents` columns that come from metadata (sidecar, record fields or header)."""
    return {
        "title": meta.title,
        "outlet": meta.outlet,
        "byline": meta.byline,
        "dateline": meta.dateline,
        "published_date": meta.published_date,
        "url": meta.url,
    }


def _rejected(
    source_path: str,
    reason: str,
    *,
    raw: bytes,
    fingerprint: str,
    source_file: str,
    meta: Metadata | None = None,
    encoding: str | None = None,
) -> IngestedDocument:
    meta = meta or Metadata()
    return IngestedDocument(
        document_id=ids.rejected_id(raw, source_path),
        source_path=source_path,
        **_metadata_fields(meta),
        text=None,
        status=STATUS_REJECTED,
        reject_reason=reason,
        source_fingerprint=fingerprint,
        encoding=encoding,
        source_file=source_file,
    )


def _empty_reason(original: str) -> str:
    if original == "":
        return "empty: no text"
    if not original.strip():
        return "empty: whitespace only"
    return "empty: nothing left after removing captions, promotional lines and invisible characters"


def _document(
    record: RawRecord,
    raw: bytes,
    source_path: str,
    source_file: str,
    sidecar_meta: dict,
    fingerprint: str,
) -> IngestedDocument:
    if record.record_number is not None:
        source_path = f"{source_path}#{record.record_number}"
    common = dict(
        raw=raw, fingerprint=fingerprint, source_file=source_file, encoding=record.encoding
    )
    if record.reject_reason is not None or record.text is None:
        meta = merge(record.meta, sidecar_meta, header=parse_header(""))
        return _rejected(source_path, record.reject_reason or "no text", meta=meta, **common)
    text = clean_text(normalize_text(record.text))
    if not text:
        meta = merge(record.meta, sidecar_meta, header=parse_header(""))
        return _rejected(source_path, _empty_reason(record.text), meta=meta, **common)
    meta = merge(record.meta, sidecar_meta, header=parse_header(text))
    return IngestedDocument(
        document_id=ids.content_id(text),
        source_path=source_path,
        **_metadata_fields(meta),
        text=text,
        status=STATUS_OK,
        reject_reason=None,
        source_fingerprint=fingerprint,
        encoding=record.encoding,
        source_file=source_file,
    )


def documents_from_bytes(
    raw: bytes,
    source_path: str,
    sidecar: dict | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sidecar_raw: bytes | None = None,
) -> list[IngestedDocument]:
    """All documents in one file's bytes (several for JSON arrays / JSON lines), the reader
    chosen from `source_path`'s extension. No duplicate detection. Never raises."""
    fp = ids.fingerprint(raw, sidecar_raw)
    if len(raw) > max_bytes:
        return [
            _rejected(
                source_path,
                _size_reason(len(raw), max_bytes),
                raw=raw,
                fingerprint=fp,
                source_file=source_path,
            )
        ]
    sidecar_meta = coerce_metadata(sidecar) if isinstance(sidecar, dict) else {}
    try:
        records = list(read_records(raw, source_path))
        return [_document(r, raw, source_path, source_path, sidecar_meta, fp) for r in records]
    except Exception as exc:  # a bug must cost one row, not the run
        return [
            _rejected(
                source_path,
                f"internal error while reading: {type(exc).__name__}: {str(exc)[:200]}",
                raw=raw,
                fingerprint=fp,
                source_file=source_path,
            )
        ]


def document_from_bytes(
    raw: bytes,
    source_path: str,
    sidecar: dict | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestedDocument:
    """One document from bytes (a file or stdin), read the same way as `ingest_folder` does.
    For a multi-record file (JSON array, JSON lines) this is its first record; use
    `documents_from_bytes` to get them all. Never raises."""
    return documents_from_bytes(raw, source_path, sidecar, max_bytes=max_bytes)[0]


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """At most `limit + 1` bytes of a regular file. `path` was checked by discovery; opening
    without following a final symlink and refusing non-regular files closes the window in
    which it could have been swapped for a link out of the folder or a FIFO."""
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return fh.read(limit + 1)


def _problem_fingerprint(problem: str, extra: str = "") -> str:
    return hashlib.sha256(f"problem\x00{problem}\x00{extra}".encode()).hexdigest()


def _file_state(path: str | os.PathLike[str]) -> str:
    try:
        st = os.stat(path)
        return f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        return ""


def _with_stat(docs: list[IngestedDocument], key: tuple[int, int] | None) -> list[IngestedDocument]:
    if key is not None:
        for doc in docs:
            doc.source_size, doc.source_mtime_ns = key
    return docs


def ingest_file(
    source: SourceFile,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known_fingerprint: str | None = None,
    known_stat: tuple[int, int] | None = None,
) -> list[IngestedDocument] | UnchangedFile:
    """The documents of one discovered file, or `UnchangedFile` if it is the same as when its
    rows were made: its size and time equal `known_stat` (then it is not opened; see
    `filestate`), or its fingerprint equals `known_fingerprint`. No duplicate detection (see
    `ingest_folder`). Never raises on bad files: unreadable ones give one rejected row."""
    rel = source.relative_path
    if known_fingerprint is not None and unchanged_by_stat(source, max_bytes, known_stat):
        return UnchangedFile(rel, known_fingerprint, *known_stat)

    def reject(reason: str, fp: str, raw: bytes = b"") -> list[IngestedDocument] | UnchangedFile:
        if fp == known_fingerprint:
            return UnchangedFile(rel, fp)
        return [_rejected(rel, reason, raw=raw or fp.encode(), fingerprint=fp, source_file=rel)]

    if source.problem is not None:
        return reject(source.problem, _problem_fingerprint(source.problem))
    if source.size > max_bytes:
        reason = _size_reason(source.size, max_bytes)
        return reject(reason, _problem_fingerprint(reason, f"{source.size}:{source.mtime_ns}"))
    try:
        raw = _read_bounded(source.path, max_bytes)
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or type(exc).__name__}"
        return reject(reason, _problem_fingerprint(reason, _file_state(source.fspath)))
    if len(raw) > max_bytes:  # grew after it was listed
        reason = f"too large: more than the limit of {max_bytes:,} bytes (max_bytes)"
        return reject(reason, _problem_fingerprint(reason, _file_state(source.fspath)))
    # The size and time recorded with the rows: only when the rows follow from the bytes.
    key = source.stat_key
    sidecar_raw: bytes | None = None
    sidecar: dict | None = None
    sidecar_problem: str | None = None
    if source.sidecar_fspath is not None:
        name = os.path.basename(source.sidecar_fspath)
        try:
            sidecar_raw = _read_bounded(source.sidecar, max_bytes)
        except OSError as exc:
            sidecar_problem = f"cannot read sidecar {name}: {exc.strerror or type(exc).__name__}"
            key = None
        else:
            if len(sidecar_raw) > max_bytes:
                sidecar_problem = f"sidecar {name} is larger than max_bytes ({max_bytes:,})"
                key = None
            else:
                sidecar, error = parse_sidecar(sidecar_raw)
                if error:
                    sidecar_problem = f"{name}: {error}"
    fp = ids.fingerprint(raw, sidecar_raw)
    if fp == known_fingerprint:
        if key is None:
            return UnchangedFile(rel, fp)
        return UnchangedFile(rel, fp, *key)
    if sidecar_problem is not None:
        doc = _rejected(rel, sidecar_problem, raw=raw, fingerprint=fp, source_file=rel)
        return _with_stat([doc], key)
    docs = documents_from_bytes(raw, rel, sidecar, max_bytes=max_bytes, sidecar_raw=sidecar_raw)
    return _with_stat(docs, key)


def _as_duplicate(doc: IngestedDocument, original: str, raw_hint: str) -> IngestedDocument:
    doc.reject_reason = f"duplicate of {original}"
    doc.status = STATUS_REJECTED
    doc.document_id = ids.rejected_id(raw_hint.encode(), doc.source_path)
    doc.text = None
    return doc


def _current_fingerprint(
    root: str,
    rel: str,
    max_bytes: int,
    known_fingerprint: str | None = None,
    known_stat: tuple[int, int] | None = None,
) -> str | None:
    """Fingerprint of the file at `rel` under `root` as it is now (None if it is gone or
    unreadable); `known_fingerprint` without reading it when its size and time equal
    `known_stat`. `rel` comes from an earlier run's rows: it is checked to stay inside `root`."""
    path = os.path.join(root, rel)
    if not os.path.lexists(path):
        return None
    target, st, problem = resolve_entry(path, root)
    if problem is not None or target is None or st is None or st.st_size > max_bytes:
        return None
    folder, _, name = path.rpartition(os.sep)
    sidecar = os.path.join(folder, text_stem(name) + SIDECAR_SUFFIX)
    side_target, side_st = None, None
    if not name.endswith(SIDECAR_SUFFIX) and os.path.isfile(sidecar):
        side_target, side_st, side_problem = resolve_entry(sidecar, root)
        if side_problem is not None:
            side_target, side_st = None, None
    if known_fingerprint is not None and known_stat is not None:
        side = None if side_st is None else (side_st.st_size, side_st.st_mtime_ns)
        if tuple(known_stat) == stat_key(st.st_size, st.st_mtime_ns, side):
            return known_fingerprint
    try:
        raw = _read_bounded(target, max_bytes)
        sidecar_raw = None if side_target is None else _read_bounded(side_target, max_bytes)
    except OSError:
        return None
    return ids.fingerprint(raw, sidecar_raw)


def _results(
    jobs: Iterable[Job], *, max_bytes: int, workers: int
) -> Iterator[list[IngestedDocument] | UnchangedFile]:
    if workers > 1:
        yield from ingest_ordered(jobs, max_bytes=max_bytes, workers=workers)
        return
    for source, fp, stat_pair in jobs:
        yield ingest_file(source, max_bytes=max_bytes, known_fingerprint=fp, known_stat=stat_pair)


def ingest_folder(
    input_dir: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known_fingerprints: Mapping[str, str] | None = None,
    known_content: Mapping[str, str] | None = None,
    known_stats: Mapping[str, tuple[int, int]] | None = None,
    workers: int = 0,
) -> Iterator[IngestedDocument | UnchangedFile]:
    """Stream every file under `input_dir` in sorted relative-path order: an `UnchangedFile`
    when it is the same as in `known_fingerprints[relative path]`, else its document(s).

    A file is the same when its size and modification time (folded with its sidecar's, see
    `filestate`) equal `known_stats[relative path]` -- it is then not opened at all -- or
    when its fingerprint equals the known one. Pass in `known_stats` only pairs that can be
    trusted (recorded by a run that started well after the file was modified).

    An ok document is rejected as "duplicate of <source_path>" when a document with the same
    content id was yielded earlier in this pass, or is in `known_content` (content id ->
    source_path of ok documents kept from earlier runs) and that earlier file is still in the
    folder and unchanged since `known_fingerprints` (a stale entry, whose file is gone or
    changed, does not count).

    `workers` > 1 reads and parses files in that many processes; results, and duplicate
    judgement (done here, in file order), are the same as with one."""
    known_fingerprints = known_fingerprints or {}
    known_content = known_content or {}
    known_stats = known_stats or {}
    root = os.path.realpath(input_dir)
    seen: dict[str, str] = {}
    checked: dict[str, bool] = {}

    def known_original(content: str) -> str | None:
        original = known_content.get(content)
        if original is None:
            return None
        if original not in checked:
            candidates = [original]
            if "#" in original:
                candidates.append(original.rpartition("#")[0])
            checked[original] = False
            for cand in candidates:
                known_fp = known_fingerprints.get(cand)
                current = _current_fingerprint(
                    root, cand, max_bytes, known_fp, known_stats.get(cand)
                )
                if current is not None and (known_fp or current) == current:
                    checked[original] = True
                    break
        return original if checked[original] else None

    jobs = (
        (s, known_fingerprints.get(s.relative_path), known_stats.get(s.relative_path))
        for s in discover_files(root)
    )
    for result in _results(jobs, max_bytes=max_bytes, workers=workers):
        if isinstance(result, UnchangedFile):
            yield result
            continue
        for doc in result:
            if doc.status == STATUS_OK:
                original = seen.get(doc.document_id) or known_original(doc.document_id)
                if original is not None and original != doc.source_path:
                    doc = _as_duplicate(doc, original, doc.source_fingerprint)
                else:
                    seen[doc.document_id] = doc.source_path
            yield doc
