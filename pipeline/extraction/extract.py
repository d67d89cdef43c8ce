"""The extractor: runs the stages over a text and returns its figures in document order.

sentences -> numbers -> qualifiers and ranges -> kinds -> counted noun -> events and
category (with the figure a bare number continues) -> place and date.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import fields
from typing import NamedTuple

from ..contract import DocumentContext, Figure
from .categories import DROP, Decision, decide
from .context_stage import SentenceContext
from .events import backward_event, forward_event, immediate_event, pre_event
from .invisible import strip_invisible
from .kinds import non_count_kind
from .lexicon import (
    ADJUNCT_PREPOSITIONS,
    ANAPHORIC_DETERMINERS,
    ASIDE_PREPOSITIONS,
    CONTINUATION_CUES,
    COPULAS,
    NEGATORS,
    NOUN_CATEGORY_FIXED,
    PART_CUES,
    QUALIFIER_PREFIXES,
    SMALL_VAGUE,
)
from .nouns import NounPhrase, read_noun_phrase
from .numbers import find_numbers
from .qualifiers import Quantity, build_quantities
from .sentences import SentenceIndex
from .tokens import LOW, START, TEXT, Token, tokenize_with_starts
from .vocabulary import NOUN_KIND, event_at, is_people, noun_at

LEFT_TOKENS = 24  # tokens of the sentence read before a quantity
RIGHT_TOKENS = 36  # and after it
LEFT_CHARS = 100  # the stretch of the sentence tokenized around its numbers
RIGHT_CHARS = 150
KEPT_KINDS = frozenset({"count", "age", "duration", "date", "distance", "money", "percent"})
# Figure's fields as _figure passes them, by position: a class called with keywords goes
# through a dict and builds a figure at half the speed. Checked at import, so that a change
# to the contract fails here rather than shifting values.
_FIGURE_FIELDS = (
    "start_char",
    "end_char",
    "mention",
    "sentence",
    "kind",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "category",
    "unit",
    "location",
    "event_date",
)
if tuple(f.name for f in fields(Figure))[: len(_FIGURE_FIELDS)] != _FIGURE_FIELDS:
    raise ImportError("the fields of pipeline.contract.Figure changed: update extract._figure")
QUALIFIER_WORDS = frozenset(w for p in QUALIFIER_PREFIXES for w in p.split())


class Prior(NamedTuple):
    """A count already read, as later figures may continue it."""

    sentence: int
    category: str
    source: str
    adjunct: bool  # stood in a prepositional phrase ("from 86 countries")


def extract_figures(text: str, context: DocumentContext | None = None) -> list[Figure]:
    """Every figure mention of `text`, in document order.

    Offsets refer to `text`: ``text[f.start_char:f.end_char] == f.mention`` always.
    """
    if not text:
        return []
    clean, offsets = strip_invisible(text)
    cores = list(find_numbers(clean))
    if not cores:
        return []
    sentences = SentenceIndex(clean, [c.start for c in cores])
    quantities = build_quantities(clean, cores)
    spans = {c.start: c.end for c in cores}
    spans.update((q.start, q.end) for q in quantities)
    starts = set(spans)
    places = SentenceContext(text, context)
    figures: list[Figure] = []
    history: list[Prior] = []
    for q, s_index, s_start, s_end, left, right in _in_context(clean, quantities, sentences):
        kind, decision, unit = _classify(
            clean, q, left, right, spans, starts, history, s_index, s_start
        )
        if kind not in KEPT_KINDS:
            continue
        category = None
        if kind == "count":
            category = decision.category
            adjunct = bool(left) and left[-1][LOW] in ADJUNCT_PREPOSITIONS
            history.append(Prior(s_index, category, decision.source, adjunct))
        else:
            unit = None
        figures.append(_figure(text, offsets, q, kind, category, unit, s_start, s_end, places))
    return figures


def _in_context(clean: str, quantities: list[Quantity], sentences: SentenceIndex):
    """Each quantity with its sentence and the tokens before and after it.

    Each sentence is tokenized once, and only around its numbers.
    """
    located = []
    windows: dict[int, tuple[int, int]] = {}
    for q in quantities:
        s_index = sentences.index_of(q.start)
        s_start, s_end = sentences.spans[s_index]
        if s_start <= q.start < s_end:
            located.append((q, s_index, s_start, s_end))
            lo, hi = windows.get(s_index, (q.start, q.end))
            windows[s_index] = (min(lo, q.start), max(hi, q.end))
    current = -1
    tokens: list[Token] = []
    token_starts: list[int] = []
    for q, s_index, s_start, s_end in located:
        if s_index != current:
            current = s_index
            lo, hi = windows[s_index]
            tokens, token_starts = tokenize_with_starts(
                clean, max(s_start, lo - LEFT_CHARS), min(s_end, hi + RIGHT_CHARS)
            )
        before = bisect_left(token_starts, q.start)
        after = bisect_left(token_starts, q.end)
        left = tokens[max(0, before - LEFT_TOKENS) : before]
        right = tokens[after : after + RIGHT_TOKENS]
        yield q, s_index, s_start, s_end, left, right


def _classify(
    text: str,
    q: Quantity,
    left: list[Token],
    right: list[Token],
    spans: dict[int, int],
    starts: set[int],
    history: list[Prior],
    s_index: int,
    s_start: int,
) -> tuple[str, Decision, str | None]:
    kind = non_count_kind(text, q, left, right)
    if kind is not None:
        return kind, DROP, None
    if left and left[-1][LOW] in NEGATORS:
        return "drop", DROP, None
    phrase = read_noun_phrase(text, right, starts, q.end)
    if phrase.category in NOUN_CATEGORY_FIXED or phrase.category in NOUN_KIND or phrase.fixed:
        immediate = pre = forward = None  # the noun decides; no need to read the verbs
    else:
        immediate = immediate_event(right, phrase.end)
        pre = pre_event(left)
        forward = None
        if not _in_aside(left, right, phrase):
            forward = forward_event(right, phrase.end, spans)
    decision = decide(phrase, immediate, pre, forward)
    if decision.kind == "count" and not _is_tally(text, q, phrase, (pre, immediate, forward)):
        return "drop", DROP, None
    if decision is DROP and phrase.unit is None and not _is_small_vague(text, q):
        if _is_label(left, s_start):
            return "drop", DROP, None
        decision = _continuation(left, phrase, history, s_index)
    elif decision.kind == "count" and decision.source == "noun" and is_people(decision.category):
        decision = _context_of_noun(left, decision, history, s_index)
    unit = phrase.unit if decision.kind == "count" else None
    return decision.kind, decision, unit


def _in_aside(left: list[Token], right: list[Token], phrase: NounPhrase) -> bool:
    """ "The camp, built for 20,000 people, now shelters ...": a figure in a prepositional
    aside closed by a comma; the verb after the comma belongs to the clause's own subject."""
    return (
        bool(left)
        and left[-1][LOW] in ASIDE_PREPOSITIONS
        and phrase.end < len(right)
        and right[phrase.end][LOW] == ","
        and any(t[LOW] == "," for t in left[-8:-1])
    )


