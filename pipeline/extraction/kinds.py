"""Stage 6: recognise numbers that are not counts, from the words right around them.

Percentages, money, dates and times, years, ages ("al-Soussi, 22", "six-year-old"),
durations ("eight-year civil war"), distances and other measures ("300 yards", "3.5km"),
and labels ("Route 66"). The counted noun itself is read by `nouns.py`; a time or measure
noun there also makes the number a non-count (see `vocabulary.NOUN_KIND`).
"""

from __future__ import annotations

import re

from .lexicon import (
    AFTER_NAME_WORDS,
    AGE_WORDS,
    COUNTING_COMPOUNDS,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    GROUP_SIZE_NOUNS,
    IRREGULAR_PLURALS,
    LABEL_WORDS,
    LENGTH_UNITS,
    MEASURE_UNITS,
    MONTHS,
    NOUN_CATEGORY_FIXED,
    PHRASE_STOPS,
    SMALL_NUMBERS,
    TIME_UNITS,
)
from .qualifiers import Quantity
from .tokens import LOW, TEXT, Token
from .vocabulary import NUMBER_WORDS, event_at, is_people, noun_at

_PERCENT = re.compile(r"\s*(?:%|per\s?cent\b|percent\b|pct\b|percentage\b)", re.IGNORECASE)
_TIME_OF_DAY = re.compile(
    r"\s*(?:[ap]\.\s?m\.|[ap]m\b|gmt\b|utc\b|hrs\b|hours\s+(?:gmt|local)\b|o['’]clock\b)",
    re.IGNORECASE,
)
_PERCENT_FIRST = frozenset("%pP")
_AGE_FIRST = frozenset("-yYmM%")  # what may follow the number's white space in _AGE_AFTER
_TIME_FIRST = frozenset("aApPgGuUhHoO%")  # "%": see the all-spaces case in non_count_kind
_COMPOUND = re.compile(r"[-–]([A-Za-z]+)(?:[-–]([A-Za-z]+))?")  # "eight-year", "six-year-old"
_AGE_AFTER = re.compile(r"[\s-]+(?:years?|yrs?|months?)[\s-]+old\b", re.IGNORECASE)
_AGE_DECADE = re.compile(r"s\b")  # "in her 20s" (the digits pattern already refuses it)
_CURRENCY_CHARS = frozenset("$€£¥₹₦")
_CURRENCY_SYMBOL = re.compile(rf"[{''.join(sorted(_CURRENCY_CHARS))}]\s?$")
_LIST_WORDS = frozenset({",", "and", "or", "-", "to"})  # between the ages of a list
# Every word before a quantity that _kind_from_left has a rule for (or a digit).
_LEFT_CUES = (
    AGE_WORDS | _LIST_WORDS | CURRENCY_PREFIXES | MONTHS | LABEL_WORDS | {".", "of", "under", "("}
)
_RATIO_DENOMINATOR = re.compile(
    r"(?:\d+|ten|five|four|three|two|hundred|a hundred)\b", re.IGNORECASE
)
_RATIO_NUMERATOR = re.compile(r"(?<![\w,.])(?:\d+|one|two|three|four|five|nine)\s+$", re.IGNORECASE)


def non_count_kind(text: str, q: Quantity, left: list[Token], right: list[Token]) -> str | None:
    """The kind of a quantity that is plainly not a count, or None."""
    core = q.core
    if core.form == "yearrange" or q.date_range:
        return "date"
    end = q.last.end
    # Cheap tests first: the unit patterns below are tried only where the next characters
    # could start them (most numbers are followed by a space and a plain word).
    head = text[end : end + 16]
    first = head.lstrip()[:1] or ("%" if len(head) == 16 else "")  # all spaces: try them all
    if first in _PERCENT_FIRST and _PERCENT.match(text, end):
        return "percent"
    if first in _TIME_FIRST and _TIME_OF_DAY.match(text, end):
        return "date"
    after = head[:1]
    if after in ("-", "–") and core.form != "vague":
        compound = _COMPOUND.match(text, end)
        if compound is not None:
            word = compound.group(1).lower()
            if word in TIME_UNITS or word.rstrip("s") in TIME_UNITS:
                return "age" if (compound.group(2) or "").lower() == "old" else "duration"
            if word in LENGTH_UNITS:
                return "distance"
            if word in MEASURE_UNITS:
                return "other"
            if word not in COUNTING_COMPOUNDS and not word[0].isdigit():
                return "other"
    if first in _AGE_FIRST and (after == "-" or after.isspace()) and _AGE_AFTER.match(text, end):
        return "age"
    ratio_cue = (right and right[0][LOW] == "in") or (left and left[-1][LOW] == "in")
    if ratio_cue and _is_ratio(left, right, core.value):
        return "other"
    if left:
        kind = _kind_from_left(text, q, left, right)
        if kind is not None:
            return kind
    if right:
        nxt = right[0]
        if nxt[LOW] in CURRENCY_WORDS:
            return "money"
        if nxt[LOW] in MONTHS and core.value <= 31 and _is_month(nxt):
            return "date"
    if _is_year(text, q) and not _count_noun_follows(right):
        return "date"
    return None


