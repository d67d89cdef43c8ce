"""Stage 5a: what happened to the counted people, read from the words around a quantity.

Four places are looked at, each a small rule of English news grammar:
- right after the phrase: "14 dead", "people displaced", "hundreds left stranded";
- the verb or noun before the number: "killing at least 615 people", "the lives of 30 people";
- the predicate of the clause: "nearly 20,000 have walked ... to exit", "who were captured";
  coordinated subjects share it ("Three soldiers and 11 jihadists were killed"), asides
  between dashes or brackets are skipped, a place named in it counts ("remain in evacuation
  centres" is displacement);
- for a number standing alone, its clause: "the death toll ... rose to 70", "the number of
  families affected ... exceeded 7,000".
A hedge ("10 people feared killed") cancels the event.
"""

from __future__ import annotations

from .lexicon import (
    ABSOLUTE_OPENERS,
    AGE_WORDS,
    AUXILIARIES,
    CLAUSE_STOPS,
    HEDGES,
    LEAVING_VERBS,
    NOUN_CATEGORY_FIXED,
    PART_CUES,
    POST_ONLY_EVENTS,
    PRE_VERB_SKIP,
    PREPOSITIONS,
    TALLY_NOUNS,
)
from .tokens import LOW, START, Token
from .vocabulary import DAMAGE, EVENTS, SITES, event_at, is_people, noun_at, site_at

HEDGED = "_hedged"
_SENTENCE_STOPS = frozenset({".", "!", "?"})
_CONJUNCTIONS = frozenset({",", "and", "or", "&"})
_DASHES = frozenset({"-", "–", "—"})
_OBJECT_DETERMINERS = frozenset({"the", "a", "an", "their", "its", "his", "her", "our"})
# Every word forward_event has a rule for; any other word is only counted as it is passed.
_FORWARD_CUES = frozenset(
    CLAUSE_STOPS | _SENTENCE_STOPS | _CONJUNCTIONS | _DASHES | _OBJECT_DETERMINERS | HEDGES
) | {"(", ",", "among", *SITES, *EVENTS}
FORWARD_WINDOW = 16  # words, not counting punctuation
BACKWARD_WINDOW = 14


def immediate_event(right: list[Token], k: int) -> str | None:
    """Event written right after the phrase ("160 killed", "hundreds left stranded")."""
    if k >= len(right):
        return None
    if right[k][LOW] in HEDGES:
        return HEDGED
    if right[k][LOW] in LEAVING_VERBS:
        follow = event_at(right, k + 1)
        if follow is not None:
            return follow[0]
    found = event_at(right, k)
    return found[0] if found is not None else None


def pre_event(left: list[Token]) -> str | None:
    """Event verb or noun right before the quantity ("displacing 1.4 million")."""
    j = len(left) - 1
    steps = 0
    while j >= 0 and steps < 4:
        t = left[j]
        for length in (3, 2, 1):
            first = j - length + 1
            if first < 0 or left[first][LOW] not in EVENTS:
                continue
            found = event_at(left[first : j + 1], 0)
            if found is not None and found[1] == length:
                if (
                    length == 1
                    and t[LOW] in POST_ONLY_EVENTS
                    and t[LOW] not in ("lives", "toll", "bodies")
                ):
                    return None
                return found[0]
        if t[LOW] not in PRE_VERB_SKIP:
            return None
        j -= 1
        steps += 1
    return None


def forward_event(right: list[Token], k: int, spans: dict[int, int]) -> str | None:
    """First event in the rest of the clause after the phrase, within a short window.

    `spans` maps the start of every quantity to its end, so that the scan can step over
    the figures of coordinated subjects and prepositional phrases.
    """
    n = len(right)
    hedged = False
    only_conjunctions = True
    in_list = False  # after an adjunct figure, its list partners are adjuncts too
    words = 0
    while k < n and words < FORWARD_WINDOW:
        t = right[k]
        low = t[LOW]
        if low not in _FORWARD_CUES and t[START] not in spans:  # a plain word: read on
            only_conjunctions = False
            if low[0].isalpha():
                words += 1
            k += 1
            continue
        if low in CLAUSE_STOPS or low in _SENTENCE_STOPS:
            return None
        if t[START] in spans:
            adjunct = _after_preposition(right, k) or (
                in_list and right[k - 1][LOW] in _CONJUNCTIONS
            )
            if not (only_conjunctions or adjunct):
                return None
            if k > 0 and right[k - 1][LOW] in ABSOLUTE_OPENERS:
                return None  # ", with dozens still missing": what follows is said of that figure
            in_list = adjunct
            end = spans[t[START]]
            before = right[k - 1][LOW] if k > 0 else ""
            while k < n and right[k][START] < end:
                k += 1
            site = site_at(right, k)
            if site is not None and adjunct and before not in ("to", "into"):
                return None if hedged else site[0]  # "remain in 25 evacuation centres"
            follow = event_at(right, k)  # what is said of that figure is not said of ours
            if follow is not None:
                k += follow[1]
            continue
        if low in _DASHES or low == "(":
            closing = _closing(right, k)
            if closing is not None:
                k = closing + 1
                continue
            if low == "(":
                return None
        if low == ",":
            if _opens_part_aside(right, k + 1):
                closing = _closing_comma(right, k + 1)
                if closing is not None:
                    k = closing + 1  # "Seventeen people, among them four children, were killed"
                    continue
            if _relative_part(right, k + 1):
                return None  # "112,000 IDPs, most of whom fled": said of a part, not of the figure
            if k + 1 < n and right[k + 1][LOW].endswith("ing"):
                found = event_at(right, k + 1)
                if found is not None and found[0] != "people":
                    return None  # ", killing 24": a participle clause speaks of the main subject
        if low in _OBJECT_DETERMINERS and k > 0 and _other_verb(right[k - 1]):
            return None  # "300 people attended the funeral of those killed": another verb's object
        if low == "among" and not hedged:
            found = _group_event(right, k + 1, spans)
            if found is not None:
                return found  # "Six children were among the 15 people killed"
        if low in HEDGES:
            hedged = True
        else:
            site = site_at(right, k) if low in SITES else None
            if site is not None and k > 0 and right[k - 1][LOW] not in ("to", "into"):
                return None if hedged else site[0]
            found = event_at(right, k) if low in EVENTS else None
            if found is not None:
                if low in LEAVING_VERBS:
                    follow = event_at(right, k + found[1])
                    if follow is not None:
                        found = follow
                return None if hedged else found[0]
            if low not in _CONJUNCTIONS:
                only_conjunctions = False
        if low[0].isalpha():
            words += 1
        k += 1
    return None


