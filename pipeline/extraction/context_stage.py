"""Stage 7: the place and the date a figure refers to, per sentence.

Calls the place resolver (`places.DocumentPlaces`) and the date resolver
(`dates.resolve_event_date`); this module only caches their answers per sentence.
"""

from __future__ import annotations

from datetime import date

from ..contract import DocumentContext
from .dates import resolve_event_date
from .places import DocumentPlaces


class SentenceContext:
    """Place and date answers for the sentences of one document."""

    def __init__(self, text: str, context: DocumentContext | None) -> None:
        self._context = context or DocumentContext()
        self._text = text
        self._places: DocumentPlaces | None = None
        self._cache: dict[tuple[int, int], tuple[str | None, str | None, date | None]] = {}

    def lookup(self, start: int, end: int) -> tuple[str | None, str | None, date | None]:
        """(place name, place ISO3, event date) for the sentence text[start:end]."""
        key = (start, end)
        found = self._cache.get(key)
        if found is None:
            if self._places is None:
                self._places = DocumentPlaces(self._text, self._context)
            place = self._places.for_sentence(start, end)
            when = resolve_event_date(self._text[start:end], self._context.published_date)
            found = (
                place.name if place is not None else None,
                place.country_iso3 if place is not None else None,
                when,
            )
            self._cache[key] = found
        return found
