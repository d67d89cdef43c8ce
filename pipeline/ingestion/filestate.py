"""The make/rsync rule for skipping unchanged files without opening them.

A file whose size and modification time (`st_mtime_ns`) equal the ones recorded when it was
last read is taken to be unchanged: it is neither opened nor hashed. A file with a
`NAME.meta.json` sidecar is judged on both, folded into one pair: the sizes are added and the
later of the two modification times is kept, so editing, adding or removing the sidecar is
noticed like an edit of the text (the one blind spot: an *empty* sidecar, older than its
text, appearing or disappearing).

Only rows whose content came from reading the bytes carry a pair: rejections that depend on
the run's settings or on the file system rather than on the bytes (too large, unreadable,
unsafe links ...) are judged again on every run (cheaply: they are not read either).

Like make and rsync, the rule trusts the clock: a file rewritten with the same size within
the modification-time granularity of the earlier read would look unchanged. Callers guard
against that "racy" case the way git does: a recorded pair is only trusted when its
modification time is at least `RACY_MARGIN_NS` older than the start of the run that read the
file (see `pipeline.warehouse.documents_store.known_sources`); an untrusted file is read and
hashed again, and is still `UnchangedFile` if its bytes are the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import SourceFile

# Files modified less than this before the run that read them started are not trusted by
# their size and time alone (coarse file-system clocks: FAT has 2 s, others 1 s or a tick).
RACY_MARGIN_NS = 2_000_000_000


def stat_key(size: int, mtime_ns: int, sidecar: tuple[int, int] | None = None) -> tuple[int, int]:
    """(size, mtime_ns) of a file folded with its sidecar's (size, mtime_ns), if any."""
    if sidecar is None:
        return size, mtime_ns
    return size + sidecar[0], max(mtime_ns, sidecar[1])


def unchanged_by_stat(
    source: SourceFile, max_bytes: int, known_stat: tuple[int, int] | None
) -> bool:
    """True when `source` can be taken as unchanged without opening it: its folded size and
    time equal `known_stat`, and the current `max_bytes` would still let it be read."""
    key = source.stat_key
    return (
        key is not None
        and known_stat is not None
        and tuple(known_stat) == key
        and source.size <= max_bytes
        and source.sidecar_size <= max_bytes
    )
