"""Reading calendar dates from metadata values and from header lines. Only complete dates
(day, month and year) are returned: a dateline "Oct. 8" without a year gives no date."""

from __future__ import annotations

import re
from datetime import date, datetime

from .tables import DATE_LINE_LABELS, DATE_LINE_MAX_CHARS, MONTHS

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH_NAME = r"([A-Za-z]{3,9})\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_WEEKDAY = r"(?:[A-Za-z]{3,9}\.?,?\s)?"
# "December 1st 2015", "Dec. 1, 2015", "Tue, December 1st 2015 at 00:00"
_MDY = re.compile(_WEEKDAY + _MONTH_NAME + r"\s" + _DAY + r",?\s" + _YEAR + r"\b")
# "1 December 2015", "Tuesday 1st Dec. 2015", "23 Aug. 2014"
_DMY = re.compile(_WEEKDAY + _DAY + r"\s" + _MONTH_NAME + r",?\s" + _YEAR + r"\b")


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date_text(value: str) -> date | None:
    """A complete date written in `value` (ISO, "Month D, YYYY" or "D Month YYYY"), or None."""
    value = value.strip()[:DATE_LINE_MAX_CHARS]
    m = _ISO.search(value)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _MDY.search(value)
    if m and m[1].lower() in MONTHS:
        return _make(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    m = _DMY.search(value)
    if m and m[2].lower() in MONTHS:
        return _make(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    return None


def coerce_date(value: object) -> date | None:
    """A metadata value (date, datetime, ISO string, written date) as a date, or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return parse_date_text(value)
    return None


def date_from_header_line(line: str) -> date | None:
    """A publication date stated by a short header line such as "Published: 3 March 2019",
    "| Updated Tue, December 1st 2015 at 00:00 GMT +3" or a bare "September 10, 2015"."""
    line = line.strip()
    if not line or len(line) > DATE_LINE_MAX_CHARS:
        return None
    m = DATE_LINE_LABELS.match(line)
    rest = line[m.end() :] if m and m.end() > 0 else line
    found = parse_date_text(rest)
    if found is None:
        return None
    # Without a label, the line must be (almost) only the date.
    if not (m and m.end() > 0) and len(re.sub(r"[\d\s,.]", "", rest)) > 16:
        return None
    return found
