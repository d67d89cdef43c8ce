"""Where a figure happened: place names found in a document, resolved against the gazetteer
index (gazetteer.py), and the rule that picks one place per sentence.

A document is scanned once: a compiled regex finds capitalised tokens, consecutive tokens
(joined by spaces or lower-case connectors such as "of", "and", "de") form runs, and each
run is matched left to right, longest name first, by dictionary look-ups. A match is dropped
when its neighbours show it is part of another name ("Hurricane Florence", "Kenya Red
Cross", "Syrian Democratic Forces") or when it is a stop-listed common word. `for_sentence`
then only bisects into the sorted matches.

Sentence place: the most specific place the sentence names (city > subdivision > country >
continent; the first one on ties), else the dateline's place, else the document's main place
(the most mentioned country, headline mentions counting triple; within it, the most
mentioned of its places), else None. Demonyms ("Syrian") only count towards the main place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from pipeline.contract import DocumentContext
from pipeline.extraction import place_lexicon as lex
from pipeline.extraction.gazetteer import (
    ADMIN,
    COUNTRY,
    DEMONYM,
    GazetteerIndex,
    Place,
    get_index,
    normalize,
)


@dataclass(frozen=True)
class PlaceMatch:
    name: str
    country_iso3: str | None


_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽḨṬẒ"
_LETTER = r"[^\W\d_]"
# Letters of a name: lower-case ASCII first, a cheap range test, then any letter, a costly
# Unicode test. Nothing after a token can fail, so possessive loops match what greedy ones do.
_LETTERS = rf"[a-z]*+{_LETTER}*+"
# The look-behind sits after the first character so the regex engine can skip ahead to the
# next capital letter quickly.
_TOKEN_PATTERN = (
    rf"[{_UPPER}](?<![\w'’.].)"
    rf"(?:(?:\.[{_UPPER}])+\.?|{_LETTERS}(?:['’\-‐]{_LETTER}{_LETTERS})*+)"
)
_TOKEN = re.compile(_TOKEN_PATTERN)
# A lower-case Arabic article glued to a capitalised name: "al-Anbar", "ez-Zor".
_ARTICLES = "al|el|ad|ar|as|an|at|az|ash|ed|ez|es"
_ARTICLE_BEFORE = re.compile(rf"(?<![\w'’.-])(?:{_ARTICLES})[-‐]$")
# What may stand between two tokens of one name: spaces and lower-case connector words.
_CONNECTORS = (
    "of|the|and|de|del|della|da|do|dos|das|du|des|la|le|las|los|el|al|ez|es|y|di|van|von|der|den"
)
_GAP_PATTERN = rf"[ \t\xa0]+((?:(?:{_CONNECTORS})[ \t\xa0]+)*(?:(?:{_ARTICLES})[-‐])?)"
_GAP = re.compile(_GAP_PATTERN)
# A run of tokens that could together form one name; most runs are a single word. Its gap
# first checks that the next word may go on with the name (a capital or a connector's first
# letter): most words after a name stop it there.
_GAP_STARTS = "".join(sorted({w[0] for w in f"{_CONNECTORS}|{_ARTICLES}".split("|")}))
_RUN_GAP = (
    rf"[ \t\xa0]++(?=[{_UPPER}{_GAP_STARTS}])"
    rf"(?:(?:{_CONNECTORS})[ \t\xa0]+)*(?:(?:{_ARTICLES})[-‐])?"
)
_RUN_PATTERN = rf"{_TOKEN_PATTERN}(?:{_RUN_GAP}{_TOKEN_PATTERN})*"
_RUN_SPLIT = re.compile(f"({_RUN_PATTERN})")  # (the pattern has no group of its own)
_POSSESSIVE = ("'s", "’s", "'S", "’S")
_SPAN = re.Match.span
_SPEECH_VERB = re.compile(r"[ \t]*,?[ \t]*(?:said|says|told|added|explained|wrote)\b")
_SPEECH_VERB_FIRSTS = frozenset(" \t,saetw")  # what _SPEECH_VERB may start with
_SENTENCE_OPENERS = frozenset(".!?\n:;—–…")
_OPENING_MARKS = frozenset(" \t\xa0\"“‘'(«[")
_TITLE_CASE_MIN_SHARE = 0.6
_MAX_TITLE_LINE = 300

_TITLE_WEIGHT = 3.0
_DEMONYM_WEIGHT = 0.5


# A token is a plain tuple for speed: (start, end, text, key, glue, possessive), where key is
# the normalised text and glue the normalised connector words between it and the previous
# token of its run ("" when only spaces separate them).
_Token = tuple[int, int, str, str, str, bool]


class _RawMatch(NamedTuple):
    start: int
    end: int
    candidates: tuple[Place, ...]
    typed: bool  # followed by a type word such as "Province"
    modifier: bool  # "U.S.-backed", "Saudi-led": a hint at the country, not the place
    country: str | None  # the one country of all the candidates, if there is one


# An accepted place mention: (start, end, place), a plain tuple (built for every mention).
_Match = tuple[int, int, Place]


class DocumentPlaces:
    """Places of one document; build once, then ask `for_sentence` per sentence."""

    def __init__(self, text: str, context: DocumentContext) -> None:
        self._index = get_index()
        raw = _scan(text, self._index)
        title_end = _title_span(text, context.title)
        extra_title = [] if title_end or not context.title else _scan(context.title, self._index)

        countries = _document_countries(raw + extra_title)
        self.dateline: PlaceMatch | None = None
        dateline_iso3 = None
        if context.dateline:
            self.dateline, dateline_iso3 = _resolve_dateline(
                context.dateline, self._index, countries
            )
        if dateline_iso3:
            countries[dateline_iso3] += 2
        self._matches: list[_Match] = [(m.start, m.end, _place(m, countries)) for m in raw]
        self._starts = [m.start for m in raw]
        title_places = [_place(m, countries) for m in extra_title]
        self.main: PlaceMatch | None = _main_place(
            self._matches, title_end, title_places, dateline_iso3
        )

    def for_sentence(self, sentence_start: int, sentence_end: int) -> PlaceMatch | None:
        """The place a figure in text[sentence_start:sentence_end] refers to."""
        best: Place | None = None
        matches = self._matches
        for i in range(bisect_left(self._starts, sentence_start), len(matches)):
            start, end, place = matches[i]
            if start >= sentence_end:
                break
            if end > sentence_end or place.level == DEMONYM:
                continue
            if best is None or place.level > best.level:
                best = place
        if best is not None:
            return PlaceMatch(best.name, best.iso3)
        return self.dateline or self.main

    def mentions(self) -> list[tuple[int, int, PlaceMatch]]:
        """Every accepted place mention as (start, end, place), demonyms excluded."""
        return [
            (start, end, PlaceMatch(place.name, place.iso3))
            for start, end, place in self._matches
            if place.level != DEMONYM
        ]


def _runs(text: str, index: GazetteerIndex) -> list[tuple[_Run, int, _Spans]]:
    """The runs of capitalised tokens that name a place, each with the offset its tokens are
    relative to and the names in it (see `_name_spans`).

    One split of the text gives every run, and their remembered shapes are looked up in bulk:
    the many runs that name nothing ("The", "He said") cost little more than that look-up.
    """
    parts = _RUN_SPLIT.split(text)  # gap, run, gap, run, ..., gap
    if len(parts) == 1:
        return []
    kinds = _RUN_KINDS.get(index)
    if kinds is None:
        _RUN_KINDS.clear()
        kinds = _RUN_KINDS[index] = {}
    words = parts[1::2]
    shapes = list(map(kinds.get, words))
    gaps = parts[::2]
    ends = list(accumulate(map(len, parts)))  # ends[2k] is where run k starts
    runs: list[tuple[_Run, int, _Spans]] = []
    for k, shape in enumerate(shapes):
        if shape == () and not gaps[k].endswith(_HYPHENS):
            continue
        word = words[k]
        if shape is None:
            shape = _run_shape(word, index)
            if len(kinds) < _MAX_RUN_KINDS:
                kinds[word] = shape
        start = ends[2 * k]
        if start > 2 and text[start - 1] in _HYPHENS:
            # An article before the run may join its first token ("al-Anbar"): split it in
            # place, as the remembered shape knows nothing of what precedes the run.
            if _is_multi(word):
                found = _split_run(text, start, start + len(word))
            else:
                token = _make_token(text, start, start + len(word), "", True)
                found = [[token]] if token[3] in index.prefixes else []
            for run in found:
                spans = _name_spans(run, index)
                if spans:
                    runs.append((run, 0, spans))
        else:
            for run, spans in shape:
                runs.append((run, start, spans))
    return runs


def _split_run(text: str, start: int, end: int) -> list[list[_Token]]:
    """The tokens of the several-word run text[start:end], cut after each possessive."""
    runs: list[list[_Token]] = []
    spans = list(map(_SPAN, _TOKEN.finditer(text, start, end)))
    a, b = spans[0]
    run: list[_Token] = [_make_token(text, a, b, "", True)]
    prev_end = b
    for a, b in spans[1:]:
        glue = ""
        if a != prev_end + 1:
            gap = _GAP.fullmatch(text, prev_end, a).group(1)
            glue = " ".join(gap.replace("-", " ").replace("‐", " ").split())
        if run[-1][5]:  # a possessive ends a name: "China's Hunan"
            runs.append(run)
            run = [_make_token(text, a, b, "", False)]
        else:
            run.append(_make_token(text, a, b, glue, False))
        prev_end = b
    runs.append(run)
    return runs


# The shape of a run's text, remembered per process (capitalised words recur: "The", "UN",
# "Red Cross"): its runs (several when a possessive cuts it) with their tokens' offsets
# relative to its start and the names found in them, keeping only the runs that name a
# place (most single words keep no run at all). Keyed by the index the names come from.
_MAX_RUN_KINDS = 200_000
_Run = Sequence[_Token]
_Spans = tuple[tuple[int, int, str, tuple[Place, ...], str | None], ...]
_RUN_KINDS: dict[GazetteerIndex, dict[str, tuple[tuple[_Run, _Spans], ...]]] = {}
_HYPHENS = ("-", "‐")


def _is_multi(word: str) -> bool:
    return " " in word or "\t" in word or "\xa0" in word


def _run_shape(word: str, index: GazetteerIndex) -> tuple[tuple[_Run, _Spans], ...]:
    if _is_multi(word):
        runs = _split_run(word, 0, len(word))
    else:
        runs = [[_make_token(word, 0, len(word), "", True)]]
    shape = []
    for run in runs:
        spans = _name_spans(run, index)
        if spans:
            shape.append((tuple(run), spans))
    return tuple(shape)


def _make_token(text: str, start: int, end: int, glue: str, first: bool) -> _Token:
    word = text[start:end]
    possessive = word.endswith(_POSSESSIVE)
    if possessive:
        word = word[:-2]
        end -= 2
    if first and start > 2 and text[start - 1] in "-‐":
        article = _ARTICLE_BEFORE.search(text, max(0, start - 5), start)
        if article:
            start = article.start()
            word = text[start:end]
    return (start, end, word, normalize(word), glue, possessive)


def _name_spans(run: _Run, index: GazetteerIndex) -> _Spans:
    """(first, last, key, candidates, their one country or None) of the names in a run,
    matched left to right, longest first."""
    places, prefixes = index.places, index.prefixes
    if not any(token[3] in prefixes for token in run):
        return ()
    spans = []
    n = len(run)
    i = 0
    while i < n:
        key = run[i][3]
        best = i if key in places else -1
        j = i
        while key in prefixes and j + 1 < n:
            j += 1
            _, _, _, next_key, glue, _ = run[j]
            key = f"{key} {glue} {next_key}" if glue else f"{key} {next_key}"
            if key in places:
                best = j
        if best < 0:
            i += 1
            continue
        if best != j:
            key = " ".join(
                f"{t[4]} {t[3]}" if t[4] and k else t[3] for k, t in enumerate(run[i : best + 1])
            )
        candidates = index.candidates(key)
        spans.append((i, best, key, candidates, _one_country(candidates)))
        i = best + 1
    return tuple(spans)


def _one_country(candidates: tuple[Place, ...]) -> str | None:
    iso3 = candidates[0].iso3
    return iso3 if all(p.iso3 == iso3 for p in candidates[1:]) else None


def _scan(text: str, index: GazetteerIndex) -> list[_RawMatch]:
    title_lines: dict[int, bool] = {}
    found: list[_RawMatch] = []
    stop = index.stop
    for run, base, spans in _runs(text, index):
        for i, j, key, candidates, country in spans:
            match = _accept(text, run, base, i, j, key, candidates, country, stop, title_lines)
            if match is not None:
                found.append(match)
    return found


def _accept(
    text: str,
    run: _Run,
    base: int,
    i: int,
    j: int,
    key: str,
    candidates: tuple[Place, ...],
    country: str | None,
    stop: frozenset[str],
    title_lines: dict[int, bool],
) -> _RawMatch | None:
    """The match run[i..j] if its neighbours allow it, absorbing a following type word."""
    first_start, _, _, _, first_glue, _ = run[i]
    _, last_end, _, _, _, last_possessive = run[j]
    first_start += base  # (token offsets are relative to `base`)
    last_end += base
    nxt = run[j + 1] if j + 1 < len(run) and not last_possessive else None
    typed = nxt is not None and not nxt[4] and nxt[2] in lex.PLACE_TYPE_WORDS
    is_country = candidates[0].level <= COUNTRY  # candidates come best-first

    if key in stop and not typed and not is_country:
        return None
    prev = run[i - 1] if i > 0 and not first_glue else None
    if prev is not None:
        if prev[2].rstrip(".") in lex.NAME_TITLES:
            return None
        if (
            prev[2] not in lex.PLACE_PRECEDERS
            and not _sentence_initial(text, prev[0] + base)
            and not _in_title_line(text, first_start, title_lines)
        ):
            return None  # "Donald Trump", "Mark Gunning"
    after = nxt
    if typed:
        after = run[j + 2] if j + 2 < len(run) and not nxt[5] else None
    if (
        after is not None
        and not after[4]
        and (typed or after[2] not in lex.PLACE_FOLLOWERS)
        and not _in_title_line(text, first_start, title_lines)
    ):
        return None  # "Kenya Red Cross", "US State Department"
    if (
        i == j
        and not is_country
        and nxt is None
        and text[last_end : last_end + 1] in _SPEECH_VERB_FIRSTS
        and _SPEECH_VERB.match(text, last_end)
    ):
        return None  # "Gunning said": a surname
    end = nxt[1] + base if typed else last_end
    # "U.S.-backed", "Saudi-led": a hyphen and a lower-case letter right after the name
    modifier = text[end : end + 1] in _HYPHENS and "a" <= text[end + 1 : end + 2] <= "z"
    return _RawMatch(first_start, end, candidates, typed, modifier, country)


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in _OPENING_MARKS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS


def _in_title_line(text: str, pos: int, cache: dict[int, bool]) -> bool:
    """Headline-style lines capitalise every word, so neighbours say nothing there. Only short
    lines qualify, so both searches for the line's ends stay within a bounded window."""
    window_start = max(0, pos - _MAX_TITLE_LINE)
    line_start = text.rfind("\n", window_start, pos) + 1
    if line_start == 0 and window_start > 0:
        return False
    if line_start not in cache:
        line_end = text.find("\n", pos, line_start + _MAX_TITLE_LINE + 1)
        if line_end < 0:
            line_end = len(text) if len(text) - line_start <= _MAX_TITLE_LINE else -1
        verdict = False
        if line_end >= 0:
            line = text[line_start:line_end]
            words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
            capitalised = sum(1 for w in words if w[0].isupper())
            verdict = bool(words) and capitalised >= _TITLE_CASE_MIN_SHARE * len(words)
        cache[line_start] = verdict
    return cache[line_start]


