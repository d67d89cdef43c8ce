"""Unchanged files are found by size and modification time (the make/rsync rule) without
being opened; touched files are read again and kept; sidecar changes are noticed; reading in
worker processes gives the same rows in the same order."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

import pipeline.ingestion.ingest as ingest_module
from pipeline.ingestion import (
    IngestedDocument,
    UnchangedFile,
    discover_files,
    ingest_folder,
    parallel,
)
from pipeline.ingestion.filestate import RACY_MARGIN_NS
from pipeline.warehouse.documents_store import known_sources, record_file_stats
from pipeline.warehouse.schema import ensure_schema

GOOD = "Flood displaces 3,000\n\nRIVERTOWN, Exampleland — Some 3,000 people fled on Tuesday.\n"
OTHER = "Storm hits coast\n\nPORTVILLE, Exampleland — About 1,200 people were evacuated.\n"
OLD_NS = 1_600_000_000 * 10**9  # files "written" long before any run


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.utime(path, ns=(OLD_NS, OLD_NS))
    return folder


def _corpus(tmp_path: Path) -> Path:
    return _write(
        tmp_path / "in",
        {
            "a.txt": GOOD,
            "a.meta.json": '{"outlet": "Daily Planet"}',
            "b/c.txt": OTHER,
            "b/copy.txt": GOOD,
            "d.jsonl": '{"text": "One record about 40 people."}\n{"text": "Another about 50."}\n',
            "bad.bin": "\x00\x01",
        },
    )


def _knowledge(items) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """What a warehouse would hold after storing `items`: fingerprints and (size, mtime)."""
    fingerprints, stats = {}, {}
    for item in items:
        fingerprints[item.source_file] = item.source_fingerprint
        if item.source_size is not None:
            stats[item.source_file] = (item.source_size, item.source_mtime_ns)
    return fingerprints, stats


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every file `ingest_folder` opens for reading, by name."""
    calls: list[str] = []
    real = ingest_module._read_bounded

    def spy(path, limit):
        calls.append(os.path.basename(path))
        return real(path, limit)

    monkeypatch.setattr(ingest_module, "_read_bounded", spy)
    return calls


def test_unchanged_files_are_not_opened(tmp_path, opened):
    folder = _corpus(tmp_path)
    first = list(ingest_folder(folder))
    assert all(isinstance(d, IngestedDocument) for d in first)
    assert all(d.source_size is not None for d in first)
    fingerprints, stats = _knowledge(first)
    opened.clear()
    second = list(ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats))
    assert opened == []
    assert all(isinstance(i, UnchangedFile) for i in second)
    assert [i.source_path for i in second] == sorted(fingerprints)
    assert {i.source_path: i.fingerprint for i in second} == fingerprints


def test_without_stats_unchanged_files_are_still_found_by_fingerprint(tmp_path, opened):
    folder = _corpus(tmp_path)
    fingerprints, _ = _knowledge(ingest_folder(folder))
    opened.clear()
    second = list(ingest_folder(folder, known_fingerprints=fingerprints))
    assert all(isinstance(i, UnchangedFile) for i in second) and opened


def test_sizes_and_times_are_folded_with_the_sidecar(tmp_path):
    folder = _corpus(tmp_path)
    os.utime(folder / "a.meta.json", ns=(OLD_NS, OLD_NS + 5))
    doc = next(d for d in ingest_folder(folder) if d.source_path == "a.txt")
    text_size = (folder / "a.txt").stat().st_size
    side_size = (folder / "a.meta.json").stat().st_size
    assert (doc.source_size, doc.source_mtime_ns) == (text_size + side_size, OLD_NS + 5)


