"""Stage 1: split a text into sentences, with offsets.

Every line is at least one sentence (headlines, datelines and short lines stand alone).
Within a line, a sentence ends at . ! or ? followed by space and a capital, a digit or an
opening quote, unless the word before the stop is an abbreviation ("U.S.", "Feb.", "Gov.")
or an initial. Overlong runs without any stop are cut at a space so that no sentence grows
without bound.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left, bisect_right

from .lexicon import ABBREVIATIONS

MAX_SENTENCE = 1_500

_LINE = re.compile(r"[^\n\r]+")
# Possessive quantifiers and the look-behind keep runs of stops ("......") linear.
# The first stop is consumed before the look-behind so that the engine's fast scan for a
# stop character applies.
_STOP = re.compile(r"[.!?](?<![.!?][.!?])[.!?]*+[\"'”’)\]]*+\s++(?=[\"'“‘(\[]?[A-Z0-9])")
_NON_SPACE = re.compile(r"\S")
_WORD_CHARS = frozenset(string.ascii_letters + ".")  # of the word before a stop ("U.S.")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")  # "u.s" before the stop of "U.S."


def split_sentences(text: str, only_at: list[int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`, in order, without surrounding space.

    With `only_at` (sorted offsets), lines holding none of them are not split: each stays
    one span, which is all a reader of the figures needs from them.
    """
    spans: list[tuple[int, int]] = []
    n_at = len(only_at) if only_at is not None else 0
    for start, line_end in _lines(text):
        if only_at is not None:
            i = bisect_left(only_at, start)
            if i == n_at or only_at[i] >= line_end:
                _add(text, spans, start, line_end)
                continue
        for stop in _STOP.finditer(text, start, line_end):
            if _is_abbreviation(text, stop.start(), start):
                continue
            _add(text, spans, start, stop.end())
            start = stop.end()
        _add(text, spans, start, line_end)
    return spans


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of the non-empty lines of `text`."""
    if "\r" in text:
        return [m.span() for m in _LINE.finditer(text)]
    lines = []
    start = 0
    for line in text.split("\n"):  # (a C split: faster than the pattern when only \n ends lines)
        end = start + len(line)
        if line:
            lines.append((start, end))
        start = end + 1
    return lines


def _is_abbreviation(text: str, dot: int, floor: int) -> bool:
    if text[dot] != ".":
        return False
    # The word before the stop: letters and dots, from a letter, within 12 characters.
    lo = max(floor, dot - 12)
    i = dot
    while i > lo and text[i - 1] in _WORD_CHARS:
        i -= 1
    while i < dot and text[i] == ".":
        i += 1
    if i == dot:
        return False
    word = text[i:dot].lower()
    return word in ABBREVIATIONS or len(word) == 1 or _INITIALS.fullmatch(word) is not None


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    if start >= end:
        return
    if text[start].isspace():  # (most sentences start at once: no search needed)
        first = _NON_SPACE.search(text, start, end)
        if first is None:
            return
        start = first.start()
    if text[end - 1].isspace():
        end = start + len(text[start:end].rstrip())
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        first = _NON_SPACE.search(text, cut, end)
        if first is None:
            return
        start = first.start()
    if end > start:
        spans.append((start, end))


class SentenceIndex:
    """Sentence spans of a text with lookup of the sentence holding an offset."""

    def __init__(self, text: str, only_at: list[int] | None = None) -> None:
        self.spans = split_sentences(text, only_at)
        self._starts = [s for s, _ in self.spans]

    def index_of(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def __len__(self) -> int:
        return len(self.spans)
