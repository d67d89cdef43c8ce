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
from .tokens import Token

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


Index = dict[str, tuple[tuple[tuple[str, ...], str], ...]]


def _index(groups: dict[str, tuple[str, ...] | frozenset[str]]) -> Index:
    """First word -> ((remaining words, category), ...), longest phrases first."""
    entries: dict[tuple[str, ...], str] = {}
    for category, phrases in groups.items():
        for phrase in phrases:
            entries.setdefault(tuple(phrase.lower().split()), category)
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, category in entries.items():
        index.setdefault(words[0], []).append((words[1:], category))
    return {w: tuple(sorted(v, key=lambda e: -len(e[0]))) for w, v in index.items()}


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


_LOW = itemgetter(0)  # Token.low, read in C
# Every entry starts with a letter, so a token that is no key (numbers and punctuation
# included) is turned away by one dict look-up.
assert all(w[0].isalpha() for index in (NOUNS, EVENTS, SITES) for w in index)


def _match(entries, tokens: list[Token], i: int) -> tuple[str, int] | None:
    n = len(tokens)
    for rest, category in entries:
        if not rest:
            return category, 1
        end = i + 1 + len(rest)
        if end <= n and tuple(map(_LOW, tokens[i + 1 : end])) == rest:
            return category, 1 + len(rest)
    return None


def noun_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(category, length) of the longest lexicon noun starting at token i."""
    if i >= len(tokens):
        return None
    low = tokens[i].low
    entries = NOUNS.get(low)
    found = _match(entries, tokens, i) if entries is not None else None
    if found is None and "-" in low and low[0].isalpha():
        # "Households-Sambalat": a noun glued to a name; "flood-victims": a compound noun
        first, _, rest = low.partition("-")
        part = first if tokens[i].text[len(first) + 1 : len(first) + 2].isupper() else None
        part = part or low.rpartition("-")[2]
        single = [c for rest, c in NOUNS.get(part, ()) if not rest]
        found = (single[0], 1) if single else None
    return found


def site_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(category, length) of a displacement site named at token i ("relief camps")."""
    if i < len(tokens):
        entries = SITES.get(tokens[i].low)
        if entries is not None:
            return _match(entries, tokens, i)
    return None


def event_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(category, length) of the longest event phrase starting at token i."""
    if i < len(tokens):
        entries = EVENTS.get(tokens[i].low)
        if entries is not None:
            return _match(entries, tokens, i)
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
