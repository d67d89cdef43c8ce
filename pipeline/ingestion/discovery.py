"""Finding the input files: every entry under the input folder, recursively, in sorted
relative-POSIX-path order, with `NAME.meta.json` sidecars attached to their text. Entries that
cannot be read as documents (symbolic links leaving the folder, loops, dangling links, links to
directories, FIFOs and devices, sidecars without a text) are yielded with a `problem`, never
dropped. Nothing here opens a file; file names are only data.

Listing is one `os.scandir` per folder and one `lstat` per entry (`DirEntry.stat` without
following links); only symbolic links cost more (they are resolved and checked). Paths stay
strings: no `pathlib` object is made per file."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class _Entry:
    """One listed non-directory entry. `st` is its `lstat` (None for a symbolic link, which is
    resolved later, or when listing failed with `problem`)."""

    rel: str
    name: str
    fspath: str
    st: os.stat_result | None
    problem: str | None = None


def _walk(root: str) -> list[_Entry]:
    """Every non-directory entry under `root` (symbolic links are listed, never descended),
    sorted by displayed relative path. An unlistable sub-folder is an entry with a problem."""
    found: list[_Entry] = []
    stack: list[tuple[str, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            if not prefix:
                raise
            reason = exc.strerror or type(exc).__name__
            rel = prefix.rstrip("/")
            found.append(
                _Entry(rel, rel.rpartition("/")[2], folder, None, f"cannot list folder: {reason}")
            )
            continue
        for entry in entries:
            name = entry.name
            rel = prefix + name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                    continue
                st = None if entry.is_symlink() else entry.stat(follow_symlinks=False)
            except OSError as exc:
                reason = f"cannot stat file: {exc.strerror or type(exc).__name__}"
                found.append(_Entry(rel, name, entry.path, None, reason))
                continue
            found.append(_Entry(rel, name, entry.path, st))
    found.sort(key=lambda item: display_path(item.rel))
    return found


def _sidecar_stem(name: str) -> str | None:
    if name.endswith(SIDECAR_SUFFIX) and len(name) > len(SIDECAR_SUFFIX):
        return name[: -len(SIDECAR_SUFFIX)]
    return None


def text_stem(name: str) -> str:
    """`PurePath(name).stem` without making a path object."""
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _judge(st: os.stat_result) -> str | None:
    if stat.S_ISDIR(st.st_mode):
        return "symbolic link to a directory; not followed (its files are read where they are)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (FIFO, socket or device); not read"
    return None


def resolve_entry(
    fspath: str | os.PathLike[str], root: str | os.PathLike[str]
) -> tuple[str | None, os.stat_result | None, str | None]:
    """(path to read, its stat, problem) for one entry found under `root` (a resolved path);
    `problem` says why it cannot be read. Symbolic links are followed only to a regular file
    inside `root`."""
    fspath, root = os.fspath(fspath), os.fspath(root)
    target = fspath
    try:
        is_link = stat.S_ISLNK(os.lstat(fspath).st_mode)
    except OSError as exc:
        return None, None, f"cannot stat file: {exc.strerror or type(exc).__name__}"
    if is_link:
        try:
            target = os.path.realpath(fspath, strict=True)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None, None, "symbolic link loop; not followed"
            return None, None, "dangling symbolic link (its target does not exist)"
        except RuntimeError:
            return None, None, "symbolic link loop; not followed"
        if not _inside(target, root):
            return None, None, "symbolic link to a target outside the input folder; not followed"
    try:
        st = os.stat(target)
    except OSError as exc:
        return None, None, f"cannot stat file: {exc.strerror or type(exc).__name__}"
    problem = _judge(st)
    return (None, None, problem) if problem else (target, st, None)


def _checked(entry: _Entry, root: str) -> tuple[str | None, os.stat_result | None, str | None]:
    """`resolve_entry` for a listed entry; a plain file is judged from its listed `lstat`."""
    if entry.problem is not None:
        return None, None, entry.problem
    if entry.st is None:  # a symbolic link
        return resolve_entry(entry.fspath, root)
    problem = _judge(entry.st)
    return (None, None, problem) if problem else (entry.fspath, entry.st, None)


def discover_files(input_dir: str | os.PathLike[str]) -> Iterator[SourceFile]:
    """Every file under `input_dir`, sorted by relative POSIX path (sidecars attached, not
    yielded on their own unless orphaned or unreadable)."""
    root = os.path.realpath(input_dir)
    entries = _walk(root)
    stems_by_dir: dict[str, set[str]] = {}
    for e in entries:
        if _sidecar_stem(e.name) is None:
            stems_by_dir.setdefault(e.rel.rpartition("/")[0], set()).add(text_stem(e.name))
    sidecars: dict[tuple[str, str], tuple[str, os.stat_result]] = {}
    # (entry, orphan sidecar stem or None)
    pending: list[tuple[_Entry, str | None]] = []
    for e in entries:
        stem = _sidecar_stem(e.name)
        if e.problem is None and stem is not None:
            parent = e.rel.rpartition("/")[0]
            if stem in stems_by_dir.get(parent, ()):
                target, st, problem = _checked(e, root)
                if problem is None and target is not None and st is not None:
                    sidecars[(parent, stem)] = (target, st)
                    continue
                stem = None  # unreadable sidecar: a row of its own
        pending.append((e, stem))
    for e, stem in pending:
        shown = display_path(e.rel)
        if e.problem is not None:
            yield SourceFile(shown, e.fspath, 0, problem=e.problem)
            continue
        if stem is not None:
            yield SourceFile(
                shown,
                e.fspath,
                0,
                problem=f"orphan sidecar: no text file named {stem}.* beside it "
                "(metadata files are not documents)",
            )
            continue
        target, st, problem = _checked(e, root)
        side = sidecars.get((e.rel.rpartition("/")[0], text_stem(e.name)))
        side_path, side_st = side if side is not None else (None, None)
        if problem is not None or target is None or st is None:
            yield SourceFile(shown, e.fspath, 0, sidecar_fspath=side_path, problem=problem)
            continue
        yield SourceFile(
            shown,
            target,
            st.st_size,
            st.st_mtime_ns,
            sidecar_fspath=side_path,
            sidecar_size=side_st.st_size if side_st is not None else 0,
            sidecar_mtime_ns=side_st.st_mtime_ns if side_st is not None else 0,
        )
