"""Stage 4: the counted noun after a number.

Reads the noun phrase that follows a quantity: past modifiers ("Some 300 IS militants",
"22 flatbed trucks"), through "of" ("hundreds of men, women and children", "16 of its 35
provinces"), with coordination ("homes and shops"). The head is the lexicon noun of the
phrase, or failing that its last word; a quantity with no noun is elliptical ("nearly 20,000
have walked"), and its category comes from the verb (`events.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import (
    AUXILIARIES,
    CASE_NOUNS,
    COUNTING_COMPOUNDS,
    COUNTING_WORDS,
    DETERMINERS,
    DISEASES,
    IRREGULAR_PLURALS,
    PHRASE_STOPS,
    PRONOUNS,
)
from .tokens import END, LOW, START, TEXT, Token, is_word
from .vocabulary import ABSTRACT, EVENTS, NOUNS, NUMBER_WORDS, event_at, is_people, noun_at

_QUOTES = frozenset({'"', "'", "“", "”", "‘", "’"})
_COORDINATORS = frozenset({",", "and", "or", "&"})
_MAX_WORDS = 6


@dataclass(slots=True)
class NounPhrase:
    """What a quantity counts, as far as the words after it say."""

    unit: str | None = None  # counted noun(s) as written, lower case
    category: str | None = None  # lexicon category of the head (or a pseudo-category)
    end: int = 0  # index of the first token after the phrase
    known: bool = False  # the head is in the lexicon
    partitive: bool = False  # "16 of its 35 provinces", "two of them"
    pronoun: bool = False  # "of them", "of those"
    modifier_event: str | None = None  # "displaced" in "163,000 displaced people"
    demonym: bool = False  # "nine Pakistanis"
    fixed: bool = False  # the noun names what happened ("cases" of a disease): no verb overrides it


def read_noun_phrase(text: str, right: list[Token], numbers: set[int], end: int) -> NounPhrase:
    """The noun phrase at the start of `right` (tokens after a quantity ending at `end`)."""
    i, n = 0, len(right)
    partitive = False
    # "a 1,130-member group", "a 5,000-strong force"
    if (
        n > 1
        and right[0][LOW] == "-"
        and right[0][START] == end
        and right[1][LOW] in COUNTING_COMPOUNDS
    ):
        k = 3 if n > 2 and _starts_phrase(right[2]) and noun_at(right, 2) is None else 2
        return NounPhrase(unit=right[1][LOW], category="people", end=k, known=True)
    if i + 2 < n and right[i][LOW] in COUNTING_WORDS and right[i + 1][LOW] == "of":
        i += 2  # "11,000 head of cattle": the cattle are counted
    if i < n and right[i][LOW] == "out" and i + 1 < n and right[i + 1][LOW] == "of":
        i += 1
    if i < n and right[i][LOW] == "of":
        partitive = True
        i += 1
        while i < n and (right[i][LOW] in DETERMINERS or right[i][LOW].endswith("'s")):
            i += 1
        if i < n and right[i][LOW] in PRONOUNS:
            return NounPhrase(end=i + 1, partitive=True, pronoun=True)
        while i < n and (right[i][START] in numbers or right[i][LOW] in NUMBER_WORDS):
            i += 1  # the whole of a part-of-whole ("of its 35 provinces")
            while i < n and (right[i][LOW] in (",", "-") or right[i][LOW][0].isdigit()):
                i += 1
    elif i + 1 < n and right[i][LOW] == "more" and _starts_phrase(right[i + 1]):
        i += 1  # "17 more people"
    phrase = _read(text, right, i, numbers)
    phrase.partitive = partitive
    return phrase


def _starts_phrase(token: Token) -> bool:
    return is_word(token) and token[LOW] not in PHRASE_STOPS and token[LOW] not in AUXILIARIES


def _read(text: str, right: list[Token], i: int, numbers: set[int]) -> NounPhrase:
    n = len(right)
    head: tuple[int, int] | None = None  # token span of the head noun
    category = None
    unknown: list[int] = []
    modifier_event = None
    fixed = False
    k = i
    while k < n and k - i < _MAX_WORDS:
        t = right[k]
        low = t[LOW]
        if low in _QUOTES:
            k += 1
            continue
        found = noun_at(right, k) if low in NOUNS or "-" in low else None
        if found is not None:
            if found[0] == ABSTRACT and _disease_cases(right, i, k):
                found = ("people", found[1])  # "1,500 cases of cholera": people who fell ill
                fixed = True
            if (
                head is not None
                and _plural(right[head[1] - 1][LOW])
                and not _plural(right[k + found[1] - 1][LOW])
            ):
                break  # "took 60 villagers hostage": a singular noun after a plural head is no part of it
            if found[0].startswith("_") and len(unknown) > 1:
                break  # "five state capitals last year": a unit noun far from the number is not its unit
            category, length = found
            head = (k, k + length)
            k += length
            continue
        if head is not None:
            break
        if unknown and low in ("and", "or"):
            # "Indian and Pakistani soldiers": coordinated modifiers before one noun
            j = _noun_after_modifiers(right, k + 1)
            if j is not None:
                k = j
                continue
        written = t[TEXT]
        acronym = len(written) > 1 and written.isupper()  # "IS militants", "US officials"
        if not low[0].isalpha() or (
            not acronym and (low in PHRASE_STOPS or low in AUXILIARIES or low.endswith("ly"))
        ):
            break
        event = event_at(right, k) if low in EVENTS else None
        if event is not None:
            if noun_at(right, k + event[1]) is None:
                break
            modifier_event = event[0]
            k += event[1]
            continue
        unknown.append(k)
        k += 1
    if head is not None:
        end = _coordinate(right, head[1], numbers)
        unit = text[right[head[0]][START] : right[end - 1][END]].lower()
        return _known_noun(unit, category, end, modifier_event, fixed and category == "people")
    # An unknown head must look like a plural noun or a name ("Pakistanis"), not a verb
    # ("1.5m Syrians live in Lebanon": the head is "Syrians", not "live").
    plausible = [k for k in unknown if right[k][LOW].endswith("s") or right[k][TEXT][0].isupper()]
    if plausible:
        unknown = unknown[: unknown.index(plausible[-1]) + 1]
        last = right[unknown[-1]]
        demonym = last[TEXT][0].isupper() and last[LOW].endswith("s") and len(last[LOW]) > 3
        return NounPhrase(
            unit=last[LOW],
            category="people" if demonym else None,
            end=unknown[-1] + 1,
            demonym=demonym,
            modifier_event=modifier_event,
        )
    return NounPhrase(end=i)


def _known_noun(
    unit: str, category: str | None, end: int, modifier_event: str | None, fixed: bool
) -> NounPhrase:
    # By position, in the order of NounPhrase's fields: a class called with keywords goes
    # through a dict, at twice the cost, and this is the phrase of most figures.
    return NounPhrase(unit, category, end, True, False, False, modifier_event, False, fixed)


def _plural(word: str) -> bool:
    return word.endswith("s") or word in IRREGULAR_PLURALS


def _disease_cases(right: list[Token], i: int, k: int) -> bool:
    """ "cases" at k names a disease's cases: "cholera cases", "cases of (the) measles"."""
    if right[k][LOW] not in CASE_NOUNS:
        return False
    if any(right[j][LOW] in DISEASES for j in range(i, k)):
        return True
    j = k + 1
    if j < len(right) and right[j][LOW] == "of":
        j += 1
        if j < len(right) and right[j][LOW] in DETERMINERS:
            j += 1
        return j < len(right) and (
            right[j][LOW] in DISEASES
            or (j + 1 < len(right) and f"{right[j][LOW]} {right[j + 1][LOW]}" in DISEASES)
        )
    return False


