"""Event dates: the date a sentence's figures refer to, read from the sentence and resolved
against the document's published date. Deterministic: today's date is never consulted.

Conventions
- Explicit dates resolve as written: "18 June 2014", "Feb 2, 2019", "2019-02-21". All-numeric
  day/month forms count only when unambiguous: "13/5/2019" and "5/13/2019" are 13 May, but
  "5/3/2019" gives nothing.
- A day and month without a year ("June 22") take the year that puts the date nearest the
  published date ("December 28" in a text of 3 January is the previous year's).
- A range or a period resolves to its FIRST day: "from 18 to 22 June 2014" -> 2014-06-18;
  "June 2014" -> 2014-06-01; "last week" -> Monday of the week before the published date's;
  "this week" -> Monday of the published date's week; "last month" / "the previous month" ->
  first day of the previous month; "this month" -> first day of the published month;
  "last year" / "this year" -> 1 January.
- A month alone ("in June") -> first day of the most recent such month on or before the
  published month ("last June": strictly before it).
- A weekday ("on Wednesday") -> the most recent such day on or before the published date;
  "last Wednesday" -> strictly before; "next Wednesday" -> strictly after.
- "yesterday" / "last night" -> published - 1 day; "today", "tonight", "this morning" -> published;
  "N days/weeks/months/years ago" -> published minus that; "the past/last N days", "the past
  week", "the last month" (with "the") -> the start of that window, published minus the span;
  "over the weekend" -> the most recent Saturday on or before published; "last weekend" -> the
  Saturday before the published date's week.
- A year alone ("in 2014", "since 2011") -> 1 January of that year.
- Without a published date, only dates that state their year resolve; the rest give None.
- A sentence with more than 32 date expressions is read for its first 32 of each form.
- Several dates in one sentence: a date tied to a reporting verb ("said on Thursday",
  "officials on Thursday reported") yields to any other; then the most precise (day before week
  before month before year; explicit before relative) wins; then the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice

from .casefold import fold
from .lexicon import SMALL_NUMBERS

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# Relative day words -> days before the published date.
RELATIVE_DAYS: dict[str, int] = {
    "the day before yesterday": 2,
    "yesterday": 1,
    "last night": 1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
}
# Counts in relative dates ("two weeks ago"): the articles and the number words up to twelve.
NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    **{word: value for word, value in SMALL_NUMBERS.items() if 1 <= value <= 12},
}
REPORTING_VERBS: tuple[str, ...] = (
    "said",
    "says",
    "told",
    "reported",
    "announced",
    "confirmed",
    "stated",
    "added",
    "declared",
    "tweeted",
    "wrote",
    "briefed",
)

# Precision ranks: a higher rank wins when a sentence has several dates.
RANK_YEAR, RANK_MONTH, RANK_WEEK, RANK_RELATIVE_DAY, RANK_DAY_NO_YEAR, RANK_FULL_DAY = range(1, 7)


def _alternation(words: list[str]) -> str:
    forms = {w.capitalize() for w in words} | {w.upper() for w in words}
    return "|".join(sorted(forms, key=len, reverse=True))


_MONTH_NAME = rf"(?P<month>{_alternation(list(MONTHS))})\b\.?"
# A month alone only in full ("in June"): "of Jan Egeland" is a person.
_FULL_MONTH_NAME = rf"(?P<month>{_alternation(list(MONTHS)[:12])})"
_DAY = r"(?<![\d,.:/])(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_DAY2 = r"(?P<day2>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR_RE = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_SEP = r"\s*(?:-|–|—|to|and|until|till|through)\s*"
_NUMBER = rf"(?P<n>\d{{1,3}}|{'|'.join(NUMBER_WORDS)})"
_UNIT = r"(?P<unit>day|week|month|year)s?"

_DAY_MONTH = re.compile(rf"{_DAY}(?:{_SEP}{_DAY2})?\s+(?:of\s+)?{_MONTH_NAME}(?:,?\s+{_YEAR_RE})?")
_MONTH_DAY = re.compile(rf"\b{_MONTH_NAME}\s+{_DAY}(?:{_SEP}{_DAY2})?(?:,?\s+{_YEAR_RE})?")
_MONTH_YEAR = re.compile(rf"\b{_MONTH_NAME},?\s+{_YEAR_RE}")
_MONTH_ONLY = re.compile(
    r"\b(?P<prep>(?i:in|during|since|by|until|from|through|throughout|last|this|of|early|mid|late))"
    rf"[\s-]+(?:(?i:early|mid|late)[\s-]+)?{_FULL_MONTH_NAME}\b(?!\s*\d)"
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b")
_NUMERIC = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d{2})\b")
_WEEKDAY = re.compile(
    rf"\b(?:(?P<mod>(?i:last|this|next|past))\s+)?(?P<wd>{_alternation(list(WEEKDAYS))})s?\b"
)
_RELATIVE_DAY_RE = re.compile(
    rf"\b(?P<word>{'|'.join(sorted(RELATIVE_DAYS, key=len, reverse=True))})\b", re.IGNORECASE
)
_AGO = re.compile(rf"\b{_NUMBER}\s+{_UNIT}\s+ago\b", re.IGNORECASE)
_WINDOW = re.compile(rf"\b(?:the\s+)?(?:last|past|previous)\s+{_NUMBER}\s+{_UNIT}\b", re.IGNORECASE)
_PERIOD = re.compile(
    r"\b(?P<the>the\s+)?(?P<mod>last|past|previous|this|earlier\s+this|later\s+this)\s+"
    r"(?P<unit>week|month|year)\b",
    re.IGNORECASE,
)
_WEEKEND = re.compile(
    r"\b(?:(?P<mod>last|this|past|previous)\s+|(?:over|during|at)\s+the\s+)weekend\b",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(
    r"\b(?i:in|during|since|throughout|early|mid|late|by)[\s-]+(?:(?i:early|mid|late)[\s-]+)?"
    rf"{_YEAR_RE}(?=\s*[,.;:)!?]|\s*$|\s+(?:and|when|after|before|as|alone|the|that)\b)"
)

# Cheap tests decide which regexes run at all, so a sentence without date words costs a few
# literal scans. Month and weekday names count only capitalised, as news writes them; the
# other hints are looked for in the lower-cased sentence. (Case-sensitive alternations of
# plain words let the regex engine skip quickly to possible first letters.)
_MONTH_HINT = re.compile(
    "|".join(form for m in MONTHS if len(m) == 3 for form in (m.capitalize(), m.upper()))
)
_WEEKDAY_HINT = re.compile("|".join(form for w in WEEKDAYS for form in (w.capitalize(), w.upper())))
_RELATIVE_DAY_HINT = re.compile("yesterday|today|tonight|night|morning|afternoon|evening")
_PERIOD_HINT = re.compile("day|week|month|year")
_YEAR_HINT = re.compile(r"(?:19|20)\d\d(?!\d)")
_WINDOW_HINT = re.compile("last|past|previous|this")
_REPORTED_BEFORE = re.compile(rf"\b(?:{'|'.join(REPORTING_VERBS)})\s+(?:on\s+)?$", re.IGNORECASE)
_REPORTED_AFTER = re.compile(rf"\s*,?\s*(?:{'|'.join(REPORTING_VERBS)})\b", re.IGNORECASE)
_RANGE_GAP = re.compile(rf"{_SEP}|\s*,\s*(?:and\s+)?", re.IGNORECASE)


def resolve_event_date(sentence: str, published_date: date | None) -> date | None:
    """The date the sentence's figures refer to, or None (see the module conventions)."""
    if len(sentence) > _MAX_CACHED_SENTENCE:
        return _resolve.__wrapped__(sentence, published_date)
    return _resolve(sentence, published_date)


