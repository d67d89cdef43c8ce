"""Stage 2: find number expressions in a text and read their values.

One compiled pattern finds, in a single pass, every number core: digits with thousands
separators and decimals ("20,000", "10 000", "3.5 million", "1.2m"), number words
("twenty-two", "a dozen", "one hundred and fifty"), fractions of scale words ("half a million")
and vague quantities ("several hundred", "tens of thousands"). Qualifiers and ranges around a
core are the next stage's job (`qualifiers.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from .casefold import fold
from .lexicon import (
    FRACTIONS,
    SCALE_SUFFIXES,
    SCALES,
    SMALL_NUMBERS,
    VAGUE_NEEDS_OF,
    VAGUE_QUANTITIES,
)

MAX_DIGITS = 15  # longer digit runs are identifiers or noise, not figures


@dataclass(slots=True)
class NumberCore:
    """A number expression without its qualifiers."""

    start: int
    end: int
    value: int
    low: int | None = None
    high: int | None = None
    form: str = "digits"  # digits | words | vague | fraction | yearrange
    scaled: bool = False  # carries a scale word ("3 million"), so a range partner may share it


_START = attrgetter("start")


def _alternation(words) -> str:
    """A regex matching any of `words` (spaces match any white space), as a prefix trie.

    Python's engine tries the branches of a flat alternation one by one at every position;
    sharing prefixes keeps the word scan fast.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = []
    for ch in sorted((c for c in node if c), key=lambda c: -_depth(node[c])):
        piece = r"[^\S\r\n]+" if ch == " " else re.escape(ch)
        branches.append(piece + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _depth(node: dict) -> int:
    return 1 + max((_depth(child) for child in node.values()), default=0)


_SCALE_WORDS = _alternation(SCALES)
_NUMBER_WORD = rf"(?:{_alternation(list(SMALL_NUMBERS) + list(SCALES))})\b"
_VAGUE = "|".join(
    [_alternation([v for v in VAGUE_QUANTITIES if v not in VAGUE_NEEDS_OF])]
    + [_alternation([v]) + r"(?=[^\S\r\n]+of\b)" for v in VAGUE_NEEDS_OF]
)
_SEP_SPACE = "[ \u00a0\u202f\u2009]"
# Spaces inside one number or phrase never include a line break: a mention stays on its line.
_NOT_AFTER = r"(?<![\w.,/+:$€£¥₹])(?<![A-Za-z]-)"  # not inside a word, code, time or amount

# Digits: the first digit is consumed before the look-behind so that the engine's fast
# scan for a digit applies.
_DIGITS = re.compile(
    rf"""
    \d(?<![\w.,/+:$€£¥₹]\d)(?<![A-Za-z]-\d)
    (?:
      (?P<yearrange>(?<=[12])(?:[89]\d\d|0\d\d)(?<=(?:1[89]|20)\d\d)[^\S\r\n]?[-–/][^\S\r\n]?(?:\d{{4}}|\d\d)(?![\d,]))
    | (?P<digits>
        (?:\d?(?:,\d\d(?=,))++,\d{{3}}(?![\d])  # Indian grouping: 5,00,000
          |\d{{0,2}}(?:,\d{{3}})++(?![\d])
          |\d{{0,2}}(?:{_SEP_SPACE}\d{{3}})++(?![\d,]|\.\d)
          |\d{{0,2}},[ ]000(?!\d)
          |\d*+)
        (?:\.\d+)?
        (?P<scale>[^\S\r\n]*-?[^\S\r\n]*(?:{_SCALE_WORDS})\b|(?:{_alternation(SCALE_SUFFIXES)})\b)?
      )(?![\w]|[.,:/]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Number words are matched only where a word that can open one stands: scanning plain
# words and looking them up is several times faster than trying the word pattern at every
# position of the text.
_LETTERS = re.compile(r"[A-Za-z]+")
_OPENERS: frozenset[str] = frozenset(
    [*SMALL_NUMBERS, *SCALES]
    + [w for phrase in [*VAGUE_QUANTITIES, *FRACTIONS] for w in phrase.split()[:2] if w != "of"]
) - {"a", "an"}
# Opener words between ASCII word boundaries, in the lower-cased text. The character before
# the word is matched rather than looked behind at, so that the engine's fast scan for a
# non-letter applies and the positions inside words are never tried; the text is scanned with
# a space before it, so that a word at its very start has such a character too.
_OPENER_SCAN = re.compile(rf"[^a-z]({_alternation(sorted(_OPENERS))})(?![a-z])")
_ARTICLE_BEFORE = re.compile(r"(?<![\w-])an?[^\S\r\n]+$", re.IGNORECASE)
_WORDS = re.compile(
    rf"""
    {_NOT_AFTER}
    (?:
      (?P<vague>{_VAGUE})\b
    | (?P<fraction>(?:{_alternation(FRACTIONS)})[^\S\r\n]+(?:of[^\S\r\n]+)?an?[^\S\r\n]+(?:{_SCALE_WORDS}))\b
    | (?P<words>(?:an?[^\S\r\n]+(?=(?:{_SCALE_WORDS})\b))?
        {_NUMBER_WORD}(?:(?:[^\S\r\n]*-[^\S\r\n]*|[^\S\r\n]+and[^\S\r\n]+|[^\S\r\n]+){_NUMBER_WORD})*+)\b
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def find_numbers(text: str) -> Iterator[NumberCore]:
    """Every number core of `text`, in order."""
    cores = _digit_cores(text)
    words = [c for c in map(_from_match, _word_matches(text)) if c is not None]
    if not words:
        return iter(cores)  # digit matches never overlap one another
    merged = sorted(cores + words, key=_START)  # stable: digits first on a tie
    out = []
    last_end = -1
    for core in merged:
        if core.start >= last_end:  # "3 hundred" is one core, not "3" and "hundred"
            last_end = core.end
            out.append(core)
    return iter(out)


def _digit_cores(text: str) -> list[NumberCore]:
    cores = []
    for m in _DIGITS.finditer(text):
        raw = m.group()
        if raw.isdigit():  # plain digits ("20", "2019"), most numbers: read at once
            if len(raw) <= MAX_DIGITS:
                start, end = m.span()
                cores.append(NumberCore(start, end, int(raw)))
            continue
        core = _from_match(m)
        if core is not None:
            cores.append(core)
    return cores


def _word_matches(text: str) -> Iterator[re.Match]:
    """Matches of the number-word pattern, tried only where an opening word stands."""
    last_end = -1
    for start in _opener_positions(text):
        if start < last_end:
            continue
        before = text[max(0, start - 4) : start]
        article = None
        if "a" in before or "A" in before:  # (no "a" or "an" there, most often)
            article = _ARTICLE_BEFORE.search(text, max(0, start - 4), start)
        m = _WORDS.match(text, article.start()) if article is not None else None
        if m is None or m.end() <= start:
            m = _WORDS.match(text, start)
        if m is not None:
            last_end = m.end()
            yield m


def _opener_positions(text: str) -> list[int]:
    """Sorted offsets of the words that can open a number ("two", "hundreds", "several").

    One pass of a prefix-trie pattern over the lower-cased text finds them; its few hits are
    checked for word boundaries in Python (any letter, not only a-z, joins a word).
    """
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer: scan word by word
        return [m.start() for m in _LETTERS.finditer(text) if m.group().lower() in _OPENERS]
    n = len(low)
    positions = []
    for m in _OPENER_SCAN.finditer(" " + low):
        i, j = m.start(1) - 1, m.end(1) - 1  # offsets in `low`, after the space put before it
        if (i == 0 or not low[i - 1].isalpha()) and (j >= n or not low[j].isalpha()):
            positions.append(i)
    return positions


def _from_match(m: re.Match) -> NumberCore | None:
    kind = m.lastgroup
    if m.re is _DIGITS and m.group("digits") is not None:
        return _read_digits(m)
    if kind == "yearrange":
        return NumberCore(m.start(), m.end(), int(m.group()[:4]), form="yearrange")
    if kind == "words":
        return _read_words(m.group("words"), m.start())
    if kind == "vague":
        low, high = VAGUE_QUANTITIES[" ".join(fold(m.group("vague")).split())]
        return NumberCore(m.start(), m.end(), low, low, high, "vague")
    if kind == "fraction":
        return _read_fraction(m.group("fraction"), m.start())
    return None


def parse_number(expression: str) -> int | None:
    """The value of one number expression ("3,343", "twenty-two", "2.3 lakh"), or None."""
    expression = expression.strip()
    cores = list(find_numbers(expression))
    if len(cores) != 1 or cores[0].form == "vague" or cores[0].start != 0:
        return None
    return cores[0].value if cores[0].end == len(expression) else None


_SEPARATORS = str.maketrans("", "", ", \t\n\u00a0\u202f\u2009")


def _read_digits(m: re.Match) -> NumberCore | None:
    raw = m.string[m.start() : m.end("digits")]  # the first digit stands before the group
    scale_text = m.group("scale")
    number = raw[: len(raw) - len(scale_text)] if scale_text else raw
    number = number.translate(_SEPARATORS)
    whole, _, fraction = number.partition(".")
    if len(whole) > MAX_DIGITS or len(fraction) > MAX_DIGITS:
        return None
    multiplier = 1
    if scale_text:
        word = scale_text.strip(" -\u00a0").lower()
        multiplier = SCALES.get(word) or SCALE_SUFFIXES.get(word, 1)
        if word in SCALE_SUFFIXES and not fraction and word == "m":
            return None  # "300m" is as likely metres as millions
    elif fraction:
        return None  # a bare decimal ("2.5") counts nothing
    value = int(whole or "0") * multiplier
    if fraction:
        value += int(fraction) * multiplier // 10 ** len(fraction)
    return NumberCore(m.start(), m.end(), value, form="digits", scaled=bool(scale_text))


def words_value(words: list[str]) -> tuple[int, int] | None:
    """Value of number words and how many of them form one number ("two three" stops at two)."""
    total = current = 0
    used = 0
    last_small = None
    for w in words:
        if w in ("and", "a", "an"):
            used += 1
            continue
        if w in SMALL_NUMBERS:
            v = SMALL_NUMBERS[w]
            # "twenty two" is one number, "two three" and "twenty thirty" are not
            if last_small is not None and not (
                last_small >= 20 and last_small % 10 == 0 and v < 10
            ):
                break
            current += v
            last_small = v
        elif w == "hundred" or w == "dozen":
            if current >= SCALES[w] and w == "hundred":
                break
            current = (current or 1) * SCALES[w]
            last_small = None
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
            last_small = None
        else:
            break
        used += 1
    while used and words[used - 1] in ("and", "a", "an"):
        used -= 1
    if not used:
        return None
    return total + current, used


def _read_words(raw: str, start: int) -> NumberCore | None:
    if raw.isascii() and raw.isalpha():  # one word ("two", "dozens"): most of them
        parts = [(raw.lower(), 0, len(raw))]
    else:
        parts = [(m.group().lower(), m.start(), m.end()) for m in _LETTERS.finditer(raw)]
    result = words_value([p[0] for p in parts])
    if result is None:
        return None
    value, used = result
    first = parts[0][0]
    if first in SCALES and SCALES[first] >= 1_000:
        return None  # a bare "million" follows an amount the pattern did not take ("$5 million")
    end = start + parts[used - 1][2]
    scaled = any(p[0] in SCALES for p in parts[:used])
    return NumberCore(start, end, value, form="words", scaled=scaled)


def _read_fraction(raw: str, start: int) -> NumberCore:
    words = raw.lower().split()
    scale = SCALES[words[-1]]
    for phrase, (num, den) in FRACTIONS.items():
        if " ".join(words).startswith(phrase + " "):
            return NumberCore(start, start + len(raw), scale * num // den, form="fraction")
    return NumberCore(start, start + len(raw), scale // 2, form="fraction")