def _document_countries(raw: list[_RawMatch]) -> dict[str, int]:
    """Countries the document names unambiguously: context for resolving ambiguous names."""
    counts: dict[str, int] = defaultdict(int)
    for m in raw:
        if m.country is not None:
            counts[m.country] += 1
    return counts


def _place(match: _RawMatch, countries: dict[str, int]) -> Place:
    place = _choose(match, countries)
    return place._replace(level=DEMONYM) if match.modifier else place


def _choose(match: _RawMatch, countries: dict[str, int]) -> Place:
    if len(match.candidates) == 1:
        return match.candidates[0]
    return max(
        match.candidates,
        key=lambda p: (
            match.typed and p.level == ADMIN,
            p.source_rank > 0,  # a place's own name before another place's alternate name
            countries.get(p.iso3, 0) if p.iso3 else 0,
            p.source_rank,
            p.population,
        ),
    )


def _title_span(text: str, title: str | None) -> int:
    """End offset of the headline when the text starts with it, else 0."""
    head = text[:1000]
    offset = len(head) - len(head.lstrip())
    if title:
        title = title.strip()
        return offset + len(title) if text.startswith(title, offset) else 0
    line_end = text.find("\n", offset, offset + 200)
    first_line = text[offset : line_end if line_end >= 0 else offset + 200]
    if line_end >= 0 and not first_line.rstrip().endswith("."):
        return line_end
    return 0