_MAX_CACHED_SENTENCE = 2000
# No real sentence holds more date expressions than this; the cap keeps hostile input linear.
_MAX_MATCHES = 32


def _first(regex: re.Pattern[str], sentence: str) -> Iterator[re.Match[str]]:
    return islice(regex.finditer(sentence), _MAX_MATCHES)


@lru_cache(maxsize=4096)
def _resolve(sentence: str, published: date | None) -> date | None:
    best: tuple[bool, int, int] | None = None
    found: date | None = None
    for start, end, rank, value in _candidates(sentence, published):
        if value is None:
            continue
        score = (not _reported(sentence, start, end), rank, -start)
        if best is None or score > best:
            best, found = score, value
    return found


def _reported(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 30) : start]
    return bool(_REPORTED_BEFORE.search(before) or _REPORTED_AFTER.match(sentence, end))


def _candidates(sentence: str, published: date | None):
    """(start, end, rank, date or None) for every date expression in the sentence."""
    months = _MONTH_HINT.search(sentence) is not None
    years = _YEAR_HINT.search(sentence) is not None
    explicit = []
    if months:
        explicit = sorted(
            [*_first(_DAY_MONTH, sentence), *_first(_MONTH_DAY, sentence)],
            key=lambda m: m.start(),
        )
    for k, m in enumerate(explicit):
        month = MONTHS[fold(m.group("month"))]
        day = int(m.group("day"))
        year = m.group("year")
        if year is None and k + 1 < len(explicit):
            nxt = explicit[k + 1]
            # "18 June to 2 July 2014": the range's year stands at its end.
            if nxt.group("year") and _RANGE_GAP.fullmatch(sentence, m.end(), nxt.start()):
                next_month = MONTHS[fold(nxt.group("month"))]
                year = int(nxt.group("year")) - (1 if month > next_month else 0)
        if year is not None:
            yield m.start(), m.end(), RANK_FULL_DAY, _safe_date(int(year), month, day)
        else:
            yield m.start(), m.end(), RANK_DAY_NO_YEAR, _nearest_year(month, day, published)
    if years:
        for m in _first(_ISO, sentence) if "-" in sentence else ():
            value = _safe_date(int(m.group("year")), int(m.group("m")), int(m.group("d")))
            yield m.start(), m.end(), RANK_FULL_DAY, value
        for m in _first(_NUMERIC, sentence) if "/" in sentence else ():
            yield m.start(), m.end(), RANK_FULL_DAY, _unambiguous_numeric(m)
        for m in _first(_YEAR_ONLY, sentence):
            yield m.start(), m.end(), RANK_YEAR, date(int(m.group("year")), 1, 1)
        if months:
            taken = [(e.start(), e.end()) for e in explicit]
            for m in _first(_MONTH_YEAR, sentence):
                if any(a <= m.start() < b for a, b in taken):
                    continue  # part of "31 February 2019", which is no date at all
                month = MONTHS[fold(m.group("month"))]
                yield m.start(), m.end(), RANK_MONTH, date(int(m.group("year")), month, 1)
    if published is None:
        return
    if months:
        for m in _first(_MONTH_ONLY, sentence):
            month = MONTHS[fold(m.group("month"))]
            strictly = m.group("prep").lower() == "last"
            yield m.start(), m.end(), RANK_MONTH, _recent_month(month, published, strictly)
    if _WEEKDAY_HINT.search(sentence):
        for m in _first(_WEEKDAY, sentence):
            weekday = WEEKDAYS[fold(m.group("wd"))]
            mod = (m.group("mod") or "").lower()
            yield m.start(), m.end(), RANK_RELATIVE_DAY, _weekday(weekday, mod, published)
    low = sentence.lower()
    if _RELATIVE_DAY_HINT.search(low):
        for m in _first(_RELATIVE_DAY_RE, sentence):
            days = RELATIVE_DAYS[" ".join(fold(m.group("word")).split())]
            yield m.start(), m.end(), RANK_RELATIVE_DAY, published - timedelta(days=days)
    if _PERIOD_HINT.search(low):
        if "ago" in low:
            for m in _first(_AGO, sentence):
                value = _minus(published, _count(m.group("n")), m.group("unit").lower())
                yield m.start(), m.end(), _unit_rank(m.group("unit")), value
        if _WINDOW_HINT.search(low):
            yield from _periods(sentence, published)
        if "weekend" in low:
            yield from _weekends(sentence, published)


