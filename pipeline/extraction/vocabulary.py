"""Lookup tables built once from `lexicon.py`, and phrase matching over tokens.

Nouns and events may span several words ("foreign fighters", "lost their lives"); matching
takes the longest phrase that starts at a token.
"""

from __future__ import annotations

from operator import itemgetter

from .lexicon import (
    ABSTRACT_NOUNS,
    CURRENCY_WORDS,
    DAMAGE_EVENTS,
    DISPLACEMENT_SITES,
    EVENT_CATEGORIES,
    LENGTH_UNITS,
    MEASURE_UNITS,
    NOUN_CATEGORIES,
    SCALES,
    SMALL_NUMBERS,
    TIME_UNITS,
)
from .tokens import LOW, TEXT, Token

# Pseudo-categories for nouns that make a number something other than a count.
ABSTRACT = "_abstract"
TIME = "_time"
LENGTH = "_length"
MEASURE = "_measure"
MONEY = "_money"
DAMAGE = "_damage"

NOUN_KIND = {
    ABSTRACT: "other",
    TIME: "duration",
    LENGTH: "distance",
    MEASURE: "other",
    MONEY: "money",
}


# First word -> (the longer phrases it starts, longest first, each as (remaining words,
# category, length); (category, 1) for the word alone, or None).
Index = dict[str, tuple[tuple[tuple[tuple[str, ...], str, int], ...], tuple[str, int] | None]]


def _index(groups: dict[str, tuple[str, ...] | frozenset[str]]) -> Index:
    """First word -> its phrases: see `Index`."""
    entries: dict[tuple[str, ...], str] = {}
    for category, phrases in groups.items():
        for phrase in phrases:
            entries.setdefault(tuple(phrase.lower().split()), category)
    longer: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
    alone: dict[str, tuple[str, int]] = {}
    for words, category in entries.items():
        longer.setdefault(words[0], [])
        if len(words) > 1:
            longer[words[0]].append((words[1:], category, len(words)))
        else:
            alone[words[0]] = (category, 1)
    return {
        w: (tuple(sorted(v, key=lambda e: -len(e[0]))), alone.get(w)) for w, v in longer.items()
    }


NOUNS: Index = _index(
    {
        **NOUN_CATEGORIES,
        TIME: TIME_UNITS,
        LENGTH: LENGTH_UNITS,
        MEASURE: MEASURE_UNITS,
        MONEY: CURRENCY_WORDS,
        ABSTRACT: ABSTRACT_NOUNS,
    }
)
EVENTS: Index = _index({**EVENT_CATEGORIES, DAMAGE: DAMAGE_EVENTS})
SITES: Index = _index({"displaced": DISPLACEMENT_SITES})
NUMBER_WORDS: frozenset[str] = frozenset(SMALL_NUMBERS) | frozenset(SCALES)


_LOW = itemgetter(0)  # Token[LOW], read in C
# Every entry starts with a letter, so a token that is no key (numbers and punctuation
# included) is turned away by one dict look-up.
assert all(w[0].isalpha() for index in (NOUNS, EVENTS, SITES) for w in index)


def _match(entry, tokens: list[Token], i: int) -> tuple[str, int] | None:
    longer, alone = entry
    if longer:
        n = len(tokens)
        for rest, category, length in longer:
            end = i + length
            if end <= n and tuple(map(_LOW, tokens[i + 1 : end])) == rest:
                return category, length
    return alone


def noun_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(category, length) of the longest lexicon noun starting at token i."""
    if i >= len(tokens):
        return None
    low = tokens[i][LOW]
    entry = NOUNS.get(low)
    found = _match(entry, tokens, i) if entry is not None else None
    if found is None and "-" in low and low[0].isalpha():
        # "Households-Sambalat": a noun glued to a name; "flood-victims": a compound noun
        first, _, rest = low.partition("-")
        part = first if tokens[i][TEXT][len(first) + 1 : len(first) + 2].isupper() else None
        part = part or low.rpartition("-")[2]
        entry = NOUNS.get(part)
        found = entry[1] if entry is not None else None
    return found


def site_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(category, length) of a displacement site named at token i ("relief camps")."""
    if i < len(tokens):
        entry = SITES.get(tokens[i][LOW])
        if entry is not None:
            return _match(entry, tokens, i)
    return None


def event_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(category, length) of the longest event phrase starting at token i."""
    if i < len(tokens):
        entry = EVENTS.get(tokens[i][LOW])
        if entry is not None:
            return _match(entry, tokens, i)
    return None


def is_people(category: str | None) -> bool:
    return (
        category is not None
        and category
        not in (
            "households",
            "places",
            "vehicles",
            "other",
        )
        and not category.startswith("_")
    )
