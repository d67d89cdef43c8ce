"""The public shape of the warehouse (`../shared/FIGURES.md`): table columns, kinds, qualifiers
and the category vocabulary. Every other module takes these names from here."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

CATEGORIES: tuple[str, ...] = (
    "evacuees",
    "displaced",
    "civilians",
    "fighters",
    "troops",
    "recruits",
    "detainees",
    "killed",
    "injured",
    "households",
    "missing",
    "returnees",
    "people",
    "vehicles",
    "places",
    "other",
)
PEOPLE_CATEGORIES: tuple[str, ...] = CATEGORIES[:13]

KINDS: tuple[str, ...] = (
    "count",
    "age",
    "duration",
    "date",
    "distance",
    "money",
    "percent",
    "ordinal",
    "other",
)
QUALIFIERS: tuple[str, ...] = ("exact", "approximate", "at_least", "at_most", "range", "vague")
DOCUMENT_STATUSES: tuple[str, ...] = ("ok", "rejected")

# Column name -> DuckDB type, in contract order. Tables may gain columns after these.
DOCUMENT_COLUMNS: dict[str, str] = {
    "document_id": "VARCHAR",
    "source_path": "VARCHAR",
    "title": "VARCHAR",
    "outlet": "VARCHAR",
    "byline": "VARCHAR",
    "dateline": "VARCHAR",
    "published_date": "DATE",
    "text": "VARCHAR",
    "status": "VARCHAR",
    "reject_reason": "VARCHAR",
}
FIGURE_COLUMNS: dict[str, str] = {
    "figure_id": "VARCHAR",
    "document_id": "VARCHAR",
    "start_char": "INTEGER",
    "end_char": "INTEGER",
    "mention": "VARCHAR",
    "sentence": "VARCHAR",
    "kind": "VARCHAR",
    "value": "BIGINT",
    "value_low": "BIGINT",
    "value_high": "BIGINT",
    "qualifier": "VARCHAR",
    "category": "VARCHAR",
    "unit": "VARCHAR",
    "location": "VARCHAR",
    "event_date": "DATE",
}


@dataclass(frozen=True)
class DocumentContext:
    """What the extractor may know about a document besides its text."""

    published_date: date | None = None
    dateline: str | None = None
    title: str | None = None


@dataclass
class Figure:
    """One figure mention, as the extractor finds it (ids are added by the pipeline)."""

    start_char: int
    end_char: int
    mention: str
    sentence: str
    kind: str
    value: int | None
    value_low: int | None
    value_high: int | None
    qualifier: str
    category: str | None
    unit: str | None = None
    location: str | None = None
    event_date: date | None = None
    extras: dict = field(default_factory=dict, compare=False, repr=False)

    def as_row(self) -> dict:
        """The contract columns of this figure. Fields are read directly: `dataclasses.asdict`
        deep-copies every value and was a quarter of extraction time at scale."""
        return {name: getattr(self, name) for name in _FIGURE_ROW_FIELDS}


_FIGURE_ROW_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Figure) if f.name != "extras")