def _periods(sentence: str, published: date):
    for m in _first(_WINDOW, sentence):
        value = _minus(published, _count(m.group("n")), m.group("unit").lower())
        yield m.start(), m.end(), _unit_rank(m.group("unit")), value
    for m in _first(_PERIOD, sentence):
        unit = m.group("unit").lower()
        mod = " ".join(m.group("mod").lower().split())
        window = mod == "past" or (mod == "last" and m.group("the"))
        value = _minus(published, 1, unit) if window else _period_start(unit, mod, published)
        yield m.start(), m.end(), _unit_rank(unit), value


def _weekends(sentence: str, published: date):
    for m in _first(_WEEKEND, sentence):
        mod = (m.group("mod") or "").lower()
        saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        if mod in ("last", "past", "previous"):
            saturday = published - timedelta(days=published.weekday() + 2)
        yield m.start(), m.end(), RANK_WEEK, saturday


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, published: date | None) -> date | None:
    if published is None:
        return None
    options = [_safe_date(published.year + k, month, day) for k in (-1, 0, 1)]
    valid = [d for d in options if d is not None]
    if not valid:
        return None
    return min(valid, key=lambda d: (abs((d - published).days), d))


def _unambiguous_numeric(m: re.Match[str]) -> date | None:
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    if a > 12 >= b:
        return _safe_date(year, b, a)  # day/month
    if b > 12 >= a or a == b:
        return _safe_date(year, a, b)  # month/day
    return None


def _recent_month(month: int, published: date, strictly: bool) -> date:
    year = published.year
    if month > published.month or (strictly and month == published.month):
        year -= 1
    return date(year, month, 1)


def _weekday(weekday: int, mod: str, published: date) -> date:
    back = (published.weekday() - weekday) % 7
    if mod in ("last", "past") and back == 0:
        back = 7
    if mod == "next":
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    return published - timedelta(days=back)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[fold(word)]


def _unit_rank(unit: str) -> int:
    unit = unit.lower().rstrip("s")
    return {
        "day": RANK_RELATIVE_DAY,
        "week": RANK_WEEK,
        "month": RANK_MONTH,
        "year": RANK_YEAR,
    }[unit]


def _minus(published: date, n: int, unit: str) -> date | None:
    unit = unit.rstrip("s")
    if unit == "day":
        return published - timedelta(days=n)
    if unit == "week":
        return published - timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    total = published.year * 12 + published.month - 1 - months
    year, month = divmod(total, 12)
    if year < 1:
        return None
    for day in (published.day, 30, 29, 28):
        value = _safe_date(year, month + 1, day)
        if value:
            return value
    return None


def _period_start(unit: str, mod: str, published: date) -> date:
    back = 1 if mod in ("last", "previous") else 0
    if unit == "week":
        monday = published - timedelta(days=published.weekday())
        return monday - timedelta(weeks=back)
    if unit == "month":
        total = published.year * 12 + published.month - 1 - back
        return date(total // 12, total % 12 + 1, 1)
    return date(published.year - back, 1, 1)
