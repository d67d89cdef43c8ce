"""Stage 3: turn number cores into quantities with their qualifier and range.

"some 300" is approximate, "at least 22" at_least, "up to 40" at_most, "between 20,000 and
30,000" / "20,000-30,000" / "from 3 to 5" a range, "hundreds" vague. The mention grows to
take in the qualifier words; the values follow the contract's table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .casefold import fold
from .lexicon import (
    MONTHS,
    QUALIFIER_PREFIXES,
    QUALIFIER_SUFFIXES,
    RANGE_OPENERS,
    TREND_VERBS,
)
from .numbers import NumberCore

LOOK_BACK = 40  # characters searched for a qualifier before a number


@dataclass(slots=True)
class Quantity:
    """A number expression with its qualifier: what a figure's mention covers."""

    start: int
    end: int
    value: int
    value_low: int | None
    value_high: int | None
    qualifier: str
    core: NumberCore
    last: NumberCore  # the high end of a range, else the core itself
    date_range: bool = False


def _phrases(table) -> str:
    ordered = sorted(table, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"[^\S\r\n]+") for p in ordered)


_PREFIX_LAST_WORDS = frozenset(p.split()[-1] for p in QUALIFIER_PREFIXES)
_LONGEST_PREFIX = max(map(len, QUALIFIER_PREFIXES))  # characters, words one space apart
# What may follow a number's space when a suffix qualifier or a range joiner comes next.
_SUFFIX_FIRSTS = frozenset(c for p in QUALIFIER_SUFFIXES for c in (p[0], p[0].upper())) | {"-"}
_JOINER_FIRSTS = frozenset("-–—tToOaA")
_PREFIX_PATTERN = r"(?<![\w-])({})[^\S\r\n]+$"
_PREFIX = re.compile(_PREFIX_PATTERN.format(_phrases(QUALIFIER_PREFIXES)), re.IGNORECASE)
# The same, one pattern per last word: the word before a number picks the few phrases
# that can end there ("than": "more than", "no fewer than", ...).
_PREFIX_ENDING = {
    last: re.compile(
        _PREFIX_PATTERN.format(_phrases([p for p in QUALIFIER_PREFIXES if p.split()[-1] == last])),
        re.IGNORECASE,
    )
    for last in _PREFIX_LAST_WORDS
}
_SUFFIX = re.compile(rf"(?:[^\S\r\n]+|-)({_phrases(QUALIFIER_SUFFIXES)})\b", re.IGNORECASE)
_OPENER = re.compile(rf"(?<![\w-])({'|'.join(RANGE_OPENERS)})[^\S\r\n]+$", re.IGNORECASE)
_JOINER = re.compile(r"[^\S\r\n]*(?:-|–|—|to|and|or)[^\S\r\n]*", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^\S\r\n]+$")
_MONTH_AFTER = re.compile(rf"[^\S\r\n]+(?:{'|'.join(MONTHS)})\b", re.IGNORECASE)


def build_quantities(text: str, cores: list[NumberCore]) -> list[Quantity]:
    """Quantities in document order; range partners are merged into one quantity."""
    out: list[Quantity] = []
    i = 0
    n = len(cores)
    while i < n:
        core = cores[i]
        partner = cores[i + 1] if i + 1 < n else None
        rng = _range(text, core, partner) if partner is not None else None
        if rng is not None:
            out.append(rng)
            i += 2
            continue
        out.append(_single(text, core))
        i += 1
    return out


def _prefix(text: str, start: int) -> tuple[int, str | None]:
    if not start or text[start - 1] not in " \t\u00a0":
        return start, None  # no space before the number ("(300", "$5"): no qualifier word
    floor = start - LOOK_BACK if start > LOOK_BACK else 0
    newline = text.rfind("\n", floor, start)
    if newline >= 0:
        floor = newline + 1
    # Cheap test first (most numbers have no qualifier): is the word before one that ends a
    # qualifier phrase?
    gap_end = start
    while gap_end > floor and text[gap_end - 1] in " \t\u00a0":
        gap_end -= 1
    if gap_end == start or gap_end <= floor:
        return start, None
    space = text.rfind(" ", floor, gap_end)  # (no line break after floor)
    last = text[space + 1 if space >= 0 else floor : gap_end]
    if last.lower() not in _PREFIX_LAST_WORDS:
        return start, None
    # A phrase ends at gap_end; where its words stand one space apart (nearly always) it
    # starts within its longest length of there, and the search need not begin further back.
    words = text[floor:gap_end]
    if words.isprintable() and "  " not in words and gap_end - _LONGEST_PREFIX > floor:
        floor = gap_end - _LONGEST_PREFIX  # (the look-behind still sees the text before)
    # Only a phrase ending in that very word can match. (A non-ASCII word that merely
    # lower-cases to a last word is left to the pattern of all the phrases.)
    m = (_PREFIX_ENDING[last.lower()] if last.isascii() else _PREFIX).search(text, floor, start)
    if m is None:
        return start, None
    return m.start(1), QUALIFIER_PREFIXES[" ".join(fold(m.group(1)).split())]


def _single(text: str, core: NumberCore) -> Quantity:
    start, qualifier = _prefix(text, core.start)
    end = core.end
    if core.form == "vague":
        return Quantity(start, end, core.value, core.low, core.high, "vague", core, core)
    if qualifier is None and _may_follow(text, end, _SUFFIX_FIRSTS):
        m = _SUFFIX.match(text, core.end, core.end + 20)
        if m is not None:
            qualifier = QUALIFIER_SUFFIXES[" ".join(fold(m.group(1)).split())]
            end = m.end()
    qualifier = qualifier or "exact"
    low = core.value if qualifier == "at_least" else None
    high = core.value if qualifier == "at_most" else None
    return Quantity(start, end, core.value, low, high, qualifier, core, core)


def _range(text: str, a: NumberCore, b: NumberCore) -> Quantity | None:
    if a.form in ("vague", "yearrange") or b.form in ("vague", "yearrange"):
        return None
    if not _may_follow(text, a.end, _JOINER_FIRSTS):
        return None
    joiner = _JOINER.fullmatch(text, a.end, b.start)
    if joiner is None:
        return None
    word = text[a.end : b.start].strip().lower()
    low, high = a.value, b.value
    if b.scaled and not a.scaled and low < high and low * 1000 <= high:
        for scale in (1_000_000_000, 1_000_000, 1_000):
            if high >= scale and low * scale <= high * 10:
                low *= scale
                break
    if not low < high:
        return None
    opener = _OPENER.search(text, max(0, a.start - 12), a.start)
    if word == "and" and (opener is None or opener.group(1).lower() != "between"):
        return None
    if word == "or" and (a.form != b.form or high > 10 * low):
        return None
    if opener is not None and opener.group(1).lower() == "from":
        before = _WORD_BEFORE.search(text, max(0, opener.start() - 20), opener.start())
        if before is not None and before.group(1).lower() in TREND_VERBS:
            return None
    start = opener.start() if opener is not None else a.start
    qstart, _ = _prefix(text, start)
    date_range = _MONTH_AFTER.match(text, b.end) is not None
    return Quantity(qstart, b.end, low, low, high, "range", a, b, date_range)


def _may_follow(text: str, end: int, firsts: frozenset[str]) -> bool:
    """Whether a qualifier or joiner starting with one of `firsts` may follow white space (or
    nothing) at text[end]: a quick "no" for the usual number followed by a plain word."""
    c = text[end : end + 1]
    if c == " ":
        c = text[end + 1 : end + 2]
    return c.isspace() or c in firsts