def _main_place(
    matches: list[_Match],
    title_end: int,
    title_places: list[Place],
    dateline_iso3: str | None,
) -> PlaceMatch | None:
    by_country: dict[str | None, float] = defaultdict(float)
    by_place: dict[Place, float] = defaultdict(float)
    first_seen: dict[str | None, int] = {}

    def count(place: Place, weight: float, order: int) -> None:
        if place.level == DEMONYM:
            weight *= _DEMONYM_WEIGHT
        else:
            by_place[place] += weight
        by_country[place.iso3] += weight
        first_seen.setdefault(place.iso3, order)

    for k, place in enumerate(title_places):
        count(place, _TITLE_WEIGHT, k - len(title_places))
    for start, _, place in matches:
        count(place, _TITLE_WEIGHT if start < title_end else 1.0, start)
    if dateline_iso3:
        by_country[dateline_iso3] += 1.0
        first_seen.setdefault(dateline_iso3, -1_000_000)
    if not by_country:
        return None
    real = [c for c in by_country if c is not None] or [None]
    top = max(real, key=lambda c: (by_country[c], -first_seen.get(c, 0)))
    inside = [(w, -p.level, p) for p, w in by_place.items() if p.iso3 == top]
    if inside:
        place = max(inside, key=lambda t: (t[0], t[1]))[2]
        return PlaceMatch(place.name, place.iso3)
    return PlaceMatch(get_index().country_names.get(top, top or ""), top)


