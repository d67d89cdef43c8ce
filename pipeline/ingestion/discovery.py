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
from operator import itemgetter

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


# One listed non-directory entry: (displayed relative path, text stem of its name, for a
# sidecar the stem of the text it belongs to (else None), its folder's relative path, path to
# it, its `lstat`, problem). The `lstat` is None for a symbolic link (resolved later) or when
# listing failed with `problem`.
_Entry = tuple[str, str, str | None, str, str, os.stat_result | None, str | None]


def _entry(
    rel: str, parent: str, fspath: str, st: os.stat_result | None, problem: str | None
) -> _Entry:
    name = rel[len(parent) + 1 :] if parent else rel
    shown = rel if rel.isascii() else display_path(rel)
    return (shown, text_stem(name), _sidecar_stem(name), parent, fspath, st, problem)


def _walk(root: str) -> tuple[list[_Entry], dict[str, set[str]]]:
    """Every non-directory entry under `root` (symbolic links are listed, never descended),
    sorted by displayed relative path, and the text stems of each folder's entries other than
    sidecars. An unlistable sub-folder is an entry with a problem."""
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
            rel = prefix[:-1]
            problem = f"cannot list folder: {exc.strerror or type(exc).__name__}"
            found.append(_entry(rel, rel.rpartition("/")[0], folder, None, problem))
            continue
        parent = prefix[:-1]
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + entry.name + "/"))
                    continue
                st = None if entry.is_symlink() else entry.stat(follow_symlinks=False)
                problem = None
            except OSError as exc:
                st, problem = None, f"cannot stat file: {exc.strerror or type(exc).__name__}"
            found.append(_entry(prefix + entry.name, parent, entry.path, st, problem))
    found.sort(key=itemgetter(0))
    stems: dict[str, set[str]] = {}
    for _, stem, sidecar_of, parent, *_ in found:
        if sidecar_of is None:
            stems.setdefault(parent, set()).add(stem)
    return found, stems


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
    fspath, st, problem = entry[4:]
    if problem is not None:
        return None, None, problem
    if st is None:  # a symbolic link
        return resolve_entry(fspath, root)
    if stat.S_ISREG(st.st_mode):
        return fspath, st, None
    return None, None, _judge(st)


def _pair_sidecars(
    entries: list[_Entry], stems: dict[str, set[str]], root: str
) -> tuple[dict[tuple[str, str], tuple[str, os.stat_result]], list[tuple[_Entry, str | None]]]:
    """The readable sidecars of a text in their folder, by (folder, text stem); and every other
    entry with, for an orphan sidecar, the stem it has no text for."""
    sidecars: dict[tuple[str, str], tuple[str, os.stat_result]] = {}
    pending: list[tuple[_Entry, str | None]] = []
    for e in entries:
        _, _, sidecar_of, parent, _, _, problem = e
        if sidecar_of is not None and problem is None and sidecar_of in stems.get(parent, ()):
            target, st, problem = _checked(e, root)
            if problem is None and target is not None and st is not None:
                sidecars[(parent, sidecar_of)] = (target, st)
                continue
            sidecar_of = None  # unreadable sidecar: a row of its own
        pending.append((e, sidecar_of))
    return sidecars, pending


def discover_files(input_dir: str | os.PathLike[str]) -> Iterator[SourceFile]:
    """Every file under `input_dir`, sorted by relative POSIX path (sidecars attached, not
    yielded on their own unless orphaned or unreadable)."""
    root = os.path.realpath(input_dir)
    entries, stems = _walk(root)
    sidecars, pending = _pair_sidecars(entries, stems, root)
    for e, orphan_of in pending:
        shown, stem, _, parent, fspath, _, listed_problem = e
        if listed_problem is not None:
            yield SourceFile(shown, fspath, 0, problem=listed_problem)
            continue
        if orphan_of is not None:
            yield SourceFile(
                shown,
                fspath,
                0,
                problem=f"orphan sidecar: no text file named {orphan_of}.* beside it "
                "(metadata files are not documents)",
            )
            continue
        target, st, problem = _checked(e, root)
        side_path, side_st = sidecars.get((parent, stem), (None, None))
        if problem is not None or target is None or st is None:
            yield SourceFile(shown, fspath, 0, sidecar_fspath=side_path, problem=problem)
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