def _group_event(right: list[Token], k: int, spans: dict[int, int]) -> str | None:
    """What happened to the group a figure is "among": the event after its noun phrase."""
    n = len(right)
    for _ in range(8):
        if k >= n:
            return None
        t = right[k]
        if t[START] in spans:
            end = spans[t[START]]
            while k < n and right[k][START] < end:
                k += 1
            continue
        found = event_at(right, k)
        if found is not None:
            return found[0] if found[0] != DAMAGE else None
        if not (t[LOW] in _OBJECT_DETERMINERS or t[LOW] in ("those", "these") or noun_at(right, k)):
            return None
        k += 1
    return None


def _opens_part_aside(right: list[Token], k: int) -> bool:
    """ "including three children", "among them four women": an aside naming a part."""
    if k >= len(right):
        return False
    low = right[k][LOW]
    return low in PART_CUES and (
        low != "among" or (k + 1 < len(right) and right[k + 1][LOW] in ("them", "whom"))
    )


def _closing_comma(right: list[Token], k: int) -> int | None:
    """Index of the comma that closes the aside opened at k, if it is near."""
    for j in range(k + 1, min(len(right), k + 12)):
        low = right[j][LOW]
        if low == ",":
            return j
        if low in _SENTENCE_STOPS or low in CLAUSE_STOPS:
            return None
    return None


def _relative_part(right: list[Token], k: int) -> bool:
    """ "most of whom", "many of them", "half of which": a clause about part of the group."""
    return (
        k + 2 < len(right)
        and right[k + 1][LOW] == "of"
        and right[k + 2][LOW] in ("whom", "which", "them", "those")
    )


def _other_verb(token: Token) -> bool:
    """A past-tense verb that is not an event ("attended", "reached")."""
    low = token[LOW]
    return low.endswith("ed") and low not in AUXILIARIES and event_at([token], 0) is None


def _after_preposition(right: list[Token], k: int) -> bool:
    return k > 0 and (right[k - 1][LOW] in PREPOSITIONS or right[k - 1][LOW] in AGE_WORDS)


def _closing(right: list[Token], k: int) -> int | None:
    """Index of the dash or bracket closing the aside opened at k, if it is near."""
    want = ")" if right[k][LOW] == "(" else None
    for j in range(k + 1, min(len(right), k + 16)):
        low = right[j][LOW]
        if (want and low == want) or (not want and low in _DASHES):
            return j
        if low in _SENTENCE_STOPS:
            return None
    return None


def backward_event(left: list[Token]) -> str | None:
    """Category a bare number takes from its clause: "the number of X", else the nearest cue."""
    start = len(left)
    steps = 0
    while start > 0 and steps < BACKWARD_WINDOW:
        low = left[start - 1][LOW]
        if low in CLAUSE_STOPS or low in _SENTENCE_STOPS:
            break
        start -= 1
        steps += 1
    clause = left[start:]
    for i, t in enumerate(clause):
        if t[LOW] in TALLY_NOUNS and i + 1 < len(clause) and clause[i + 1][LOW] == "of":
            found = _tally_subject(clause, i + 2)
            if found is not None:
                return found
    for j in range(len(clause) - 1, -1, -1):
        t = clause[j]
        found = event_at(clause, j)
        if found is not None and t[LOW] not in LEAVING_VERBS and found[0] != DAMAGE:
            return found[0]
        noun = noun_at(clause, j)
        if noun is not None and is_people(noun[0]) and noun[0] not in ("people", "civilians"):
            return noun[0]
    return None


def _tally_subject(clause: list[Token], i: int) -> str | None:
    """What "the number of ..." counts: a household or place noun, else an event, else a noun."""
    event = noun = None
    for j in range(i, min(len(clause), i + 4)):
        found = noun_at(clause, j)
        if found is not None and noun is None:
            noun = found[0]
        happened = event_at(clause, j)
        if happened is not None and event is None and happened[0] != DAMAGE:
            event = happened[0]
    if noun in NOUN_CATEGORY_FIXED:
        return noun
    return event or (noun if is_people(noun) else None)
