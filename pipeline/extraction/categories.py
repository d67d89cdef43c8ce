"""Stage 5b: decide the category of a quantity from its noun and the events around it.

The contract's rule, in order: a household, place, vehicle or thing noun keeps its own
category; otherwise what happened to the people (the event) decides before who they are
(the noun); a number with no noun takes its category from the event, else from the figure
it continues. Time, measure, money and abstract nouns make the number a non-count.
"""

from __future__ import annotations

from typing import NamedTuple

from .events import HEDGED
from .lexicon import NOUN_CATEGORY_FIXED, WEAK_EVENTS
from .nouns import NounPhrase
from .vocabulary import DAMAGE, NOUN_KIND


class Decision(NamedTuple):  # (a frozen dataclass costs twice as much to build)
    kind: str  # "count" or another kind
    category: str | None
    source: str  # what decided: noun, event, clause, antecedent, none


DROP = Decision("drop", None, "none")


def decide(
    phrase: NounPhrase,
    immediate: str | None,
    pre: str | None,
    forward: str | None,
) -> Decision:
    """Category from the noun phrase and the events found around it; DROP if none applies."""
    category = phrase.category
    if category in NOUN_KIND:
        return Decision(NOUN_KIND[category], None, "noun")
    if category in NOUN_CATEGORY_FIXED or phrase.fixed:
        return Decision("count", category, "noun")
    event = None
    if immediate != HEDGED:
        for candidate in (pre, immediate, forward, phrase.modifier_event):
            if candidate is not None and candidate != HEDGED:
                event = candidate
                break
    if event == DAMAGE:
        event = "other" if phrase.unit is not None and category is None else None
    if category is not None:  # a people noun, from the lexicon or a demonym
        if event in WEAK_EVENTS and category not in ("people", "civilians"):
            event = None
        return Decision("count", event or category, "event" if event else "noun")
    if event is not None:
        return Decision("count", event, "event")
    return DROP