def _is_tally(text: str, q: Quantity, phrase: NounPhrase, events: tuple) -> bool:
    """A written-out "one" is a figure only as a tally ("One person was killed", "at least one").

    "One man carried a crutch" and "one of the paramedics" pick out a person; they count nothing.
    "several" and "a few" count only a named noun ("several villages", not "several times").
    """
    core = q.core
    pre, immediate, forward = events
    if _is_small_vague(text, q):
        return phrase.known or immediate is not None
    if core.form != "words" or core.value != 1 or q.qualifier != "exact":
        return True
    if text[core.start : core.end].lower() != "one":
        return True
    if phrase.partitive:
        return False
    return any(e is not None and not e.startswith("_") for e in events)


def _is_small_vague(text: str, q: Quantity) -> bool:
    if q.core.form != "vague":
        return False
    return " ".join(text[q.core.start : q.core.end].lower().split()) in SMALL_VAGUE


def _is_label(left: list[Token], s_start: int) -> bool:
    """ "Square 5", "Camp 2": a bare number right after a capitalised name labels it."""
    if not left or left[-1][START] == s_start:
        return False
    prev = left[-1]
    if not (
        prev[TEXT][0].isupper() and prev[LOW][0].isalpha() and prev[LOW] not in QUALIFIER_WORDS
    ):
        return False
    words = [t for t in left[-4:] if t[LOW][0].isalpha()]
    return sum(t[TEXT][0].isupper() for t in words) < 3  # a Title Case headline is no label


