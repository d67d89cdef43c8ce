"""Word tokens of a stretch of text, with offsets, for the context stages.

Only the words near a number are ever tokenized (a bounded window in its sentence), so the
cost of the context stages grows with the number of figures, not with the text.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import methodcaller
from typing import NamedTuple

# A number, a word (with inner hyphens or apostrophes), or one punctuation mark. Letters
# are spelled out as Latin ranges: Python's engine is several times slower on [^\W\d_].
_LETTER = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_TOKEN_PATTERN = rf"\d+(?:[.,]\d+)*|[{_LETTER}]+(?:[-'’][{_LETTER}]+)*|[^\w\s]"
_TOKEN = re.compile(_TOKEN_PATTERN)
# The same tokens as a group after a group of white space, so that re.split returns, per
# token, the text skipped before its white space, the white space, and the token. Eating the
# white space inside the match spares the engine a failed attempt at every space. Words
# come first (they are most tokens) and the quantifiers are possessive: the branches start
# with disjoint characters and nothing follows them, so the tokens are the same.
_SPLIT = re.compile(rf"(\s*+)([{_LETTER}]++(?:[-'’][{_LETTER}]++)*+|\d++(?:[.,]\d++)*+|[^\w\s])")
_CURLY_APOSTROPHE = methodcaller("replace", "’", "'")


class Token(NamedTuple):
    low: str
    start: int
    end: int
    text: str


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of text[start:end], with offsets into `text`."""
    return tokenize_with_starts(text, start, end)[0]


def tokenize_with_starts(text: str, start: int, end: int) -> tuple[list[Token], list[int]]:
    """Tokens of text[start:end] and the list of their start offsets (for bisection).

    No Python code runs per token: re.split cuts the window into gaps and tokens, the
    offsets are the running sums of their lengths, and the tuples are built by map().
    """
    window = text[start:end]
    parts = _SPLIT.split(window)  # skipped, white space, token, ..., skipped
    words = parts[2::3]
    offsets = list(accumulate(map(len, parts), initial=start))
    starts = offsets[2:-1:3]
    lows = map(str.lower, words)
    if "’" in window:
        lows = map(_CURLY_APOSTROPHE, lows)
    rows = zip(lows, starts, offsets[3::3], words, strict=True)
    tokens = list(map(tuple.__new__, repeat(Token), rows))
    return tokens, starts


def is_word(token: Token) -> bool:
    return token.low[0].isalpha()


def is_number_token(token: Token) -> bool:
    return token.low[0].isdigit()
