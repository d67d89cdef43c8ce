"""The folder mechanics of an export: the hidden staged folder it is built in, hard links of
the files it keeps, byte concatenation, the atomic swap into `exports/`, and the removal of
folders left by a killed export. No SQL."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

STALE_TEMP_SECONDS = 3600  # temporary folders older than this were left by a killed export


def staged_folder(target: Path) -> Path:
    """A new hidden folder beside `target` to build the next export in."""
    staged = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    staged.mkdir()
    return staged


def link_file(source: Path, target: Path) -> None:
    """Hard-link `source` as `target` (same inode: same bytes and mtime); a copy where the
    file system cannot link."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def concatenate(target: Path, head: bytes, parts: Iterable[Path]) -> None:
    """Write `head` then the bytes of every part, in order, into `target` (in the kernel where
    it can: copy_file_range, no pass through Python)."""
    with target.open("wb") as out:
        out.write(head)
        out.flush()
        for part in parts:
            with part.open("rb") as source:
                _copy_all(source.fileno(), out.fileno(), os.fstat(source.fileno()).st_size)


def _copy_all(source: int, target: int, size: int) -> None:
    copy_range = getattr(os, "copy_file_range", None)
    copied = 0
    if copy_range is not None:
        with contextlib.suppress(OSError):  # EXDEV, ENOSYS...: fall back to read/write
            while copied < size:
                step = copy_range(source, target, size - copied)
                if step == 0:
                    break
                copied += step
    os.lseek(source, copied, os.SEEK_SET)
    while chunk := os.read(source, 1 << 20):
        os.write(target, chunk)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    platform or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def swap_in(staged: Path, target: Path) -> None:
    """Make `staged` the folder at `target`; the previous folder is removed."""
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged)  # now holds the previous export
        return
    previous = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, previous)
    os.rename(staged, target)
    shutil.rmtree(previous)


def remove_leftovers(target: Path) -> None:
    """Temporary folders of exports that were killed part-way."""
    now = time.time()
    for pattern, min_age in (
        (f".{target.name}.old-*", 0),
        (f".{target.name}.tmp-*", STALE_TEMP_SECONDS),
    ):
        for leftover in target.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime >= min_age:
                    shutil.rmtree(leftover)