def _continuation(
    left: list[Token], phrase: NounPhrase, history: list[Prior], s_index: int
) -> Decision:
    """A bare number continues an earlier figure: "seven died in Hunan, five in Jiangxi"."""
    label = _label_before_colon(left)
    if label is not None:
        return Decision("count", label, "label")
    if _population_of_place(left):
        return Decision("count", "people", "noun")
    here = _last_prior(history, s_index, s_index)
    if here is not None:
        return Decision("count", here.category, "antecedent")
    cue = backward_event(left)
    if cue is not None:
        return Decision("count", cue, "clause")
    recent = _last_prior(history, s_index - 2, s_index - 1)
    if recent is not None and (
        phrase.pronoun
        or any(t[LOW] in CONTINUATION_CUES for t in left[-4:])
        or (bool(left) and left[-1][LOW] in ANAPHORIC_DETERMINERS)
    ):
        return Decision("count", recent.category, "antecedent")
    return DROP


def _population_of_place(left: list[Token]) -> bool:
    """ "a city of 1.8 million", "a village of 300": the people of a place."""
    if len(left) < 2 or left[-1][LOW] != "of":
        return False
    found = noun_at(left, len(left) - 2)
    return found is not None and found[0] == "places" and found[1] == 1


def _label_before_colon(left: list[Token]) -> str | None:
    """ "Deaths: 12", "Displaced persons: 5,000": a statistic under its label."""
    if len(left) < 2 or left[-1][LOW] not in (":", "-", "–", "—"):
        return None
    for i in (len(left) - 4, len(left) - 3, len(left) - 2):  # the longest label first
        if i < 0:
            continue
        found = noun_at(left, i) or event_at(left, i)
        if found is not None and i + found[1] == len(left) - 1 and not found[0].startswith("_"):
            return found[0]
    return None


def _last_prior(history: list[Prior], first: int, last: int) -> Prior | None:
    """The latest non-adjunct count read in sentences first..last (history is in order)."""
    for prior in reversed(history):
        if prior.sentence < first:
            return None
        if prior.sentence <= last and not prior.adjunct:
            return prior
    return None


def _context_of_noun(
    left: list[Token], decision: Decision, history: list[Prior], s_index: int
) -> Decision:
    """A people noun with no event of its own may take one from the words before it.

    "the hostages were 12 adults" (a subject complement), "27 dead, including 8 children"
    (a part of a whole), "the hostages were 12 adults and five children" (a coordinated
    figure sharing what was said of the one before).
    """
    complement = _complement(left)
    if complement is not None:
        return Decision("count", complement, "complement")
    last = history[-1] if history and history[-1].sentence == s_index else None
    if last is None or not is_people(last.category) or last.category == decision.category:
        return decision
    if any(t[LOW] in PART_CUES for t in left[-2:]):
        return Decision("count", last.category, "antecedent")
    if left and left[-1][LOW] in ("and", ",", "&") and last.source != "noun":
        return Decision("count", last.category, "antecedent")
    return decision


def _complement(left: list[Token]) -> str | None:
    """ "the hostages were 12 adults", "the hostages, consisting of nine males": the category
    of the group a figure is said to make up."""
    cue = None
    for i in range(len(left) - 1, max(-1, len(left) - 4), -1):
        if left[i][LOW] in COPULAS or left[i][LOW] in PART_CUES:
            cue = i
            break
    if cue is None:
        return None
    end = cue - 1 if cue > 0 and left[cue - 1][LOW] == "," else cue
    for i in (end - 1, end - 2):
        found = noun_at(left, i) if i >= 0 else None
        if (
            found is not None
            and i + found[1] == end
            and is_people(found[0])
            and found[0] not in ("people", "civilians")
        ):
            return found[0]
    return None


def _figure(
    text: str,
    offsets,
    q: Quantity,
    kind: str,
    category: str | None,
    unit: str | None,
    s_start: int,
    s_end: int,
    places: SentenceContext,
) -> Figure:
    start, end = q.start, q.end
    if offsets is not None:
        start, end = offsets.start(start), offsets.end(end)
        s_start, s_end = offsets.start(s_start), offsets.end(s_end)
    # Only counts are tabulated by place and date; other kinds skip the lookup.
    location, iso3, when = places.lookup(s_start, s_end) if kind == "count" else (None, None, None)
    figure = Figure(  # (by position, in the order of _FIGURE_FIELDS)
        start,
        end,
        text[start:end],
        text[s_start:s_end],
        kind,
        q.value,
        q.value_low,
        q.value_high,
        q.qualifier,
        category,
        unit,
        location,
        when,
    )
    figure.extras["location_iso3"] = iso3
    return figure
