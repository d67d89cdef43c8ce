"""Finding the input files: every entry under the input folder, recursively, in sorted
relative-POSIX-path order, with `NAME.meta.json` sidecars attached to their text. Entries that
cannot be read as documents (symbolic links leaving the folder, loops, dangling links, links to
directories, FIFOs and devices, sidecars without a text) are yielded with a `problem`, never
dropped. Nothing here opens a file; file names are only data."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .models import SourceFile
from .tables import SIDECAR_SUFFIX


def display_path(rel: str) -> str:
    """A relative path as storable text: undecodable bytes of a file name (kept by Python as
    surrogate escapes) are written as "\\xNN" instead of breaking UTF-8 consumers."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _walk(root: Path) -> list[tuple[str, Path, str | None]]:
    """(relative path, path, problem) of every non-directory entry under `root` (symbolic
    links are listed, never descended). An unlistable sub-folder is an entry with a problem."""
    found: list[tuple[str, Path, str | None]] = []
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            if not prefix:
                raise
            reason = exc.strerror or type(exc).__name__
            found.append((prefix.rstrip("/"), folder, f"cannot list folder: {reason}"))
            continue
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append((Path(entry.path), rel + "/"))
            else:
                found.append((rel, Path(entry.path), None))
    found.sort(key=lambda item: display_path(item[0]))
    return found


def _sidecar_stem(name: str) -> str | None:
    if name.endswith(SIDECAR_SUFFIX) and len(name) > len(SIDECAR_SUFFIX):
        return name[: -len(SIDECAR_SUFFIX)]
    return None


def _text_stem(name: str) -> str:
    return Path(name).stem


def check_entry(path: Path, root: Path) -> tuple[Path | None, int, str | None]:
    """(path to read, size, problem) for one entry; `problem` says why it cannot be read."""
    target = path
    if path.is_symlink():
        try:
            target = Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None, 0, "symbolic link loop; not followed"
            return None, 0, "dangling symbolic link (its target does not exist)"
        except RuntimeError:
            return None, 0, "symbolic link loop; not followed"
        if not target.is_relative_to(root):
            return None, 0, "symbolic link to a target outside the input folder; not followed"
    try:
        st = os.stat(target)
    except OSError as exc:
        return None, 0, f"cannot stat file: {exc.strerror or type(exc).__name__}"
    if stat.S_ISDIR(st.st_mode):
        return (
            None,
            0,
            "symbolic link to a directory; not followed (its files are read where they are)",
        )
    if not stat.S_ISREG(st.st_mode):
        return None, 0, "not a regular file (FIFO, socket or device); not read"
    return target, st.st_size, None


def discover_files(input_dir: Path) -> Iterator[SourceFile]:
    """Every file under `input_dir`, sorted by relative POSIX path (sidecars attached, not
    yielded on their own unless orphaned or unreadable)."""
    root = Path(os.path.realpath(input_dir))
    entries = _walk(root)
    stems_by_dir: dict[str, set[str]] = {}
    for rel, path, _ in entries:
        if _sidecar_stem(path.name) is None:
            parent = rel.rpartition("/")[0]
            stems_by_dir.setdefault(parent, set()).add(_text_stem(path.name))
    sidecars: dict[tuple[str, str], Path] = {}
    # (rel, path, orphan sidecar stem or None, problem found while listing)
    pending: list[tuple[str, Path, str | None, str | None]] = []
    for rel, path, listing_problem in entries:
        parent = rel.rpartition("/")[0]
        stem = _sidecar_stem(path.name)
        if listing_problem is not None:
            pending.append((rel, path, None, listing_problem))
            continue
        if stem is not None and stem in stems_by_dir.get(parent, set()):
            target, _, problem = check_entry(path, root)
            if problem is None and target is not None:
                sidecars[(parent, stem)] = target
                continue
            pending.append((rel, path, None, None))  # unreadable sidecar: a row of its own
            continue
        pending.append((rel, path, stem, None))
    for rel, path, stem, listing_problem in pending:
        shown = display_path(rel)
        if stem is not None:
            yield SourceFile(
                shown,
                path,
                0,
                problem=f"orphan sidecar: no text file named {stem}.* beside it "
                "(metadata files are not documents)",
            )
            continue
        if listing_problem is not None:
            yield SourceFile(shown, path, 0, problem=listing_problem)
            continue
        target, size, problem = check_entry(path, root)
        parent = rel.rpartition("/")[0]
        sidecar = sidecars.get((parent, _text_stem(path.name)))
        if problem is not None or target is None:
            yield SourceFile(shown, path, 0, sidecar=sidecar, problem=problem)
        else:
            yield SourceFile(shown, target, size, sidecar=sidecar)
