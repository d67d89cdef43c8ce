"""Word tokens of a stretch of text, with offsets, for the context stages.

Only the words near a number are ever tokenized (a bounded window in its sentence), so the
cost of the context stages grows with the number of figures, not with the text.
"""

from __future__ import annotations

import re
from operator import itemgetter

# A number, a word (with inner hyphens or apostrophes), or one punctuation mark. Letters
# are spelled out as Latin ranges: Python's engine is several times slower on [^\W\d_].
_LETTER = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_TOKEN_PATTERN = rf"\d+(?:[.,]\d+)*|[{_LETTER}]+(?:[-'’][{_LETTER}]+)*|[^\w\s]"
_TOKEN = re.compile(_TOKEN_PATTERN)
# A lower-case ASCII word where the token pattern would end it too: no letter follows, nor
# a hyphen or an apostrophe joining another word ("worst-hit", "children's").
_PLAIN_WORD = rf"[a-z]++(?![{_LETTER}]|[-'’][{_LETTER}])"
# The same tokens as a group after a group of white space, so that re.split returns, per
# match, the text skipped before its white space, the white space, and the match. A match is
# one token or a run of plain words one space apart ("have displaced more than"), which
# str.split then cuts: a regex match costs far more than that. Eating the white space inside
# the match spares the engine a failed attempt at every space. Runs come first, then words
# (most tokens), and the quantifiers are possessive: the branches end where the token
# pattern's would and nothing follows them, so the tokens are the same.
_SPLIT = re.compile(
    rf"(\s*+)({_PLAIN_WORD}(?: {_PLAIN_WORD})*+"
    rf"|[{_LETTER}]++(?:[-'’][{_LETTER}]++)*+|\d++(?:[.,]\d++)*+|[^\w\s])"
)
_START_OF = itemgetter(1)


# A token is a plain tuple (lower-cased text, start, end, text), read by index: a
# NamedTuple would cost more to build and to read.
Token = tuple[str, int, int, str]
LOW, START, END, TEXT = range(4)


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of text[start:end], with offsets into `text`."""
    return tokenize_with_starts(text, start, end)[0]


def tokenize_with_starts(text: str, start: int, end: int) -> tuple[list[Token], list[int]]:
    """Tokens of text[start:end] and the list of their start offsets (for bisection)."""
    window = text[start:end]
    curly = "’" in window  # (read as a straight apostrophe)
    tokens: list[Token] = []
    append = tokens.append
    pos = start
    parts = iter(_SPLIT.split(window))  # skipped, white space, match, ..., skipped
    for skipped, space, match in zip(parts, parts, parts, strict=False):  # (bar the last)
        if skipped:
            pos += len(skipped)
        if space:
            pos += len(space)
        if " " in match:  # plain words: each is its own lower case
            for word in match.split(" "):
                n = len(word)
                append((word, pos, pos + n, word))
                pos += n + 1
            pos -= 1
        else:
            n = len(match)
            low = match.lower().replace("’", "'") if curly else match.lower()
            append((low, pos, pos + n, match))
            pos += n
    return tokens, list(map(_START_OF, tokens))


def is_word(token: Token) -> bool:
    return token[LOW][0].isalpha()


def is_number_token(token: Token) -> bool:
    return token[LOW][0].isdigit()
