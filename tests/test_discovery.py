"""Discovery of the input folder: the order of the files and which sidecar goes with which
text, folder by folder, whatever the file names."""

from __future__ import annotations

import os
import sys

import pytest

from pipeline.ingestion.discovery import discover_files, display_path


def _touch(path: bytes | str, data: bytes = b"text") -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def test_sidecars_go_with_a_text_of_their_own_folder_only(tmp_path):
    for folder in ("a", "b", "b/c"):
        (tmp_path / folder).mkdir()
    _touch(tmp_path / "a" / "x.txt")
    _touch(tmp_path / "b" / "x.meta.json", b"{}")
    _touch(tmp_path / "b" / "c" / "x.md")
    _touch(tmp_path / "b" / "c" / "x.meta.json", b'{"title": "t"}')
    found = {f.relative_path: f for f in discover_files(tmp_path)}
    assert list(found) == ["a/x.txt", "b/c/x.md", "b/x.meta.json"]
    assert found["a/x.txt"].sidecar_fspath is None
    assert found["b/c/x.md"].sidecar_fspath == str(tmp_path / "b" / "c" / "x.meta.json")
    assert found["b/c/x.md"].sidecar_size == len(b'{"title": "t"}')
    assert "orphan sidecar" in found["b/x.meta.json"].problem


def test_a_sidecar_named_like_a_folder_is_an_orphan(tmp_path):
    (tmp_path / "report").mkdir()
    _touch(tmp_path / "report" / "inside.txt")
    _touch(tmp_path / "report.meta.json", b"{}")
    found = {f.relative_path: f for f in discover_files(tmp_path)}
    assert list(found) == ["report.meta.json", "report/inside.txt"]
    assert "orphan sidecar" in found["report.meta.json"].problem


@pytest.mark.skipif(sys.platform != "linux", reason="byte file names")
def test_files_come_in_the_order_of_their_displayed_paths(tmp_path):
    root = os.fsencode(tmp_path)
    names = [b"caf\xe9.txt", b"caf\xe9.meta.json", "café.txt".encode(), b"Z.txt", b"a b.txt"]
    for name in names:
        _touch(root + b"/" + name, b"{}" if name.endswith(b".json") else b"text")
    os.mkdir(root + b"/sub\xff")
    _touch(root + b"/sub\xff/n.txt")
    found = list(discover_files(tmp_path))
    shown = [f.relative_path for f in found]
    assert shown == sorted(shown)
    assert set(shown) == {"Z.txt", "a b.txt", "caf\\xe9.txt", "café.txt", "sub\\xff/n.txt"}
    assert all(display_path(path) == path for path in shown)
    by_path = {f.relative_path: f for f in found}
    assert by_path["caf\\xe9.txt"].sidecar_fspath == os.fsdecode(root + b"/caf\xe9.meta.json")
    assert by_path["café.txt"].sidecar_fspath is None