def test_touched_file_is_read_again_and_kept_with_its_new_time(tmp_path, opened):
    folder = _corpus(tmp_path)
    first = list(ingest_folder(folder))
    fingerprints, stats = _knowledge(first)
    os.utime(folder / "b" / "c.txt", ns=(OLD_NS, OLD_NS + 10**9))  # touch: same bytes
    opened.clear()
    second = list(ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats))
    assert opened == ["c.txt"]
    assert all(isinstance(i, UnchangedFile) for i in second)
    touched = next(i for i in second if i.source_path == "b/c.txt")
    assert (touched.source_size, touched.source_mtime_ns) == (stats["b/c.txt"][0], OLD_NS + 10**9)
    # read from scratch, its rows are the same but for the recorded time
    again = {d.source_path: d.as_row() for d in ingest_folder(folder)}
    before = {d.source_path: d.as_row() for d in first}
    assert again["b/c.txt"].pop("source_mtime_ns") == OLD_NS + 10**9
    assert before["b/c.txt"].pop("source_mtime_ns") == OLD_NS
    assert again == before


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_sidecar_changes_are_noticed(tmp_path, opened, change):
    folder = _corpus(tmp_path)
    fingerprints, stats = _knowledge(ingest_folder(folder))
    if change == "edit":
        (folder / "a.meta.json").write_text('{"outlet": "Weekly Planet"}')  # same size
    elif change == "add":
        (folder / "b" / "c.meta.json").write_text('{"outlet": "Coast News"}')
    else:
        (folder / "a.meta.json").unlink()
    changed = [
        i
        for i in ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats)
        if isinstance(i, IngestedDocument)
    ]
    expected = {"edit": ("a.txt", "Weekly Planet"), "add": ("b/c.txt", "Coast News")}
    expected["remove"] = ("a.txt", None)
    assert [(d.source_path, d.outlet) for d in changed] == [expected[change]]


def test_content_edit_with_same_size_and_new_time_is_noticed(tmp_path):
    folder = _corpus(tmp_path)
    fingerprints, stats = _knowledge(ingest_folder(folder))
    (folder / "b" / "c.txt").write_text(OTHER.replace("1,200", "1,300"))
    changed = [
        i
        for i in ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats)
        if isinstance(i, IngestedDocument)
    ]
    assert [d.source_path for d in changed] == ["b/c.txt"] and "1,300" in changed[0].text


def test_a_lower_size_limit_is_applied_to_files_skipped_by_their_stats(tmp_path):
    folder = _corpus(tmp_path)
    fingerprints, stats = _knowledge(ingest_folder(folder))
    rows = list(
        ingest_folder(folder, max_bytes=20, known_fingerprints=fingerprints, known_stats=stats)
    )
    too_large = {i.source_path for i in rows if isinstance(i, IngestedDocument)}
    assert {"a.txt", "b/c.txt", "b/copy.txt", "d.jsonl"} <= too_large


def test_rows_that_depend_on_more_than_the_bytes_carry_no_stats(tmp_path):
    folder = _write(tmp_path / "in", {"big.txt": GOOD})
    [doc] = ingest_folder(folder, max_bytes=10)
    assert "too large" in doc.reject_reason and doc.source_size is None


def test_duplicates_of_skipped_files_are_judged_without_opening_them(tmp_path, opened):
    folder = _corpus(tmp_path)
    first = {d.source_path: d for d in ingest_folder(folder)}
    assert first["b/copy.txt"].reject_reason == "duplicate of a.txt"
    fingerprints, stats = _knowledge(first.values())
    del fingerprints["b/copy.txt"], stats["b/copy.txt"]  # duplicates are judged again
    content = {d.document_id: d.source_path for d in first.values() if d.status == "ok"}
    _write(folder, {"z-new.txt": GOOD})
    opened.clear()
    rows = list(
        ingest_folder(
            folder, known_fingerprints=fingerprints, known_stats=stats, known_content=content
        )
    )
    new = {i.source_path: i for i in rows if isinstance(i, IngestedDocument)}
    assert new["b/copy.txt"].reject_reason == "duplicate of a.txt"
    assert new["z-new.txt"].reject_reason == "duplicate of a.txt"
    assert sorted(opened) == ["copy.txt", "z-new.txt"]  # a.txt, the original, is not read


needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks")


@needs_symlinks
def test_links_are_judged_by_their_target_and_bad_links_stay_rejected(tmp_path, opened):
    outside = _write(tmp_path / "outside", {"secret.txt": "Secret"})
    folder = _write(tmp_path / "in", {"real.txt": GOOD})
    (folder / "link.txt").symlink_to(folder / "real.txt")
    (folder / "escape.txt").symlink_to(outside / "secret.txt")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    first = list(ingest_folder(folder))
    assert [d.source_path for d in first] == [
        "dangling.txt", "escape.txt", "link.txt", "loop", "real.txt",
    ]  # fmt: skip
    reasons = {d.source_path: d.reject_reason or "" for d in first}
    assert "dangling" in reasons["dangling.txt"] and "outside" in reasons["escape.txt"]
    assert "loop" in reasons["loop"]
    fingerprints, stats = _knowledge(first)
    assert set(stats) == {"link.txt", "real.txt"}
    opened.clear()
    second = list(ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats))
    assert opened == [] and all(isinstance(i, UnchangedFile) for i in second)
    os.utime(folder / "real.txt", ns=(OLD_NS, OLD_NS + 1))  # the link's target is touched
    opened.clear()
    list(ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats))
    assert sorted(opened) == ["real.txt", "real.txt"]


def test_discovery_order_is_sorted_relative_path_order(tmp_path):
    names = ["b/a.txt", "a-b.txt", "a/b.txt", "a/a/z.txt", "A.txt", "ab.txt", ".x", "a.b/c.txt"]
    folder = _write(tmp_path / "in", dict.fromkeys(names, GOOD))
    assert [f.relative_path for f in discover_files(folder)] == sorted(names)
    assert all(f.mtime_ns == OLD_NS for f in discover_files(folder))


def test_worker_processes_give_the_same_rows_in_the_same_order(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SERIAL_FILES", 0)  # start the pool for a small folder
    folder = _corpus(tmp_path)
    _write(
        folder, {f"many/{i:03}.txt": (GOOD if i % 7 == 0 else f"{OTHER} {i}") for i in range(150)}
    )
    serial = [d.as_row() for d in ingest_folder(folder)]
    pooled = [d.as_row() for d in ingest_folder(folder, workers=2)]
    assert pooled == serial
    fingerprints, stats = _knowledge(ingest_folder(folder))
    warm = list(
        ingest_folder(folder, known_fingerprints=fingerprints, known_stats=stats, workers=2)
    )
    assert all(isinstance(i, UnchangedFile) for i in warm) and len(warm) == len(fingerprints)


# --- the warehouse side: which recorded sizes and times are trusted ----------------------------
def test_known_sources_trusts_only_times_well_before_the_reading_run(tmp_path):
    conn = duckdb.connect()
    ensure_schema(conn)
    run = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    run_ns = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) * 10**9
    rows = [("old.txt", run_ns - RACY_MARGIN_NS - 1), ("racy.txt", run_ns - 1)]
    for name, mtime in rows:
        conn.execute(
            """INSERT INTO documents (document_id, source_path, source_file, status,
               source_fingerprint, source_size, source_mtime_ns, pipeline_version, ingested_at)
               VALUES (?, ?, ?, 'ok', ?, 10, ?, 'v1', ?)""",
            [name, name, name, f"fp-{name}", mtime, run],
        )
    known = known_sources(conn, "v1")
    assert known.fingerprints == {"old.txt": "fp-old.txt", "racy.txt": "fp-racy.txt"}
    assert known.stats == {"old.txt": (10, run_ns - RACY_MARGIN_NS - 1)}
    assert set(known.recorded) == {"old.txt", "racy.txt"}
    later = datetime(2026, 1, 2, tzinfo=UTC).replace(tzinfo=None)
    record_file_stats(conn, {"racy.txt": (10, run_ns + 5)}, later)
    assert known_sources(conn, "v1").stats["racy.txt"] == (10, run_ns + 5)
