"""Word tokens of a stretch of text, with offsets, for the context stages.

Only the words near a number are ever tokenized (a bounded window in its sentence), so the
cost of the context stages grows with the number of figures, not with the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A number, a word (with inner hyphens or apostrophes), or one punctuation mark.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\w\s]")


class Token(NamedTuple):
    low: str
    start: int
    end: int
    text: str


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of text[start:end], with offsets into `text`."""
    low = text[start:end].lower().replace("’", "'")
    if len(low) != end - start:  # a letter whose lower case is longer: lower token by token
        return [
            Token(m.group().lower().replace("’", "'"), m.start(), m.end(), m.group())
            for m in _TOKEN.finditer(text, start, end)
        ]
    new = tuple.__new__  # the C constructor: NamedTuple's own __new__ is Python code
    return [
        new(Token, (low[a - start : b - start], a, b, text[a:b]))
        for a, b in map(_span, _TOKEN.finditer(text, start, end))
    ]


_span = re.Match.span


def is_word(token: Token) -> bool:
    return token.low[0].isalpha()


def is_number_token(token: Token) -> bool:
    return token.low[0].isdigit()
