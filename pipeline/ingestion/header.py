"""Metadata read from the top of a normalized text: headline, byline, outlet, dateline and a
published date stated in a header or dateline position. Works on a bounded prefix of the text
(`HEADER_MAX_CHARS`), so its cost does not grow with the document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .cleaning import is_caption
from .dates import date_from_header_line, parse_date_text
from .tables import (
    AGENCY_CODES,
    BYLINE_MAX_CHARS,
    BYLINE_PREFIX,
    DATELINE_MAX_CHARS,
    DATELINE_MAX_WORDS,
    DATELINE_SEPARATORS,
    HEADER_MAX_CHARS,
    HEADER_MAX_PARAGRAPHS,
    HEADLINE_MAX_CHARS,
    HEADLINE_MAX_WORDS,
    MONTHS,
    NOT_A_BYLINE,
    OUTLET_WORDS,
    PLACE_CONNECTORS,
    SENTENCE_ENDINGS,
    STRONG_DATELINE_SEPARATORS,
)


@dataclass(frozen=True)
class HeaderInfo:
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    published_date: date | None = None


@dataclass(frozen=True)
class Dateline:
    place: str
    outlet: str | None
    published_date: date | None


_PAREN_AT_END = re.compile(r"\(([^()\n]{1,60})\)$")
_MONTH_DAY = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.?")
_YEAR = re.compile(r"\d{4}")
_PLACE_CHARS = re.compile(r"[^\W\d_][\w.'’/&-]*", re.UNICODE)
_NAME_WORD = re.compile(r"[^\W\d_][\w.'’-]*", re.UNICODE)
_NAME_CONNECTORS = frozenset(
    {
        "and",
        "&",
        "de",
        "van",
        "von",
        "der",
        "den",
        "al",
        "el",
        "bin",
        "ibn",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "di",
        "del",
        "y",
    }
)
_BYLINE_SPLIT = re.compile(r"\s(?:/|\||-|–|—)\s|,\s")


# --- small predicates -----------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return text.split()


def normalize_outlet(name: str) -> str:
    """Display name of an agency code or outlet ("NYTIMES" -> "The New York Times")."""
    name = " ".join(name.split())
    return AGENCY_CODES.get(name.upper(), name)


def looks_like_outlet(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 80 or line.endswith(".") or not line[0].isupper():
        return False
    if line.upper() in AGENCY_CODES:
        return True
    words = _words(line)
    return len(words) <= 8 and any(w.strip(",.()").lower() in OUTLET_WORDS for w in words)


def looks_like_name(line: str) -> bool:
    """Person name(s): 1-8 capitalized words (connectors allowed), no digits, no sentence."""
    line = line.strip()
    if not line or len(line) > 80 or line[-1] in ".:;!?" or line.lower() in NOT_A_BYLINE:
        return False
    words = _words(line)
    if not 1 <= len(words) <= 8:
        return False
    capitalized = 0
    for w in words:
        if w.lower() in _NAME_CONNECTORS:
            continue
        if not _NAME_WORD.fullmatch(w) or not w[0].isupper():
            return False
        capitalized += 1
    return capitalized >= 1


def looks_like_headline(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > HEADLINE_MAX_CHARS or len(_words(line)) > HEADLINE_MAX_WORDS:
        return False
    if line.endswith(SENTENCE_ENDINGS) or not any(ch.isalpha() for ch in line):
        return False
    if is_caption(line):
        return False
    # "MOSCOW (Sputnik) – ..." opens a body; "Malaysia – 3,000 Evacuate ..." is a headline.
    dateline = parse_dateline(line)
    return dateline is None or not _all_caps(dateline.place.split(",")[0])


# --- byline ---------------------------------------------------------------------------------
def parse_byline(block: str) -> tuple[str | None, str | None]:
    """(byline, outlet) from a short block under the headline, or (None, None).

    Forms: "By NAME", "By NAME, OUTLET", "NAME\\nOUTLET", "NAME / OUTLET"."""
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    if not lines or len(lines) > 3 or any(len(ln) > BYLINE_MAX_CHARS for ln in lines):
        return None, None
    first = lines[0]
    m = BYLINE_PREFIX.match(first)
    if m:
        parts = _BYLINE_SPLIT.split(first[m.end() :])
        names = parts[0].strip()
        if not looks_like_name(names):
            return None, None
        outlet = next((p.strip() for p in parts[1:] if looks_like_outlet(p)), None)
        if outlet is None and len(lines) > 1 and looks_like_outlet(lines[1]):
            outlet = lines[1]
        return names, normalize_outlet(outlet) if outlet else None
    if len(lines) >= 2 and looks_like_name(first) and looks_like_outlet(lines[1]):
        return first, normalize_outlet(lines[1])
    if len(lines) == 1:
        parts = _BYLINE_SPLIT.split(first)
        if len(parts) == 2 and looks_like_name(parts[0]) and looks_like_outlet(parts[1]):
            return parts[0].strip(), normalize_outlet(parts[1].strip())
    return None, None


# --- dateline -------------------------------------------------------------------------------
def _date_part(part: str) -> bool:
    part = part.strip()
    if _YEAR.fullmatch(part):
        return True
    m = _MONTH_DAY.fullmatch(part) or _DAY_MONTH.fullmatch(part)
    if not m:
        return False
    month = m[1] if m.re is _MONTH_DAY else m[2]
    return month.lower() in MONTHS


def _valid_place(place: str) -> bool:
    if not place or len(place) > DATELINE_MAX_CHARS or any(ch.isdigit() for ch in place):
        return False
    words = place.replace(",", " ").split()
    if not 1 <= len(words) <= DATELINE_MAX_WORDS:
        return False
    for w in words:
        if not _PLACE_CHARS.fullmatch(w):
            return False
        if not w[0].isupper() and w.lower() not in PLACE_CONNECTORS:
            return False
    return True


def _all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _find_separator(line: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for sep in DATELINE_SEPARATORS:
        i = line.find(sep)
        if i > 0 and (best is None or i < best[0]):
            best = (i, sep)
    return best


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the start of a paragraph ("BAGHOUZ, Syria — ...",
    "JINGGU, Yunnan, Oct. 8 (Xinhua) -- ...", "September 10, 2015 (BOR) - ..."), or None."""
    line = paragraph.split("\n", 1)[0][: DATELINE_MAX_CHARS + 60]
    found = _find_separator(line)
    if found is None:
        return None
    index, sep = found
    after = line[index + len(sep) :].lstrip()
    if not after or not (after[0].isupper() or after[0].isdigit() or after[0] in "\"“'‘"):
        return None
    prefix = line[:index].strip()
    paren: str | None = None
    m = _PAREN_AT_END.search(prefix)
    if m:
        paren = m[1].strip()
        prefix = prefix[: m.start()].strip()
    parts = [p.strip() for p in prefix.split(",")] if prefix else []
    date_parts: list[str] = []
    while parts and _date_part(parts[-1]):
        date_parts.insert(0, parts.pop())
    agency: str | None = None
    if paren is not None:
        if any(ch.isdigit() for ch in paren):
            date_parts.append(paren)
        elif not parts and date_parts and paren.upper() not in AGENCY_CODES:
            parts = [paren]  # "September 10, 2015 (BOR) - ...": the place is in brackets
        else:
            agency = paren
    place = ", ".join(p for p in parts if p)
    if not _valid_place(place):
        return None
    bare_sep = sep.strip()
    if not _all_caps(parts[0]):
        title_case_ok = bare_sep in STRONG_DATELINE_SEPARATORS or agency is not None
        if not title_case_ok or bare_sep == ":" or len(place.split()) > 4:
            return None
    published = parse_date_text(", ".join(date_parts)) if date_parts else None
    return Dateline(place, normalize_outlet(agency) if agency else None, published)


# --- whole header ---------------------------------------------------------------------------
def parse_header(text: str) -> HeaderInfo:
    """Header metadata of a normalized text (fields it does not state are None)."""
    head = text[:HEADER_MAX_CHARS]
    first_line, _, rest = head.partition("\n")
    title = first_line.strip() if rest.strip() and looks_like_headline(first_line) else None
    blocks = (rest if title else head).split("\n\n")
    blocks = [b.strip() for b in blocks if b.strip()][:HEADER_MAX_PARAGRAPHS]
    byline = outlet = dateline = None
    published: date | None = None
    for block in blocks:
        if byline is None and outlet is None:
            byline, outlet = parse_byline(block)
            if byline or outlet:
                continue
        found = parse_dateline(block)
        if found is not None:
            dateline = found.place
            outlet = outlet or found.outlet
            published = published or found.published_date
            break
        if published is None and "\n" not in block:
            published = date_from_header_line(block)
    return HeaderInfo(title, byline, outlet, dateline, published)