def _kind_from_left(text: str, q: Quantity, left: list[Token], right: list[Token]) -> str | None:
    """The kind the word before a quantity tells: "aged 5", "$5", "Feb. 15", "Route 66"."""
    last = left[-1][LOW]
    if last not in _LEFT_CUES and not last[0].isdigit():  # a plain word: only "$ 5" is left
        return "money" if _after_currency_symbol(text, q) else None
    prev, low = left[-1], last
    if low == "." and len(left) > 1 and left[-2][LOW] in MONTHS:
        prev = left[-2]  # "Feb. 15"
        low = prev[LOW]
    if low in AGE_WORDS or ((last in _LIST_WORDS or last[0].isdigit()) and _in_age_list(left)):
        return "age"
    if low == "of" and len(left) > 1:
        if left[-2][LOW] in AGE_WORDS:
            return "age"  # "children under the age of five"
        if left[-2][LOW] in GROUP_SIZE_NOUNS and len(left) > 2 and left[-3][LOW] in ("a", "an"):
            return "other"  # "a family of five": the size of a group
    if low in CURRENCY_PREFIXES or _after_currency_symbol(text, q):
        return "money"
    if low in MONTHS and _is_month(prev) and (q.core.value <= 31 or _is_year(text, q)):
        return "date"
    if low in LABEL_WORDS and not _count_noun_follows(right):
        return "other"
    if low == "under" and not _count_noun_follows(right):
        return "age"  # "children under five"
    if last in ("(", ",") and _after_name(left, right, q):
        return "age"
    return None


def _after_currency_symbol(text: str, q: Quantity) -> bool:
    before = text[max(0, q.start - 2) : q.start]
    return not _CURRENCY_CHARS.isdisjoint(before) and bool(
        _CURRENCY_SYMBOL.search(text, max(0, q.start - 2), q.start)
    )


def _is_ratio(left: list[Token], right: list[Token], value: int) -> bool:
    """ "3 in 10 children", "one in five": a proportion, not a count."""
    if len(right) > 1 and right[0][LOW] == "in":
        whole = _small_value(right[1][LOW])
        after = right[2][LOW] if len(right) > 2 else ""
        if whole is not None and value < whole and after not in TIME_UNITS | LENGTH_UNITS:
            return True
    if len(left) > 1 and left[-1][LOW] == "in":
        part = _small_value(left[-2][LOW])
        return part is not None and part < value and (len(left) < 3 or left[-3][LOW] != "the")
    return False


def _small_value(word: str) -> int | None:
    if word.isdigit() and len(word) <= 4:
        return int(word)
    return SMALL_NUMBERS.get(word)


def _in_age_list(left: list[Token]) -> bool:
    """ "aged 5 and 7", "aged 18, 20 and 25": later members of a list of ages."""
    for j in range(len(left) - 1, max(-1, len(left) - 8), -1):
        low = left[j][LOW]
        if low in AGE_WORDS:
            return True
        if not (low[0].isdigit() or low in _LIST_WORDS):
            return False
    return False


def _is_month(token: Token) -> bool:
    # "May" the month is written with a capital; "may" is a verb.
    return token[LOW] != "may" or token[TEXT][0] == "M"


def _is_year(text: str, q: Quantity) -> bool:
    core = q.core
    return (
        q.qualifier in ("exact", "approximate")
        and core.form == "digits"
        and core.end - core.start == 4
        and 1800 <= core.value <= 2100
    )


def _count_noun_follows(right: list[Token]) -> bool:
    """A counted noun right after the number, or after one plain modifier ("1300 new fighters")."""
    for i in range(min(2, len(right))):
        found = noun_at(right, i)
        if found is not None:
            word = right[i + found[1] - 1][LOW]
            plural = word.endswith("s") or word in IRREGULAR_PLURALS
            return plural and (is_people(found[0]) or found[0] in NOUN_CATEGORY_FIXED)
        low = right[i][LOW]
        if not low[0].isalpha() or low in PHRASE_STOPS or event_at(right, i) or low in NUMBER_WORDS:
            return False
    return False


def _after_name(left: list[Token], right: list[Token], q: Quantity) -> bool:
    """ "Amal al-Soussi, 22, arrived", "John Smith (45)": a name and a small number."""
    if len(left) < 2 or q.core.form != "digits" or q.qualifier != "exact":
        return False
    if left[-1][LOW] == "(" and right and right[0][LOW] == ")":
        return not left[-2][TEXT].islower() and left[-2][LOW][0].isalpha() and 0 < q.value < 110
    if left[-1][LOW] != ",":
        return False
    name = left[-2]  # "al-Soussi" and "bin Laden" are names too: any capital will do
    if name[TEXT].islower() or not name[LOW][0].isalpha() or not 0 < q.value < 110:
        return False
    return not right or right[0][LOW] in AFTER_NAME_WORDS
