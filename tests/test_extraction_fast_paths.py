"""The extractor's fast paths read exactly what the plain rules they stand for read: the
tokenizer's runs of plain words, the place scanner's run pattern, the qualifier search
narrowed to the word before a number, its quick refusals of suffixes and range joiners, and
the sentence splitter's line and abbreviation checks, each against its plain definition on
any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extraction import places, qualifiers, sentences, tokens
from pipeline.extraction.lexicon import QUALIFIER_PREFIXES
from pipeline.extraction.numbers import find_numbers

# Pieces that reach the branches of every pattern: cases, accents, non-Latin letters,
# digits, every kind of white space, hyphens, apostrophes, stops, qualifier and place words.
PIECES = [
    "a", "z", "A", "Z", "é", "É", "ß", "Ā", "σ", "_", "0", "7", "٣", "²",
    " ", " ", "  ", "\t", "\xa0", "\n", "\r", "-", "‐", "'", "’", ".", ",", "(", "“",
    "U.S.", "Feb.", "J.", "Mr.", "e.g.", "of ", "the ", "al-", "de ", "'s", "’S",
    "about ", "at least ", "more than ", "no fewer than ", "up to ", "AT LEAST ", "approx. ",
    "in the region of ", "some", "than", "Deir ", "Zour", "Kenya", "Red", "Cross", "worst-hit",
    "20,000", "3.5", "iPhone", "café", "people", "killed", "-odd", " or so", " plus", " or more",
    " to ", " and ", " between ", "–", "—",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def plain_tokens(text: str, start: int, end: int) -> list[tuple[str, int, int, str]]:
    found = tokens._TOKEN.finditer(text, start, end)
    return [(m.group().lower().replace("’", "'"), m.start(), m.end(), m.group()) for m in found]


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 300), st.integers(0, 300))
def test_tokens_are_those_of_the_token_pattern(text: str, a: int, b: int) -> None:
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    expected = plain_tokens(text, a, b)
    assert tokens.tokenize_with_starts(text, a, b) == (expected, [t[1] for t in expected])


def plain_run_pattern() -> re.Pattern[str]:
    letter, upper = places._LETTER, places._UPPER
    token = rf"[{upper}](?<![\w'’.].)(?:(?:\.[{upper}])+\.?|{letter}*(?:['’\-‐]{letter}+)*)"
    gap = places._GAP_PATTERN.replace("(", "(?:", 1)
    return re.compile(rf"({token}(?:{gap}{token})*)")


PLAIN_RUN = plain_run_pattern()


@settings(max_examples=400, deadline=None)
@given(texts)
def test_place_runs_are_those_of_the_plain_pattern(text: str) -> None:
    assert places._RUN_SPLIT.split(text) == PLAIN_RUN.split(text)


def plain_prefix(text: str, start: int) -> tuple[int, str | None]:
    """The qualifier before a number, searched for over the whole look-back."""
    floor = max(0, start - qualifiers.LOOK_BACK)
    newline = text.rfind("\n", floor, start)
    if newline >= 0:
        floor = newline + 1
    gap_end = start
    while gap_end > floor and text[gap_end - 1] in " \t\u00a0":
        gap_end -= 1
    if gap_end == start or gap_end <= floor:
        return start, None
    word_start = text.rfind(" ", floor, gap_end) + 1
    if text[max(word_start, floor) : gap_end].lower() not in qualifiers._PREFIX_LAST_WORDS:
        return start, None
    m = qualifiers._PREFIX.search(text, floor, start)
    if m is None:
        return start, None
    return m.start(1), QUALIFIER_PREFIXES[" ".join(m.group(1).lower().split())]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_qualifier_before_a_number_is_found_as_by_the_full_search(text: str) -> None:
    text += " 12"
    start = len(text) - 2
    assert qualifiers._prefix(text, start) == plain_prefix(text, start)


@settings(max_examples=400, deadline=None)
@given(texts, texts, texts)
def test_quick_refusals_of_suffixes_and_joiners_refuse_nothing(a: str, b: str, c: str) -> None:
    text = f"{a} 12{b} 3{c}"
    cores = list(find_numbers(text))
    fast = qualifiers.build_quantities(text, cores)
    real = qualifiers._may_follow
    qualifiers._may_follow = lambda *args: True
    try:
        assert fast == qualifiers.build_quantities(text, cores)
    finally:
        qualifiers._may_follow = real


WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


@settings(max_examples=400, deadline=None)
@given(texts)
def test_lines_and_abbreviations_are_read_as_by_their_patterns(text: str) -> None:
    assert sentences._lines(text) == [m.span() for m in sentences._LINE.finditer(text)]
    for dot in (i for i, c in enumerate(text) if c == "."):
        m = WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
        word = m.group(1).lower() if m else None
        expected = word is not None and (
            word in sentences.ABBREVIATIONS
            or len(word) == 1
            or sentences._INITIALS.fullmatch(word) is not None
        )
        assert sentences._is_abbreviation(text, dot, 0) == expected
