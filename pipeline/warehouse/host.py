"""One DuckDB instance per process that the run's database files are ATTACHed to, instead of
each file being opened as an instance of its own.

`duckdb.connect(path)` starts a whole database instance (buffer manager, thread pool,
catalog): 25-40 ms on this machine even for an empty file, and a small run opened two
(the staging copy, then the published file for the exports). Attaching a file to an
instance already running costs ~2 ms; detaching it closes the file just as closing its last
connection would (what was written is checkpointed and the file let go), so it can then be
renamed, removed or opened by another process.

Each `attached` context is one user of the file: the file is attached by the first user and
detached when the last one leaves. Every user gets its own connection (a cursor on the host)
whose default database is the attached file, so unqualified names resolve there. The host
spills to its own folder in the system's temporary folder: DuckDB cannot move a spill folder
once used, and a long-lived host outlives any folder of a single run."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

_LOCK = threading.Lock()
_ALIASES = itertools.count(1)


@dataclass
class _Host:
    connection: duckdb.DuckDBPyConnection
    pid: int  # a host is not used across fork: a child makes its own


@dataclass
class _Attachment:
    alias: str
    users: int = 0


_HOST: _Host | None = None
_ATTACHED: dict[tuple[str, bool], _Attachment] = {}  # (path, read-only) -> its attachment
_CLOSE_WHEN_IDLE = False  # set by `close_when_idle` until the host is closed
_SPILL: dict[int, str] = {}  # process id -> the spill folder of its hosts


def _host() -> duckdb.DuckDBPyConnection:
    global _HOST
    if _HOST is None or _HOST.pid != os.getpid():
        spill = _SPILL.get(os.getpid())
        if spill is None:
            spill = _SPILL[os.getpid()] = tempfile.mkdtemp(prefix="figures-duckdb-spill-")
            atexit.register(shutil.rmtree, spill, True)
        connection = duckdb.connect(":memory:", config={"temp_directory": spill})
        _HOST = _Host(connection, os.getpid())
        _ATTACHED.clear()
    return _HOST.connection


def close_when_idle() -> None:
    """Close the host instance as soon as no file is attached (now, if none is), handing back
    the memory DuckDB keeps for it; the next `attached` starts a new one. For large runs:
    DuckDB frees a detached file's buffers but keeps much of that memory for the instance's
    later use, which in a large run added up with the next steps' peaks."""
    global _CLOSE_WHEN_IDLE
    with _LOCK:
        _CLOSE_WHEN_IDLE = True
        _close_if_idle()


def _close_if_idle() -> None:
    global _HOST, _CLOSE_WHEN_IDLE
    if _CLOSE_WHEN_IDLE and not _ATTACHED:
        _CLOSE_WHEN_IDLE = False
        if _HOST is not None and _HOST.pid == os.getpid():
            _HOST.connection.close()
        _HOST = None


def attached_files() -> list[str]:
    """The database files attached to this process's host now (for tests and diagnostics)."""
    with _LOCK:
        return sorted(path for path, _ in _ATTACHED)


@contextmanager
def attached(
    database: str | Path, *, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose default database is the file `database`, attached to this process's
    host instance for as long as any `attached` context on it is open.

    Raises duckdb.Error as `duckdb.connect` would (e.g. an IOException when another process
    holds the file)."""
    key = (os.path.abspath(database), read_only)
    with _LOCK:
        host = _host()
        attachment = _ATTACHED.get(key)
        if attachment is None:
            attachment = _Attachment(alias=f"run_file_{next(_ALIASES)}")
            mode = " (READ_ONLY)" if read_only else ""
            # The alias is made here, never from input; the path is a parameter.
            host.execute(f'ATTACH ? AS "{attachment.alias}"{mode}', [key[0]])
            _ATTACHED[key] = attachment
        attachment.users += 1
        cursor = host.cursor()
    try:
        cursor.execute(f'USE "{attachment.alias}"')
        yield cursor
    finally:
        cursor.close()
        with _LOCK:
            attachment.users -= 1
            if attachment.users == 0:
                del _ATTACHED[key]
                host.execute(f'DETACH "{attachment.alias}"')
                _close_if_idle()