_DATELINE_NOISE = re.compile(r"\([^)]*\)|\s[-—–]+\s*$|[-—–]+$")
_DATE_PART = re.compile(
    r"\d|^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|$)", re.IGNORECASE
)


def _resolve_dateline(
    dateline: str, index: GazetteerIndex, countries: dict[str, int]
) -> tuple[PlaceMatch | None, str | None]:
    """A dateline's place and country: "BAGHOUZ, Syria" gives Baghouz in SYR. A name the
    gazetteer lacks keeps the text's form; the parts after it tell the country."""
    # A double dateline ("P.S. PORA, India/SIALKOT, Pakistan"): the first place.
    cleaned = _DATELINE_NOISE.sub("", dateline.split("/")[0]).strip(" ,-—–")
    parts = [
        p.strip() for p in cleaned.split(",") if p.strip() and not _DATE_PART.search(p.strip())
    ]
    if not parts:
        return None, None
    context_iso3 = None
    for part in parts[1:]:
        part = lex.US_STATE_ABBREVIATIONS.get(part, part)
        found = [p for p in index.candidates(_strip_type_word(part)) if p.level != DEMONYM]
        if found:
            context_iso3 = max(found, key=lambda p: (p.source_rank, p.population)).iso3
            break
    head = parts[0]
    found = index.candidates(_strip_type_word(head))
    if found:
        pool = [p for p in found if p.level != DEMONYM]
        if context_iso3:
            pool = [p for p in pool if p.iso3 == context_iso3] or pool
        if pool:
            place = max(pool, key=lambda p: (countries.get(p.iso3, 0), p.source_rank, p.population))
            return PlaceMatch(place.name, place.iso3), place.iso3
    return PlaceMatch(_title_case(head), context_iso3), context_iso3


def _strip_type_word(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[-1].title() in lex.PLACE_TYPE_WORDS:
        words = words[:-1]
    return normalize(" ".join(words))


def _title_case(name: str) -> str:
    if not name.isupper():
        return name
    return " ".join(
        word if "." in word else "-".join(part.capitalize() for part in word.split("-"))
        for word in name.split()
    )
