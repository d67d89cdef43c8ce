"""The segment plan of an export: how the per-document tables (`documents`, `figures`) are cut
into segments of whole documents, and which segments an export keeps, rewrites, merges or
adds. Pure Python over document counts: no SQL, no files.

An export compares each document's version with the index of the previous export. A segment
whose documents are all still there, in the same version, is kept (its files are hard-linked);
a segment that lost documents is rewritten with the ones left (or dropped when none is left);
new and changed documents go to new segments at the end, cut into pieces of at most
`segment_size` documents.

Merging keeps the segment count bounded while the work stays proportional to the change:

- two neighbours merge when together they hold at most `segment_size` documents and the part
  that would otherwise be kept as it is holds at most `MERGE_RATIO` times what is written
  anyway (so small new segments fold into their neighbours like a binary counter: each
  document is rewritten O(log) times over its life, never the whole warehouse at once);
- beyond `MAX_SEGMENTS`, the two neighbours with the fewest documents merge, whatever their
  size (needed only after the warehouse has grown a lot since the segments were cut).

Segments keep their place in the list (the order of the HXL CSV); a written segment always
gets a new id, so a file name never holds two different contents."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

TARGET_SEGMENTS = 32  # a fresh export cuts the documents into about this many segments
MAX_SEGMENTS = 64
MIN_SEGMENT_DOCUMENTS = 1000  # below this, one segment per table is cheaper than many
MERGE_RATIO = 2


@dataclass(frozen=True)
class OldSegment:
    """A segment of the previous export: its documents, and how many of them are still in the
    warehouse in the same version."""

    id: int
    documents: int
    surviving: int


@dataclass(frozen=True)
class PlannedSegment:
    """A segment of the new export. `rewrite=False`: the old segment `id`, kept as it is.
    Otherwise a new segment holding the surviving documents of the old segments `sources`
    and the new documents of the chunks `chunks`."""

    id: int
    documents: int
    sources: tuple[int, ...] = ()
    chunks: tuple[int, ...] = ()
    rewrite: bool = True


@dataclass(frozen=True)
class SegmentPlan:
    """The segments of the new export, in order, and the chunks the new documents are cut
    into (chunk `c` holds the new documents numbered `n` with `n * chunks // new == c`)."""

    segments: tuple[PlannedSegment, ...]
    chunks: int
    next_id: int
    dropped: tuple[int, ...]  # old segments whose files are not carried over as they are

    @property
    def written(self) -> tuple[PlannedSegment, ...]:
        return tuple(segment for segment in self.segments if segment.rewrite)

    @property
    def kept(self) -> tuple[PlannedSegment, ...]:
        return tuple(segment for segment in self.segments if not segment.rewrite)

    @property
    def unchanged(self) -> bool:
        return not self.written and not self.dropped


def segment_size(documents: int) -> int:
    """The most documents a segment gets (merges aside): the warehouse in TARGET_SEGMENTS
    pieces, never less than MIN_SEGMENT_DOCUMENTS."""
    return max(MIN_SEGMENT_DOCUMENTS, math.ceil(documents / TARGET_SEGMENTS))


def chunk_sizes(new_documents: int, chunks: int) -> list[int]:
    """Documents per chunk when `new_documents` are numbered 0.. and document `n` goes to chunk
    `n * chunks // new_documents` (the rule the SQL assignment uses)."""
    return [
        math.ceil((c + 1) * new_documents / chunks) - math.ceil(c * new_documents / chunks)
        for c in range(chunks)
    ]


def plan_segments(old: Sequence[OldSegment], new_documents: int, next_id: int) -> SegmentPlan:
    """The segments of the next export, from the previous export's segments (in their order)
    and the number of new or changed documents."""
    size = segment_size(sum(segment.surviving for segment in old) + new_documents)
    entries = [
        PlannedSegment(
            id=segment.id,
            documents=segment.surviving,
            sources=(segment.id,),
            rewrite=segment.surviving < segment.documents,
        )
        for segment in old
        if segment.surviving
    ]
    chunks = math.ceil(new_documents / size) if new_documents else 0
    entries += [
        PlannedSegment(id=-1, documents=documents, chunks=(chunk,))
        for chunk, documents in enumerate(chunk_sizes(new_documents, chunks))
    ]
    entries = _cap(_merge_small(entries, size))
    segments, next_id = _number(entries, next_id)
    kept = {segment.id for segment in segments if not segment.rewrite}
    dropped = tuple(segment.id for segment in old if segment.id not in kept)
    return SegmentPlan(segments=segments, chunks=chunks, next_id=next_id, dropped=dropped)


def _merge(first: PlannedSegment, second: PlannedSegment) -> PlannedSegment:
    return PlannedSegment(
        id=-1,
        documents=first.documents + second.documents,
        sources=first.sources + second.sources,
        chunks=first.chunks + second.chunks,
    )


def _worth_merging(first: PlannedSegment, second: PlannedSegment) -> bool:
    written = sum(s.documents for s in (first, second) if s.rewrite)
    kept = sum(s.documents for s in (first, second) if not s.rewrite)
    return written > 0 and kept <= MERGE_RATIO * written


def _merge_small(entries: list[PlannedSegment], size: int) -> list[PlannedSegment]:
    """Merge the neighbours worth merging, smallest pair first, until none is left."""
    while True:
        pairs = [
            (a.documents + b.documents, i)
            for i, (a, b) in enumerate(zip(entries, entries[1:], strict=False))
            if a.documents + b.documents <= size and _worth_merging(a, b)
        ]
        if not pairs:
            return entries
        _, i = min(pairs)
        entries[i : i + 2] = [_merge(entries[i], entries[i + 1])]


def _cap(entries: list[PlannedSegment]) -> list[PlannedSegment]:
    while len(entries) > MAX_SEGMENTS:
        _, i = min(
            (a.documents + b.documents, i)
            for i, (a, b) in enumerate(zip(entries, entries[1:], strict=False))
        )
        entries[i : i + 2] = [_merge(entries[i], entries[i + 1])]
    return entries


def _number(entries: list[PlannedSegment], next_id: int) -> tuple[tuple[PlannedSegment, ...], int]:
    """Give each written segment a new id, in order."""
    numbered = []
    for entry in entries:
        if entry.rewrite:
            entry = PlannedSegment(
                id=next_id, documents=entry.documents, sources=entry.sources, chunks=entry.chunks
            )
            next_id += 1
        numbered.append(entry)
    return tuple(numbered), next_id