def _noun_after_modifiers(right: list[Token], j: int) -> int | None:
    """Index of a lexicon noun reached from j through at most two capitalised modifiers."""
    for k in range(j, min(len(right), j + 3)):
        if noun_at(right, k) is not None:
            return k if k > j else None
        if not is_word(right[k]) or right[k][TEXT].islower():
            return None
    return None


def _coordinate(right: list[Token], k: int, numbers: set[int]) -> int:
    """Extend a head over coordinated nouns ("men, women and children"); the new end."""
    n = len(right)
    for _ in range(4):
        if k >= n or right[k][LOW] not in _COORDINATORS:
            break
        j = k + 1
        if j < n and right[j][LOW] in ("and", "or"):
            j += 1
        if j < n and right[j][LOW] in DETERMINERS:
            j += 1
        if j < n and (right[j][START] in numbers or right[j][LOW] in NUMBER_WORDS):
            break  # "nine males and eight females": the next figure, not a coordinated noun
        found = noun_at(right, j)
        if (
            found is None
            and j + 1 < n
            and _starts_phrase(right[j])
            and not right[j][LOW].endswith("ly")
            and event_at(right, j) is None
        ):
            j += 1
            found = noun_at(right, j)
        if found is None or found[0] == ABSTRACT or found[0].startswith("_"):
            break
        if not (is_people(found[0]) or found[0] in ("other", "places", "vehicles", "households")):
            break
        k = j + found[1]
    return k
