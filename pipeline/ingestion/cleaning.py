"""Removal of photo captions and promotional lines from a normalized text, driven by the
pattern tables in `tables.py`. The first line (the headline, when there is one) is never
removed. Only short lines are matched, so hostile input costs linear time."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .normalize import normalize_text
from .tables import (
    CAPTION_HINTS,
    CAPTION_MAX_CHARS,
    CAPTION_PATTERNS,
    PROMO_ANYWHERE_PATTERNS,
    PROMO_ANYWHERE_STARTS,
    PROMO_MAX_CHARS,
    PROMO_TAIL_PATTERNS,
)


def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One alternation of the table's patterns (one regex call per line, not one per pattern)."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


_CAPTION = _combined(CAPTION_PATTERNS)
_PROMO_ANYWHERE = _combined(PROMO_ANYWHERE_PATTERNS)
_PROMO_TAIL = _combined(PROMO_TAIL_PATTERNS)


def _any_case(word: str) -> str:
    """ "ab/" -> "[Aa][Bb]/": case-insensitive without re.IGNORECASE, which would disable the
    regex engine's fast scan for the first character (this runs over the whole text)."""
    return "".join(f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else re.escape(ch) for ch in word)


_CAPTION_HINT = re.compile("|".join(_any_case(h) for h in CAPTION_HINTS))
# A newline, spaces, then a start word: the match begins with "\n", found by a fast scan.
_PROMO_HINT = re.compile(
    r"\n[^\S\n]*(?:" + "|".join(_any_case(w) for w in PROMO_ANYWHERE_STARTS) + ")"
)


def _has_hint(line: str) -> bool:
    """Cheap pre-filter: every caption pattern contains one of `CAPTION_HINTS`."""
    lower = line.lower()
    return any(hint in lower for hint in CAPTION_HINTS)


def is_caption(line: str) -> bool:
    """A photo caption or photo credit line."""
    line = line.strip()
    return (
        0 < len(line) <= CAPTION_MAX_CHARS and _has_hint(line) and _CAPTION.search(line) is not None
    )


def is_promo(line: str, *, at_tail: bool) -> bool:
    """A promotional / navigation line ("Follow us on Twitter", "Read more: ...")."""
    line = line.strip()
    if not 0 < len(line) <= PROMO_MAX_CHARS:
        return False
    if _PROMO_ANYWHERE.match(line):
        return True
    return at_tail and _PROMO_TAIL.match(line) is not None


def _candidate_lines(text: str, hint: re.Pattern[str], skip_to: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line after `skip_to` in which `hint` occurs, each line once.
    The hint is searched over the whole text in C; Python work is per matching line."""
    pos = skip_to
    while True:
        m = hint.search(text, pos)
        if m is None:
            return
        start = text.rfind("\n", 0, m.end()) + 1  # a match never spans past a newline
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        yield start, end
        pos = end + 1


def clean_text(text: str) -> str:
    """`text` (already normalized) without caption and promotional lines, re-normalized."""
    first_end = text.find("\n")
    if first_end < 0:
        return text  # a single line is the headline (or the whole text): never removed
    drop: set[tuple[int, int]] = set()
    for start, end in _candidate_lines(text, _CAPTION_HINT, first_end + 1):
        if is_caption(text[start:end]):
            drop.add((start, end))
    for start, end in _candidate_lines(text, _PROMO_HINT, first_end):
        if is_promo(text[start:end], at_tail=False):
            drop.add((start, end))
    if drop:
        parts, pos = [], 0
        for start, end in sorted(drop):
            parts.append(text[pos:start])
            pos = end + 1
        parts.append(text[pos:])
        text = "".join(parts)
    # trailing promotional lines (and the blank lines between them)
    end = len(text)
    while True:
        start = text.rfind("\n", 0, end) + 1
        if start == 0:
            break  # never remove the first line
        line = text[start:end]
        if line.strip() and not is_promo(line, at_tail=True):
            break
        end = start - 1
    return normalize_text(text[:end])
