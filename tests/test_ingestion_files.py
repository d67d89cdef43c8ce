"""Ingestion of a folder: discovery order, sidecars, every kind of bad file rejected with its
reason, symbolic links, duplicates, unchanged files, stable ids and odd file names."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from pipeline.ingestion import (
    IngestedDocument,
    UnchangedFile,
    discover_files,
    document_from_bytes,
    ingest_folder,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AP_SEED = "ap-children-flee-islamic-state.txt"
GOOD = "Flood displaces 3,000\n\nRIVERTOWN, Exampleland — Some 3,000 people fled on Tuesday.\n"


def rows(folder: Path, **kwargs) -> dict[str, IngestedDocument]:
    out = {}
    for item in ingest_folder(folder, **kwargs):
        if isinstance(item, UnchangedFile):
            continue
        assert isinstance(item, IngestedDocument)
        out[item.source_path] = item
    return out


# --- bad files, one per kind -----------------------------------------------------------------
BAD_FILES = [
    # (file name, bytes, expected words in the reason)
    ("bad-bytes.txt", b"Caf\x81\x8d\x90 \x9d\x81\x8d", "not decodable as text"),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary: PNG image"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary: PNG image"),
    ("nul.txt", b"text with a \x00 NUL byte", "binary"),
    ("controls.txt", b"\x01\x02\x03\x04\x05\x06 mostly control characters \x07\x08", "binary"),
    ("empty.txt", b"", "empty: no text"),
    ("blank.md", b"  \n\n\t \r\n  ", "empty: whitespace only"),
    ("invisible.txt", "\u200b\u00ad\ufeff\n".encode(), "empty"),
    ("no-text.json", json.dumps({"title": "A headline"}).encode(), "has no 'text' field"),
    ("null-text.json", json.dumps({"text": None}).encode(), "'text' is null"),
    ("number-text.json", json.dumps({"text": 42}).encode(), "'text' is not a string"),
    ("broken.json", b'{"text": "unterminated', "invalid JSON"),
    ("scalar.json", b"42", "not a JSON object"),
    ("empty-array.json", b"[]", "JSON array has no records"),
    ("utf16-bad.txt", b"\xff\xfe\x00\xd8", "not decodable as text"),
    (".DS_Store", b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00", "binary"),
]


@pytest.mark.parametrize(("name", "raw", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_rejected_with_its_reason(tmp_path, name, raw, reason):
    (tmp_path / name).write_bytes(raw)
    [doc] = rows(tmp_path).values()
    assert doc.status == "rejected"
    assert reason in doc.reject_reason
    assert doc.source_path == name
    assert doc.text is None
    assert len(doc.document_id) == 16


def test_too_large_is_rejected_before_reading_with_size_and_limit(tmp_path, monkeypatch):
    (tmp_path / "big.txt").write_bytes(b"x" * 2_000)
    (tmp_path / "small.txt").write_bytes(GOOD.encode())
    from pipeline.ingestion import ingest as ingest_module

    opened: list[str] = []
    real = ingest_module._read_bounded
    monkeypatch.setattr(
        ingest_module, "_read_bounded", lambda p, n: opened.append(p.name) or real(p, n)
    )
    docs = rows(tmp_path, max_bytes=1_000)
    assert docs["big.txt"].status == "rejected"
    assert docs["big.txt"].reject_reason == (
        "too large: 2,000 bytes exceeds the limit of 1,000 bytes (max_bytes)"
    )
    assert "big.txt" not in opened
    assert docs["small.txt"].status == "ok"


def test_too_large_bytes(tmp_path):
    doc = document_from_bytes(b"y" * 50, "x.txt", max_bytes=10)
    assert doc.status == "rejected" and "50 bytes exceeds the limit of 10" in doc.reject_reason


# --- encodings ---------------------------------------------------------------------------------
ENCODED = [
    ("utf8.txt", "Café — 3,000 fled\n\nMore text.".encode(), "utf-8"),
    ("utf8-bom.txt", b"\xef\xbb\xbf" + "Café — 3,000 fled\n\nMore text.".encode(), "utf-8-sig"),
    ("utf16le.txt", "Café — 3,000 fled\n\nMore text.".encode("utf-16"), "utf-16"),
    ("utf16be.txt", b"\xfe\xff" + "Café — 3,000 fled\n\nMore text.".encode("utf-16-be"), "utf-16"),
    ("latin1.txt", "Café 3,000 fled\n\nMore text.".encode("latin-1"), "latin-1"),
    ("cp1252.txt", "Café – 3,000 fled\n\nMore “text”.".encode("cp1252"), "cp1252"),
]


@pytest.mark.parametrize(("name", "raw", "encoding"), ENCODED, ids=[e[0] for e in ENCODED])
def test_text_encodings_decode(name, raw, encoding):
    doc = document_from_bytes(raw, name)
    assert doc.status == "ok", doc.reject_reason
    assert doc.encoding == encoding
    assert doc.text.startswith("Café")
    assert "3,000 fled" in doc.text


def test_random_high_bytes_are_not_taken_for_latin1():
    raw = bytes(range(0xA0, 0x100)) * 4
    doc = document_from_bytes(raw, "noise.txt")
    assert doc.status == "rejected" and "not decodable as text" in doc.reject_reason


# --- discovery ------------------------------------------------------------------------------------
def test_discovery_is_recursive_sorted_and_pairs_sidecars(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(GOOD)
    (tmp_path / "b" / "z.meta.json").write_text("{}")
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "B.txt").write_text(GOOD)
    (tmp_path / ".hidden").write_text(GOOD)
    found = list(discover_files(tmp_path))
    assert [f.relative_path for f in found] == [".hidden", "B.txt", "a.md", "b/z.txt"]
    by_name = {f.relative_path: f for f in found}
    assert by_name["b/z.txt"].sidecar.name == "z.meta.json"
    assert by_name["a.md"].sidecar is None
    assert by_name["a.md"].size == len(GOOD.encode())


def test_orphan_sidecar_is_a_rejected_row(tmp_path):
    (tmp_path / "lonely.meta.json").write_text('{"title": "x"}')
    [doc] = rows(tmp_path).values()
    assert doc.source_path == "lonely.meta.json"
    assert doc.status == "rejected" and "orphan sidecar" in doc.reject_reason


def test_invalid_sidecar_rejects_its_document(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "a.meta.json").write_text("[1, 2")
    [doc] = rows(tmp_path).values()
    assert doc.status == "rejected" and "a.meta.json" in doc.reject_reason


def test_hidden_files_are_documents_too(tmp_path):
    (tmp_path / ".notes.txt").write_text(GOOD)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\x00\x00")
    docs = rows(tmp_path)
    assert docs[".notes.txt"].status == "ok"
    assert docs[".DS_Store"].status == "rejected"


needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="POSIX symlinks")


@needs_symlinks
def test_symlinks_outside_loops_dangling_and_directories_are_rejected(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret text\n\nnot to be read.")
    folder = tmp_path / "input"
    folder.mkdir()
    (folder / "real.txt").write_text(GOOD)
    (folder / "escape.txt").symlink_to(outside / "secret.txt")
    (folder / "escape-dir").symlink_to(outside, target_is_directory=True)
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    (folder / "self").symlink_to(folder / "self")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    (folder / "inside-dir").symlink_to(folder, target_is_directory=True)
    (folder / "zz-link.txt").symlink_to(folder / "real.txt")
    docs = rows(folder)
    assert set(docs) == {
        "dangling.txt", "escape-dir", "escape.txt", "inside-dir", "loop-a", "loop-b",
        "real.txt", "self", "zz-link.txt",
    }  # fmt: skip
    assert "outside the input folder" in docs["escape.txt"].reject_reason
    assert "outside the input folder" in docs["escape-dir"].reject_reason
    assert "loop" in docs["loop-a"].reject_reason
    assert "loop" in docs["self"].reject_reason
    assert "dangling" in docs["dangling.txt"].reject_reason
    assert "directory" in docs["inside-dir"].reject_reason
    assert docs["real.txt"].status == "ok"
    # a link to a file inside the folder is read: here it duplicates its (earlier) target
    assert docs["zz-link.txt"].reject_reason == "duplicate of real.txt"
    assert all(d.text is None or "Secret" not in d.text for d in docs.values())


@needs_symlinks
def test_fifo_is_rejected_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    [doc] = rows(tmp_path).values()
    assert doc.status == "rejected" and "not a regular file" in doc.reject_reason


def test_file_names_are_stored_verbatim(tmp_path):
    name = 'x\'; DROP TABLE documents; -- "quoted" $(rm -rf) `id`.txt'
    (tmp_path / name).write_text(GOOD)
    [doc] = rows(tmp_path).values()
    assert doc.source_path == name and doc.status == "ok"


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
def test_undecodable_file_name_is_stored_readably(tmp_path):
    with open(os.fsencode(tmp_path) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(GOOD.encode())
    [doc] = rows(tmp_path).values()
    assert doc.source_path == "caf\\xe9.txt"
    doc.source_path.encode("utf-8")


# --- duplicates, unchanged files, ids ---------------------------------------------------------------
def test_duplicate_of_earlier_document_in_sorted_order(tmp_path):
    (tmp_path / "b.txt").write_text(GOOD)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "copy.txt").write_text(GOOD.replace("\n", "\r\n") + "\n\n\n")
    docs = rows(tmp_path)
    assert docs["a/copy.txt"].status == "ok"
    assert docs["b.txt"].reject_reason == "duplicate of a/copy.txt"
    assert docs["b.txt"].document_id != docs["a/copy.txt"].document_id


def test_duplicate_of_known_content_from_earlier_runs(tmp_path):
    first = rows(_folder(tmp_path / "run1", {"old.txt": GOOD}))
    old = first["old.txt"]
    folder = _folder(tmp_path / "run1", {"new.txt": GOOD})
    docs = rows(folder, known_content={old.document_id: "old.txt"},
                known_fingerprints={"old.txt": old.source_fingerprint})  # fmt: skip
    assert docs["new.txt"].reject_reason == "duplicate of old.txt"


def test_known_content_whose_file_is_gone_does_not_count(tmp_path):
    doc = document_from_bytes(GOOD.encode(), "gone.txt")
    folder = _folder(tmp_path / "in", {"new.txt": GOOD})
    docs = rows(folder, known_content={doc.document_id: "gone.txt"})
    assert docs["new.txt"].status == "ok"


def _folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_unchanged_files_are_skipped_and_changes_are_seen(tmp_path):
    folder = _folder(tmp_path / "in", {"a.txt": GOOD, "b.txt": GOOD + "\nMore."})
    (folder / "a.meta.json").write_text('{"outlet": "Daily Planet"}')
    (folder / "bad.bin").write_bytes(b"\x00\x01")
    first = rows(folder)
    known = {d.source_path: d.source_fingerprint for d in first.values()}
    second = list(ingest_folder(folder, known_fingerprints=known))
    assert all(isinstance(i, UnchangedFile) for i in second)
    assert {i.source_path for i in second} == set(first)
    assert second[0].source_file == second[0].source_path
    (folder / "a.meta.json").write_text('{"outlet": "Weekly Planet"}')  # sidecar change counts
    third = list(ingest_folder(folder, known_fingerprints=known))
    changed = [i for i in third if isinstance(i, IngestedDocument)]
    assert [d.source_path for d in changed] == ["a.txt"] and changed[0].outlet == "Weekly Planet"


def test_ids_are_stable_and_distinct(tmp_path):
    a = document_from_bytes(GOOD.encode(), "a.txt")
    b = document_from_bytes(GOOD.replace("\n", "\r\n").encode("utf-16"), "other/b.txt")
    assert a.document_id == b.document_id  # same normalized text, same id
    assert len(a.document_id) == 16 and int(a.document_id, 16) >= 0
    bad1 = document_from_bytes(b"\x00", "x.txt")
    bad2 = document_from_bytes(b"\x00", "y.txt")
    assert bad1.document_id != bad2.document_id
    assert a.source_fingerprint != b.source_fingerprint
    assert len(a.source_fingerprint) == 64


def test_content_id_is_sha256_prefix_of_the_text():
    import hashlib

    doc = document_from_bytes(GOOD.encode(), "a.txt")
    assert doc.document_id == hashlib.sha256(doc.text.encode()).hexdigest()[:16]


def test_folder_ingestion_is_deterministic(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "dup.txt").write_bytes((SEEDS / AP_SEED).read_bytes())
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8")
    one = [d.as_row() for d in ingest_folder(folder)]
    two = [d.as_row() for d in ingest_folder(folder)]
    assert one == two
    assert [r["source_path"] for r in one] == sorted(r["source_path"] for r in one)
    assert next(r for r in one if r["source_path"] == "sub/dup.txt")["reject_reason"] == (
        f"duplicate of {AP_SEED}"
    )


def test_as_row_has_contract_columns_first():
    from pipeline.contract import DOCUMENT_COLUMNS

    row = document_from_bytes(GOOD.encode(), "a.txt").as_row()
    assert list(row)[: len(DOCUMENT_COLUMNS)] == list(DOCUMENT_COLUMNS)
    assert {"url", "source_fingerprint", "encoding", "source_file"} <= set(row)
